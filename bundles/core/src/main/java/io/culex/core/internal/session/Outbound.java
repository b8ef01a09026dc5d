package io.culex.core.internal.session;

import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.LinkedHashMap;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.culex.core.internal.Engine;
import io.culex.core.internal.protocol.PublishEncoding;
import io.culex.core.internal.routing.Backlog;
import io.culex.core.internal.routing.Message;
import io.culex.core.internal.settings.BrokerSettings;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;

/**
 * The outbound half of a session: the inflight window of unacknowledged QoS 1/2 messages with their packet ids,
 * and the bounded queue behind it (or for an offline client), drained as the socket and the window allow. Tells
 * the session's {@link Backlog} how much is queued, which paces the publishers feeding it.
 *
 * <p>Owned by one {@link Session} and touched only on its loop.
 */
final class Outbound {

    private static final Logger LOG = LoggerFactory.getLogger(Session.class);
    private static final int MAX_PACKET_ID = 65535;

    private final String clientId;
    private final Engine engine;
    private final Backlog backlog;
    private SessionConnection connection;
    private LinkedHashMap<Integer, Outgoing> inflight;
    private long inflightBytes;
    private ArrayDeque<Queued> queue;
    private long queuedBytes;
    private int nextPacketId = 1;
    /** Messages for this client are being dropped (queue full); logged once per episode, as Mosquitto does. */
    private boolean dropping;

    Outbound(String clientId, Engine engine, Backlog backlog) {
        this.clientId = clientId;
        this.engine = engine;
        this.backlog = backlog;
    }

    /**
     * A connection is attached: resend the unacknowledged messages with DUP (and PUBREL where PUBREC came), then
     * what was queued.
     */
    void attach(SessionConnection newConnection) {
        connection = newConnection;
        if (inflight != null) {
            ByteBufAllocator alloc = newConnection.alloc();
            for (Outgoing o : inflight.values()) {
                if (o.awaitingPubcomp) {
                    newConnection.write(PublishEncoding.ack(alloc, PublishEncoding.PUBREL, o.packetId));
                } else {
                    writePublish(o.message, o.qos, o.retainFlag, true, o.packetId, o.subscriptionIds);
                }
            }
        }
        drain();
    }

    /** The connection is gone: keep everything for the next one; an offline queue paces nobody. */
    void detach() {
        connection = null;
        updateBacklog();
    }

    /** The session ends: release every message held. */
    void releaseAll() {
        if (inflight != null) {
            inflight.values().forEach(Outgoing::release);
            inflight = null;
            inflightBytes = 0;
        }
        if (queue != null) {
            queue.forEach(q -> q.message.release());
            queue = null;
            queuedBytes = 0;
        }
        connection = null;
        updateBacklog(); // publishers waiting for this session must not wait for ever
    }

    /** @return messages waiting in the queue */
    int queuedMessages() {
        return queue == null ? 0 : queue.size();
    }

    /** @return QoS 1/2 messages sent and not acknowledged */
    int inflightMessages() {
        return inflight == null ? 0 : inflight.size();
    }

    void send(Message message, int qos, boolean retainFlag, int[] subscriptionIds, BrokerSettings settings) {
        if (message.hasExpiry() && message.isExpired(System.nanoTime())) {
            return;
        }
        SessionConnection c = connection;
        if (c == null) {
            if (qos > 0 || settings.queueQos0Messages) {
                enqueue(message, qos, retainFlag, subscriptionIds, settings);
            }
            return;
        }
        if (queue != null && !queue.isEmpty()) {
            enqueue(message, qos, retainFlag, subscriptionIds, settings); // keep the order
            drain();
            return;
        }
        if (qos == 0) {
            if (c.isWritable()) {
                writeQos0(message, retainFlag, subscriptionIds);
            } else {
                enqueue(message, qos, retainFlag, subscriptionIds, settings);
            }
        } else if (inflightHasRoom(settings)) {
            sendInflight(message, qos, retainFlag, subscriptionIds);
        } else {
            enqueue(message, qos, retainFlag, subscriptionIds, settings);
        }
    }

    /** MQTT 5: a packet larger than the client's Maximum Packet Size is not sent to it (and counts as dropped). */
    private boolean tooLargeForClient(Message message, int qos, int[] subscriptionIds) {
        long max = connection.maximumPacketSize();
        if (max > 0 && PublishEncoding.packetSize(message, qos, true, subscriptionIds) > max) {
            LOG.debug("Dropped a message to {} for client {}: larger than its maximum packet size {}",
                    message.topic(), clientId, max);
            engine.stats().publishDropped();
            return true;
        }
        return false;
    }

