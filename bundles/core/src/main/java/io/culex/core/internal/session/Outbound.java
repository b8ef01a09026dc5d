package io.culex.core.internal.session;

import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.LinkedHashMap;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.culex.api.persistence.PersistedOutgoing;
import io.culex.api.persistence.PersistedOutgoing.State;
import io.culex.core.internal.codec.PublishEncoding;
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
 *
 * <p>Store: when the session is stored, each entry (its id increasing in queue order) is an event: added when
 * queued or sent at once, updated when sent from the queue or released (QoS 2 PUBREC), removed when acknowledged,
 * expired or dropped. QoS 0 entries are events only when queued for an offline client: while it is connected they
 * leave within moments, and QoS 0 may be lost.
 */
final class Outbound {

    private static final Logger LOG = LoggerFactory.getLogger(Session.class);
    private static final int MAX_PACKET_ID = 65535;

    private final Session owner;
    private final String clientId;
    private final SessionContext engine;
    private final Backlog backlog;
    private SessionConnection connection;
    private LinkedHashMap<Integer, Outgoing> inflight;
    private long inflightBytes;
    private ArrayDeque<Queued> queue;
    private long queuedBytes;
    private int nextPacketId = 1;
    private long nextEntryId = 1;
    /**
     * Messages for this client are being dropped (queue full); logged once per episode, which ends when the queue
     * has drained to half its limits (Mosquitto logs once per connection).
     */
    private boolean dropping;

