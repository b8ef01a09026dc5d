package io.culex.core.internal.session;

import java.util.ArrayDeque;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.culex.api.Access;
import io.culex.api.ClientInfo;
import io.culex.core.internal.BrokerSettings;
import io.culex.core.internal.Engine;
import io.culex.core.internal.protocol.PublishEncoding;
import io.culex.core.internal.routing.Backlog;
import io.culex.core.internal.routing.FlowSource;
import io.culex.core.internal.routing.Message;
import io.culex.core.internal.routing.Subscriber;
import io.culex.core.internal.routing.Subscription;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.EventLoop;

/**
 * An MQTT session: subscriptions, the outbound inflight window and queue, the packet identifiers of incoming
 * QoS 2 messages, and a delayed will. It outlives its connection for its session expiry interval (MQTT 5), or until
 * {@code persistent_client_expiration} for an MQTT 3.x client with clean session false.
 *
 * <p>Threading: all state belongs to {@link #loop()}, the event loop of the connection it is attached to (or was
 * last attached to); it is read and written only there, without locks. Work arriving on another thread is
 * forwarded to the owner loop. On takeover the session is handed to the new connection's loop by a task, which
 * gives the happens-before edge.
 *
 * <p>Memory: the collections are created on first use, so an idle client without subscriptions costs little.
 */
public final class Session implements Subscriber {

    /** Session expiry meaning "never" (MQTT 5's 0xFFFFFFFF, or 3.x persistent without expiration). */
    public static final long NEVER_EXPIRES = Long.MAX_VALUE;

    private static final Logger LOG = LoggerFactory.getLogger(Session.class);
    private static final int MAX_PACKET_ID = 65535;

    private final String clientId;
    private final Engine engine;
    private final Backlog backlog;
    private volatile EventLoop loop;
    /** The newest connection that claimed this session; see {@link SessionRegistry}. */
    volatile Object claimant;

    private volatile SessionConnection connection;
    private ClientInfo client;
    /** Seconds the session outlives its connection; 0 ends it with the connection. */
    private long expirySeconds;
    private volatile ConcurrentHashMap<String, Subscription> subscriptions;
    private volatile int subscriptionCount;
    private LinkedHashMap<Integer, Outgoing> inflight;
    private long inflightBytes;
    private ArrayDeque<Queued> queue;
    private long queuedBytes;
    private int nextPacketId = 1;
    private Set<Integer> incomingQos2;
    private ScheduledFuture<?> expiry;
    private Message pendingWill;
    private ClientInfo pendingWillClient;
    private ScheduledFuture<?> pendingWillTask;
    private boolean destroyed;
    /** Messages for this client are being dropped (queue full); logged once per episode, as Mosquitto does. */
    private boolean dropping;

    Session(String clientId, long expirySeconds, Engine engine, EventLoop loop) {
        this.clientId = clientId;
        this.expirySeconds = expirySeconds;
        this.engine = engine;
        this.loop = loop;
        this.backlog = new Backlog(clientId);
        BrokerSettings settings = engine.settings();
        backlog.limits(settings.maxQueuedMessages, settings.maxQueuedBytes);
    }

    @Override
    public String clientId() {
        return clientId;
    }

    /** @return whether it survives disconnection */
    public boolean isPersistent() {
        return expirySeconds != 0;
    }

    /** Set the session expiry interval (at CONNECT, or by an MQTT 5 DISCONNECT). */
    public void setExpirySeconds(long seconds) {
        expirySeconds = seconds;
    }

    public long expirySeconds() {
        return expirySeconds;
    }

    @Override
    public EventLoop loop() {
        return loop;
    }

    void moveTo(EventLoop newLoop) {
        loop = newLoop;
    }

    @Override
    public Backlog backlog() {
        return backlog;
    }

    @Override
    public int subscriptionCount() {
        return subscriptionCount;
    }

    @Override
    public boolean isOnline() {
        return connection != null;
    }

    public boolean isDestroyed() {
        return destroyed;
    }

    SessionConnection connection() {
        return connection;
    }

    /** @return whether this claimant is the newest connection to claim the session */
    public boolean isClaimedBy(Object candidate) {
        return claimant == candidate;
    }

    /** Detach a connection without ending the session (takeover: a new connection follows). */
    void release(SessionConnection old) {
        if (connection == old) {
            connection = null;
            backlog.owner(null);
            updateBacklog();
        }
    }