    private void writeQos0(Message message, boolean retainFlag, int[] subscriptionIds) {
        SessionConnection c = connection;
        byte[] topic = topicFor(message, c);
        if (topic == null) {
            return;
        }
        boolean shared = topic == message.topicUtf8() && !retainFlag;
        if (c.isMqtt5()) {
            if (tooLargeForClient(message, 0, subscriptionIds)) {
                return;
            }
            if (shared && subscriptionIds.length == 0 && !message.hasExpiry()) {
                c.write(message.qos0PacketV5(c.alloc()));
            } else {
                c.write(PublishEncoding.completePacketV5(c.alloc(), message, topic, 0, retainFlag, false, 0,
                        subscriptionIds, System.nanoTime()));
            }
        } else if (shared) {
            c.write(message.qos0Packet(c.alloc()));
        } else {
            c.write(PublishEncoding.completePacket(c.alloc(), message, topic, 0, retainFlag, false, 0));
        }
        engine.stats().publishSent(message.payloadSize());
    }

    /**
     * @return the topic as the connection's client sees it: the message's own bytes, or with the listener's mount
     *     point removed; {@code null} if the topic is outside the mount point (not for this client)
     */
    private static byte[] topicFor(Message message, SessionConnection c) {
        String mountPoint = c.mountPoint();
        if (mountPoint == null) {
            return message.topicUtf8();
        }
        String topic = message.topic();
        if (!topic.startsWith(mountPoint) || topic.length() == mountPoint.length()) {
            return null;
        }
        return topic.substring(mountPoint.length()).getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }

    private void sendInflight(Message message, int qos, boolean retainFlag, int[] subscriptionIds) {
        if ((connection.isMqtt5() && tooLargeForClient(message, qos, subscriptionIds))
                || topicFor(message, connection) == null) {
            return;
        }
        int packetId = nextPacketId();
        if (inflight == null) {
            inflight = new LinkedHashMap<>();
        }
        inflight.put(packetId, new Outgoing(message.retain(), qos, packetId, retainFlag, subscriptionIds));
        inflightBytes += message.payloadSize();
        writePublish(message, qos, retainFlag, false, packetId, subscriptionIds);
    }

    private void writePublish(Message message, int qos, boolean retainFlag, boolean dup, int packetId,
                              int[] subscriptionIds) {
        SessionConnection c = connection;
        ByteBufAllocator alloc = c.alloc();
        byte[] topic = topicFor(message, c);
        if (topic == null) {
            topic = message.topicUtf8(); // queued under another mount point: still this session's message
        }
        ByteBuf header = c.isMqtt5()
                ? PublishEncoding.headerV5(alloc, message, topic, qos, retainFlag, dup, packetId, subscriptionIds,
                        System.nanoTime())
                : PublishEncoding.header(alloc, message, topic, qos, retainFlag, dup, packetId);
        c.write(header, message.payload().retainedDuplicate());
        engine.stats().publishSent(message.payloadSize());
    }

    private boolean inflightHasRoom(BrokerSettings settings) {
        int size = inflight == null ? 0 : inflight.size();
        int max = settings.maxInflightMessages;
        boolean bytesLeft = settings.maxInflightBytes == 0 || size == 0 || inflightBytes < settings.maxInflightBytes;
        return size < MAX_PACKET_ID - 1 && (max == 0 || size < max) && size < connection.receiveMaximum()
                && bytesLeft;
    }

    private int nextPacketId() {
        while (true) {
            int id = nextPacketId;
            nextPacketId = id == MAX_PACKET_ID ? 1 : id + 1;
            if (inflight == null || !inflight.containsKey(id)) {
                return id;
            }
        }
    }

    /**
     * Queue a message for later, within {@code max_queued_messages} and {@code max_queued_bytes}: when full, the
     * oldest queued QoS 0 message makes room; if there is none, the new message is dropped.
     */
    private void enqueue(Message message, int qos, boolean retainFlag, int[] subscriptionIds,
                         BrokerSettings settings) {
        if (queue == null) {
            queue = new ArrayDeque<>();
        }
        int size = message.payloadSize();
        backlog.limits(settings.maxQueuedMessages, settings.maxQueuedBytes);
        while (isFull(size, settings)) {
            if (!dropOldestQos0()) {
                engine.stats().publishDropped();
                startDropping();
                return;
            }
        }
        queue.addLast(new Queued(message.retain(), qos, retainFlag, subscriptionIds));
        queuedBytes += size;
        updateBacklog();
    }

    /** The queue is full and messages are lost: say so once, until the queue has room again (as Mosquitto). */
    private void startDropping() {
        if (!dropping) {
            dropping = true;
            LOG.info("Outgoing messages are being dropped for client {}.", clientId);
        }
    }