    Outbound(Session owner, SessionContext engine, Backlog backlog) {
        this.owner = owner;
        this.clientId = owner.clientId();
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
            for (Iterator<Outgoing> it = inflight.values().iterator(); it.hasNext(); ) {
                Outgoing o = it.next();
                if (o.awaitingPubcomp) {
                    newConnection.write(PublishEncoding.ack(alloc, PublishEncoding.PUBREL, o.packetId));
                } else if (newConnection.isMqtt5() && tooLargeForClient(o.message, o.qos, o.subscriptionIds)) {
                    // the client now announces a smaller Maximum Packet Size: discarded as if delivered [MQTT-3.1.2-25]
                    it.remove();
                    inflightBytes -= o.release();
                    storeRemoved(o.entryId);
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
            sendInflight(message, qos, retainFlag, subscriptionIds, nextEntryId++, false);
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

    /**
     * @param entryId the entry's id: from the queue, or new
     * @param fromStoredQueue whether the entry was queued and the store was told so
     */
    private void sendInflight(Message message, int qos, boolean retainFlag, int[] subscriptionIds, long entryId,
                              boolean fromStoredQueue) {
        if ((connection.isMqtt5() && tooLargeForClient(message, qos, subscriptionIds))
                || topicFor(message, connection) == null) {
            if (fromStoredQueue) {
                storeRemoved(entryId);
            }
            return;
        }
        int packetId = nextPacketId();
        if (inflight == null) {
            inflight = new LinkedHashMap<>();
        }
        Outgoing o = new Outgoing(entryId, message.id(), message.retain(), qos, packetId, retainFlag,
                subscriptionIds);
        inflight.put(packetId, o);
        inflightBytes += message.payloadSize();
        if (owner.isStored()) {
            PersistedOutgoing entry = o.persisted(State.SENT);
            if (fromStoredQueue) {
                engine.sessionChanges().outgoingUpdated(clientId, entry);
            } else {
                engine.sessionChanges().outgoingAdded(clientId, entry, message);
            }
        }
        writePublish(message, qos, retainFlag, false, packetId, subscriptionIds);
    }

    private void storeRemoved(long entryId) {
        if (owner.isStored()) {
            engine.sessionChanges().outgoingRemoved(clientId, entryId);
        }
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
        boolean stored = owner.isStored() && (qos > 0 || connection == null);
        Queued q = new Queued(nextEntryId++, message.retain(), qos, retainFlag, subscriptionIds, stored);
        queue.addLast(q);
        queuedBytes += size;
        if (stored) {
            engine.sessionChanges().outgoingAdded(clientId, q.persisted(), message);
        }
        updateBacklog();
    }

    /** The queue is full and messages are lost: say so once, until the queue has drained to half its limits. */
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
                if (q.stored) {
                    storeRemoved(q.entryId);
                }
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
            if (dropping && queue != null && engine.settings().isQueueHalfEmpty(queue.size(), queuedBytes)) {
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
                if (q.stored) {
                    storeRemoved(q.entryId);
                }
            } else if (q.qos == 0) {
                if (!connection.isWritable()) {
                    return;
                }
                queue.pollFirst();
                writeQos0(q.message, q.retainFlag, q.subscriptionIds);
                if (q.stored) {
                    storeRemoved(q.entryId);
                }
            } else {
                if (!inflightHasRoom(settings)) {
                    return;
                }
                queue.pollFirst();
                if (q.stored) {
                    sendInflight(q.message, q.qos, q.retainFlag, q.subscriptionIds, q.entryId, true);
                } else {
                    // queued while the session was not yet stored: the store hears of it as new
                    sendInflight(q.message, q.qos, q.retainFlag, q.subscriptionIds, q.entryId, false);
                }
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
        storeRemoved(o.entryId);
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
                storeRemoved(o.entryId);
                drain();
            }
            return;
        }
        if (o != null && o.qos == 2 && !o.awaitingPubcomp) {
            o.awaitingPubcomp = true;
            inflightBytes -= o.release();
            if (owner.isStored()) {
                engine.sessionChanges().outgoingUpdated(clientId, o.persisted(State.RELEASED));
            }
        }
        boolean known = o != null && o.qos == 2;
        connection.write(PublishEncoding.ack(connection.alloc(), PublishEncoding.PUBREL, packetId,
                !known && connection.isMqtt5() ? 0x92 : 0));
    }

    /** PUBCOMP from the client: the QoS 2 exchange is complete. */
    void onPubcomp(int packetId) {
        Outgoing o = inflight == null ? null : inflight.get(packetId);
        if (o == null || !o.awaitingPubcomp) {
            LOG.debug("Client {} sent PUBCOMP for unknown packet id {}", clientId, packetId);
            return;
        }
        inflight.remove(packetId);
        storeRemoved(o.entryId);
        drain();
    }

    // ---------------------------------------------------------------- store

    /** Tell a store just installed every entry (on the session's loop). */
    void snapshotTo(SessionChanges target) {
        if (inflight != null) {
            for (Outgoing o : inflight.values()) {
                target.outgoingAdded(clientId, o.persisted(o.awaitingPubcomp ? State.RELEASED : State.SENT),
                        o.message);
            }
        }
        if (queue != null) {
            for (Queued q : queue) {
                if (q.qos > 0 || connection == null) {
                    q.stored = true;
                    target.outgoingAdded(clientId, q.persisted(), q.message);
                }
            }
        }
    }

    /** An entry from the store, in entry id order; takes over the message reference ({@code null} if released). */
    void restore(PersistedOutgoing entry, Message message) {
        nextEntryId = Math.max(nextEntryId, entry.entryId() + 1);
        if (entry.state() == State.QUEUED) {
            if (queue == null) {
                queue = new ArrayDeque<>();
            }
            queue.addLast(new Queued(entry.entryId(), message, entry.qos(), entry.retainFlag(),
                    entry.subscriptionIds(), true));
            queuedBytes += message.payloadSize();
            return;
        }
        if (inflight == null) {
            inflight = new LinkedHashMap<>();
        }
        Outgoing o = new Outgoing(entry.entryId(), entry.messageId(), message, entry.qos(), entry.packetId(),
                entry.retainFlag(), entry.subscriptionIds());
        o.awaitingPubcomp = entry.state() == State.RELEASED;
        Outgoing replaced = inflight.put(entry.packetId(), o);
        if (replaced != null) {
            inflightBytes -= replaced.release();
        }
        if (message != null) {
            inflightBytes += message.payloadSize();
        }
    }

    private static final class Outgoing {
        final long entryId;
        final long messageId;
        Message message;
        final int qos;
        final int packetId;
        final boolean retainFlag;
        final int[] subscriptionIds;
        boolean awaitingPubcomp;

        Outgoing(long entryId, long messageId, Message message, int qos, int packetId, boolean retainFlag,
                 int[] subscriptionIds) {
            this.entryId = entryId;
            this.messageId = messageId;
            this.message = message;
            this.qos = qos;
            this.packetId = packetId;
            this.retainFlag = retainFlag;
            this.subscriptionIds = subscriptionIds;
        }

        PersistedOutgoing persisted(State state) {
            return new PersistedOutgoing(entryId, messageId, qos, retainFlag, subscriptionIds, state, packetId);
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
        final long entryId;
        final Message message;
        final int qos;
        final boolean retainFlag;
        final int[] subscriptionIds;
        /** The store was told of this entry. */
        boolean stored;

        Queued(long entryId, Message message, int qos, boolean retainFlag, int[] subscriptionIds, boolean stored) {
            this.entryId = entryId;
            this.message = message;
            this.qos = qos;
            this.retainFlag = retainFlag;
            this.subscriptionIds = subscriptionIds;
            this.stored = stored;
        }

        PersistedOutgoing persisted() {
            return new PersistedOutgoing(entryId, message.id(), qos, retainFlag, subscriptionIds, State.QUEUED, 0);
        }
    }
}