    /**
     * The claimant got the session but its connection died before attaching: treat it like a disconnection, unless
     * a newer claimant is on its way.
     */
    public void abandon(Object formerClaimant) {
        if (claimant == formerClaimant && connection == null && !destroyed) {
            startExpiry();
        }
    }

    // ---------------------------------------------------------------- attach / detach

    /**
     * Attach a connection (on the session's loop): cancel a pending will, resend unacknowledged messages with DUP,
     * then what was queued.
     */
    public void attach(SessionConnection newConnection) {
        connection = newConnection;
        client = newConnection.client();
        backlog.owner(newConnection instanceof FlowSource ? (FlowSource) newConnection : null);
        BrokerSettings settings = engine.settings();
        backlog.limits(settings.maxQueuedMessages, settings.maxQueuedBytes);
        cancel(expiry);
        expiry = null;
        if (pendingWill != null) {
            // MQTT 5: reconnecting within the will delay cancels the will
            cancel(pendingWillTask);
            pendingWill.release();
            pendingWill = null;
            pendingWillClient = null;
        }
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

    /**
     * The connection is gone (on the session's loop). A session with expiry 0 ends now; another stays for its
     * expiry interval.
     */
    public void detach(SessionConnection oldConnection) {
        if (connection != oldConnection) {
            return;
        }
        connection = null;
        backlog.owner(null);
        updateBacklog(); // an offline session's queue paces nobody: its limits alone apply
        startExpiry();
    }

    private void startExpiry() {
        if (expirySeconds == 0) {
            destroy();
        } else if (expirySeconds != NEVER_EXPIRES && expiry == null) {
            expiry = loop.schedule(this::expire, expirySeconds, TimeUnit.SECONDS);
        }
    }

    private void expire() {
        if (connection == null && !destroyed) {
            LOG.info("Expiring client {} due to timeout.", clientId);
            engine.stats().sessionExpired();
            destroy();
        }
    }

    /**
     * MQTT 5 will delay: publish the will after a delay unless the client reconnects first, and at the latest when
     * the session ends. Takes ownership of the will.
     */
    public void delayWill(Message will, ClientInfo willClient, long delaySeconds) {
        pendingWill = will;
        pendingWillClient = willClient;
        pendingWillTask = loop.schedule(this::publishPendingWill, delaySeconds, TimeUnit.SECONDS);
    }

    private void publishPendingWill() {
        Message will = pendingWill;
        if (will == null) {
            return;
        }
        pendingWill = null;
        cancel(pendingWillTask);
        try {
            engine.publishWill(will, pendingWillClient, loop);
        } finally {
            will.release();
            pendingWillClient = null;
        }
    }

    /** Forget everything (on the session's loop): subscriptions, queued and inflight messages. */
    public void destroy() {
        if (destroyed) {
            return;
        }
        destroyed = true;
        cancel(expiry);
        expiry = null;
        publishPendingWill();
        ConcurrentHashMap<String, Subscription> subs = subscriptions;
        if (subs != null) {
            for (String filter : subs.keySet()) {
                engine.subscriptions().unsubscribe(this, filter);
            }
            subscriptions = null;
            subscriptionCount = 0;
        }
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
        backlog.owner(null);
        updateBacklog(); // publishers waiting for this session must not wait for ever
        incomingQos2 = null;
        engine.sessions().removed(this);
    }

    // ---------------------------------------------------------------- subscriptions

    /**
     * Add or replace a subscription.
     *
     * @return whether a subscription to the same filter existed (it is replaced)
     */
    public boolean subscribe(Subscription subscription) {
        ConcurrentHashMap<String, Subscription> subs = subscriptions;
        if (subs == null) {
            subs = new ConcurrentHashMap<>(4);
            subscriptions = subs;
        }
        boolean existed = subs.put(subscription.key(), subscription) != null;
        subscriptionCount = subs.size();
        engine.subscriptions().subscribe(subscription);
        return existed;
    }

    /** @return whether there was such a subscription */
    public boolean unsubscribe(String filter) {
        ConcurrentHashMap<String, Subscription> subs = subscriptions;
        if (subs == null || subs.remove(filter) == null) {
            return false;
        }
        subscriptionCount = subs.size();
        engine.subscriptions().unsubscribe(this, filter);
        return true;
    }

    /** @return a copy of the subscriptions, filter to QoS; safe to call from any thread */
    public Map<String, Integer> subscriptionSnapshot() {
        Map<String, Subscription> subs = this.subscriptions;
        if (subs == null) {
            return Collections.emptyMap();
        }
        Map<String, Integer> copy = new HashMap<>();
        subs.forEach((f, s) -> copy.put(f, s.qos()));
        return copy;
    }

    // ---------------------------------------------------------------- outbound

    @Override
    public void deliver(Message message, Subscription subscription) {
        if (!loop.inEventLoop()) {
            message.retain();
            loop.execute(() -> {
                try {
                    deliver(message, subscription);
                } finally {
                    message.release();
                }
            });
            return;
        }
        if (destroyed) {
            return;
        }
        BrokerSettings settings = engine.settings();
        int qos = settings.upgradeOutgoingQos ? subscription.qos() : Math.min(message.qos(), subscription.qos());
        if (client != null && !engine.access().isAllowed(client, Access.DELIVER, message.topic(), qos, false)) {
            return;
        }
        boolean retainFlag = subscription.retainAsPublished() && message.isRetain();
        send(message, qos, retainFlag, subscription.subscriptionIds(), settings);
    }

    /**
     * Deliver a retained message because of a new subscription: retain flag set on the wire.
     */
    public void deliverRetained(Message message, int qos, int[] subscriptionIds) {
        if (destroyed || !engine.access().isAllowed(client, Access.DELIVER, message.topic(), qos, true)) {
            return;
        }
        send(message, qos, true, subscriptionIds, engine.settings());
    }

    private void send(Message message, int qos, boolean retainFlag, int[] subscriptionIds, BrokerSettings settings) {
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
        if (queue.isEmpty()) {
            return false; // one message always fits, however large, or nothing could ever be delivered
        }
        boolean countFull = settings.maxQueuedMessages > 0 && queue.size() >= settings.maxQueuedMessages;
        boolean bytesFull = settings.maxQueuedBytes > 0 && queuedBytes + size > settings.maxQueuedBytes;
        return countFull || bytesFull;
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
    public void drain() {
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
    public void onPuback(int packetId) {
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
    public void onPubrec(int packetId, int reasonCode) {
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
    public void onPubcomp(int packetId) {
        Outgoing o = inflight == null ? null : inflight.get(packetId);
        if (o == null || !o.awaitingPubcomp) {
            LOG.debug("Client {} sent PUBCOMP for unknown packet id {}", clientId, packetId);
            return;
        }
        inflight.remove(packetId);
        drain();
    }

    // ---------------------------------------------------------------- inbound QoS 2

    /**
     * A QoS 2 PUBLISH arrived.
     *
     * @return {@code true} if it is new and must be routed, {@code false} if it is a retransmission of one already
     *     routed and waiting for PUBREL
     */
    public boolean beginIncomingQos2(int packetId) {
        if (incomingQos2 == null) {
            incomingQos2 = new HashSet<>();
        }
        return incomingQos2.add(packetId);
    }

    /** @return how many incoming QoS 2 messages wait for PUBREL (counted against the broker's Receive Maximum) */
    public int incomingQos2Pending() {
        return incomingQos2 == null ? 0 : incomingQos2.size();
    }

    /**
     * PUBREL: the QoS 2 exchange for this packet id is over.
     *
     * @return whether the packet id was known
     */
    public boolean endIncomingQos2(int packetId) {
        return incomingQos2 != null && incomingQos2.remove(packetId);
    }

    /** @return messages waiting in the queue (on the session's loop) */
    public int queuedMessages() {
        return queue == null ? 0 : queue.size();
    }

    /** @return QoS 1/2 messages sent and not acknowledged (on the session's loop) */
    public int inflightMessages() {
        return inflight == null ? 0 : inflight.size();
    }

    /** @return the connected client, or {@code null} while offline (on the session's loop) */
    public ClientInfo connectedClient() {
        SessionConnection c = connection;
        return c == null ? null : c.client();
    }

    /** @return messages queued and inflight, for statistics and tests */
    public int pendingMessages() {
        return (queue == null ? 0 : queue.size()) + (inflight == null ? 0 : inflight.size());
    }

    private static void cancel(ScheduledFuture<?> future) {
        if (future != null) {
            future.cancel(false);
        }
    }

    @Override
    public String toString() {
        return "Session[" + clientId + (isPersistent() ? ", persistent" : "") + "]";
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