    /** Tell the publishers' flow control how much is queued for the connected client. */
    private void updateBacklog() {
        if (connection == null || queue == null) {
            backlog.queued(0, 0);
        } else {
            backlog.queued(queue.size(), queuedBytes);
        }
    }

    private boolean isFull(int size, BrokerSettings settings) {
        return settings.isQueueFull(queue.size(), queuedBytes, size);
    }

    private boolean dropOldestQos0() {
        for (Iterator<Queued> it = queue.iterator(); it.hasNext(); ) {
            Queued q = it.next();
            if (q.qos == 0) {
                it.remove();
                queuedBytes -= q.message.payloadSize();
                q.message.release();
                engine.stats().publishDropped();
                startDropping();
                return true;
            }
        }
        return false;
    }

    /** Send queued messages while the inflight window and the socket allow; expired ones are skipped. */
    void drain() {
        if (connection == null || queue == null) {
            return;
        }
        try {
            drainQueue();
        } finally {
            if (dropping && queue != null && !isFull(0, engine.settings())) {
                dropping = false;
            }
            updateBacklog();
        }
    }

    private void drainQueue() {
        BrokerSettings settings = engine.settings();
        long now = System.nanoTime();
        while (!queue.isEmpty() && connection != null) {
            Queued q = queue.peekFirst();
            if (q.message.isExpired(now)) {
                queue.pollFirst();
            } else if (q.qos == 0) {
                if (!connection.isWritable()) {
                    return;
                }
                queue.pollFirst();
                writeQos0(q.message, q.retainFlag, q.subscriptionIds);
            } else {
                if (!inflightHasRoom(settings)) {
                    return;
                }
                queue.pollFirst();
                sendInflight(q.message, q.qos, q.retainFlag, q.subscriptionIds);
            }
            queuedBytes -= q.message.payloadSize();
            q.message.release();
        }
    }

    /** PUBACK from the client. */
    void onPuback(int packetId) {
        Outgoing o = inflight == null ? null : inflight.get(packetId);
        if (o == null || o.qos != 1) {
            LOG.debug("Client {} sent PUBACK for unknown packet id {}", clientId, packetId);
            return;
        }
        inflight.remove(packetId);
        inflightBytes -= o.release();
        drain();
    }

    /**
     * PUBREC from the client: the message is delivered; answer PUBREL and forget the payload. An MQTT 5 PUBREC with
     * an error reason code ends the exchange instead.
     */
    void onPubrec(int packetId, int reasonCode) {
        Outgoing o = inflight == null ? null : inflight.get(packetId);
        if (reasonCode >= 0x80) {
            if (o != null) {
                inflight.remove(packetId);
                inflightBytes -= o.release();
                drain();
            }
            return;
        }
        if (o != null && o.qos == 2 && !o.awaitingPubcomp) {
            o.awaitingPubcomp = true;
            inflightBytes -= o.release();
        }
        connection.write(PublishEncoding.ack(connection.alloc(), PublishEncoding.PUBREL, packetId,
                o == null && connection.isMqtt5() ? 0x92 : 0));
    }

    /** PUBCOMP from the client: the QoS 2 exchange is complete. */
    void onPubcomp(int packetId) {
        Outgoing o = inflight == null ? null : inflight.get(packetId);
        if (o == null || !o.awaitingPubcomp) {
            LOG.debug("Client {} sent PUBCOMP for unknown packet id {}", clientId, packetId);
            return;
        }
        inflight.remove(packetId);
        drain();
    }

    private static final class Outgoing {
        Message message;
        final int qos;
        final int packetId;
        final boolean retainFlag;
        final int[] subscriptionIds;
        boolean awaitingPubcomp;

        Outgoing(Message message, int qos, int packetId, boolean retainFlag, int[] subscriptionIds) {
            this.message = message;
            this.qos = qos;
            this.packetId = packetId;
            this.retainFlag = retainFlag;
            this.subscriptionIds = subscriptionIds;
        }

        /** @return the payload bytes no longer held */
        int release() {
            if (message == null) {
                return 0;
            }
            int size = message.payloadSize();
            message.release();
            message = null;
            return size;
        }
    }

    private static final class Queued {
        final Message message;
        final int qos;
        final boolean retainFlag;
        final int[] subscriptionIds;

        Queued(Message message, int qos, boolean retainFlag, int[] subscriptionIds) {
            this.message = message;
            this.qos = qos;
            this.retainFlag = retainFlag;
            this.subscriptionIds = subscriptionIds;
        }
    }
}
