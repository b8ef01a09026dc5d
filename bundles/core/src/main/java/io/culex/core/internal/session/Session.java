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
import io.culex.core.internal.routing.Message;
import io.culex.core.internal.routing.Subscriber;
import io.culex.core.internal.routing.Subscription;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.EventLoop;

/**
 * An MQTT session: subscriptions, the outbound inflight window and queue, and the packet identifiers of incoming
 * QoS 2 messages. It outlives its connection when the client asked for a persistent session.
 *
 * <p>Threading: all state belongs to {@link #loop()}, the event loop of the connection it is attached to (or was
 * last attached to); it is read and written only there, without locks. Work arriving on another thread is
 * forwarded to the owner loop. On takeover the session is handed to the new connection's loop by a task, which
 * gives the happens-before edge.
 *
 * <p>Memory: the collections are created on first use, so an idle client without subscriptions costs little.
 */
public final class Session implements Subscriber {

    private static final Logger LOG = LoggerFactory.getLogger(Session.class);
    private static final int MAX_PACKET_ID = 65535;

    private final String clientId;
    private final boolean persistent;
    private final Engine engine;
    private volatile EventLoop loop;
    /** The newest connection that claimed this session; see {@link SessionRegistry}. */
    volatile Object claimant;

    private SessionConnection connection;
    private ClientInfo client;
    private volatile ConcurrentHashMap<String, Subscription> subscriptions;
    private volatile int subscriptionCount;
    private LinkedHashMap<Integer, Outgoing> inflight;
    private long inflightBytes;
    private ArrayDeque<Queued> queue;
    private long queuedBytes;
    private int nextPacketId = 1;
    private Set<Integer> incomingQos2;
    private ScheduledFuture<?> expiry;
    private boolean destroyed;

    Session(String clientId, boolean persistent, Engine engine, EventLoop loop) {
        this.clientId = clientId;
        this.persistent = persistent;
        this.engine = engine;
        this.loop = loop;
    }

    public String clientId() {
        return clientId;
    }

    /** @return whether it survives disconnection (clean session = false) */
    public boolean isPersistent() {
        return persistent;
    }

    @Override
    public EventLoop loop() {
        return loop;
    }

    void moveTo(EventLoop newLoop) {
        loop = newLoop;
    }

    @Override
    public int subscriptionCount() {
        return subscriptionCount;
    }

    public boolean isConnected() {
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
        }
    }

    /**
     * The claimant got the session but its connection died before attaching: treat it like a disconnection, unless
     * a newer claimant is on its way.
     */
    public void abandon(Object formerClaimant) {
        if (claimant == formerClaimant && connection == null && !destroyed) {
            if (!persistent) {
                destroy();
            } else {
                long expirySeconds = engine.settings().persistentClientExpirationSeconds;
                if (expirySeconds > 0 && expiry == null) {
                    expiry = loop.schedule(this::expire, expirySeconds, TimeUnit.SECONDS);
                }
            }
        }
    }

    // ---------------------------------------------------------------- attach / detach

    /**
     * Attach a connection (on the session's loop): resend unacknowledged messages with DUP, then what was queued.
     */
    public void attach(SessionConnection newConnection) {
        connection = newConnection;
        client = newConnection.client();
        if (expiry != null) {
            expiry.cancel(false);
            expiry = null;
        }
        if (inflight != null) {
            ByteBufAllocator alloc = newConnection.alloc();
            for (Outgoing o : inflight.values()) {
                if (o.awaitingPubcomp) {
                    newConnection.write(PublishEncoding.ack(alloc, PublishEncoding.PUBREL, o.packetId));
                } else {
                    writePublish(o.message, o.qos, o.retainFlag, true, o.packetId);
                }
            }
        }
        drain();
    }

    /**
     * The connection is gone (on the session's loop). A clean session is destroyed; a persistent one stays, and
     * expires after {@code persistent_client_expiration} if that is set.
     */
    public void detach(SessionConnection oldConnection) {
        if (connection != oldConnection) {
            return;
        }
        connection = null;
        if (!persistent) {
            destroy();
            return;
        }
        long expirySeconds = engine.settings().persistentClientExpirationSeconds;
        if (expirySeconds > 0) {
            expiry = loop.schedule(this::expire, expirySeconds, TimeUnit.SECONDS);
        }
    }

    private void expire() {
        if (connection == null && !destroyed) {
            LOG.info("Expiring client {} due to timeout.", clientId);
            destroy();
        }
    }

    /** Forget everything (on the session's loop): subscriptions, queued and inflight messages. */
    public void destroy() {
        if (destroyed) {
            return;
        }
        destroyed = true;
        if (expiry != null) {
            expiry.cancel(false);
            expiry = null;
        }
        if (subscriptions != null) {
            for (String filter : subscriptions.keySet()) {
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
        incomingQos2 = null;
        engine.sessions().removed(this);
    }

    // ---------------------------------------------------------------- subscriptions

    /**
     * @return whether a subscription to the same filter existed (it is replaced)
     */
    public boolean subscribe(String filter, int qos) {
        if (subscriptions == null) {
            subscriptions = new ConcurrentHashMap<>(4);
        }
        Subscription subscription = new Subscription(this, filter, qos);
        boolean existed = subscriptions.put(filter, subscription) != null;
        subscriptionCount = subscriptions.size();
        engine.subscriptions().subscribe(subscription);
        return existed;
    }

    /** @return whether there was such a subscription */
    public boolean unsubscribe(String filter) {
        if (subscriptions == null || subscriptions.remove(filter) == null) {
            return false;
        }
        subscriptionCount = subscriptions.size();
        engine.subscriptions().unsubscribe(this, filter);
        return true;
    }

    /** @return a copy of the subscriptions, filter to QoS; safe to call from any thread */
    public Map<String, Integer> subscriptionSnapshot() {
        Map<String, Subscription> subscriptions = this.subscriptions;
        if (subscriptions == null) {
            return Collections.emptyMap();
        }
        Map<String, Integer> copy = new HashMap<>();
        subscriptions.forEach((f, s) -> copy.put(f, s.qos()));
        return copy;
    }

    // ---------------------------------------------------------------- outbound

    @Override
    public void deliver(Message message, int subscriptionQos) {
        if (!loop.inEventLoop()) {
            message.retain();
            loop.execute(() -> {
                try {
                    deliver(message, subscriptionQos);
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
        int qos = settings.upgradeOutgoingQos ? subscriptionQos : Math.min(message.qos(), subscriptionQos);
        if (client != null && !engine.access().isAllowed(client, Access.DELIVER, message.topic(), qos, false)) {
            return;
        }
        send(message, qos, false, settings);
    }

    /**
     * Deliver a retained message because of a new subscription: retain flag set on the wire.
     */
    public void deliverRetained(Message message, int qos) {
        if (destroyed || !engine.access().isAllowed(client, Access.DELIVER, message.topic(), qos, true)) {
            return;
        }
        send(message, qos, true, engine.settings());
    }

    private void send(Message message, int qos, boolean retainFlag, BrokerSettings settings) {
        if (connection == null) {
            if (qos > 0 || settings.queueQos0Messages) {
                enqueue(message, qos, retainFlag, settings);
            }
            return;
        }
        if (queue != null && !queue.isEmpty()) {
            enqueue(message, qos, retainFlag, settings); // keep the order
            drain();
            return;
        }
        if (qos == 0) {
            if (connection.isWritable()) {
                writeQos0(message, retainFlag);
            } else {
                enqueue(message, qos, retainFlag, settings);
            }
        } else if (inflightHasRoom(settings)) {
            sendInflight(message, qos, retainFlag);
        } else {
            enqueue(message, qos, retainFlag, settings);
        }
    }

    private void writeQos0(Message message, boolean retainFlag) {
        if (retainFlag) {
            connection.write(PublishEncoding.completePacket(connection.alloc(), message, 0, true, false, 0));
        } else {
            connection.write(message.qos0Packet(connection.alloc()));
        }
        engine.stats().publishSent();
    }

    private void sendInflight(Message message, int qos, boolean retainFlag) {
        int packetId = nextPacketId();
        if (inflight == null) {
            inflight = new LinkedHashMap<>();
        }
        inflight.put(packetId, new Outgoing(message.retain(), qos, packetId, retainFlag));
        inflightBytes += message.payloadSize();
        writePublish(message, qos, retainFlag, false, packetId);
    }

    private void writePublish(Message message, int qos, boolean retainFlag, boolean dup, int packetId) {
        ByteBufAllocator alloc = connection.alloc();
        connection.write(PublishEncoding.header(alloc, message, qos, retainFlag, dup, packetId));
        connection.write(message.payload().retainedDuplicate());
        engine.stats().publishSent();
    }

    private boolean inflightHasRoom(BrokerSettings settings) {
        int size = inflight == null ? 0 : inflight.size();
        int max = settings.maxInflightMessages;
        boolean bytesLeft = settings.maxInflightBytes == 0 || size == 0 || inflightBytes < settings.maxInflightBytes;
        return size < MAX_PACKET_ID - 1 && (max == 0 || size < max) && bytesLeft;
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
    private void enqueue(Message message, int qos, boolean retainFlag, BrokerSettings settings) {
        if (queue == null) {
            queue = new ArrayDeque<>();
        }
        int size = message.payloadSize();
        while (isFull(size, settings)) {
            if (!dropOldestQos0()) {
                engine.stats().publishDropped();
                if (LOG.isDebugEnabled()) {
                    LOG.debug("Outgoing messages are being dropped for client {}.", clientId);
                }
                return;
            }
        }
        queue.addLast(new Queued(message.retain(), qos, retainFlag));
        queuedBytes += size;
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
                return true;
            }
        }
        return false;
    }

    /** Send queued messages while the inflight window and the socket allow. */
    public void drain() {
        if (connection == null || queue == null) {
            return;
        }
        BrokerSettings settings = engine.settings();
        while (!queue.isEmpty()) {
            Queued q = queue.peekFirst();
            if (q.qos == 0) {
                if (!connection.isWritable()) {
                    return;
                }
                queue.pollFirst();
                writeQos0(q.message, q.retainFlag);
            } else {
                if (!inflightHasRoom(settings)) {
                    return;
                }
                queue.pollFirst();
                sendInflight(q.message, q.qos, q.retainFlag);
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

    /** PUBREC from the client: the message is delivered; answer PUBREL and forget the payload. */
    public void onPubrec(int packetId) {
        Outgoing o = inflight == null ? null : inflight.get(packetId);
        if (o != null && o.qos == 2 && !o.awaitingPubcomp) {
            o.awaitingPubcomp = true;
            inflightBytes -= o.release();
        }
        connection.write(PublishEncoding.ack(connection.alloc(), PublishEncoding.PUBREL, packetId));
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

    /** PUBREL: the QoS 2 exchange for this packet id is over. */
    public void endIncomingQos2(int packetId) {
        if (incomingQos2 != null) {
            incomingQos2.remove(packetId);
        }
    }

    /** @return messages queued and inflight, for statistics and tests */
    public int pendingMessages() {
        return (queue == null ? 0 : queue.size()) + (inflight == null ? 0 : inflight.size());
    }

    @Override
    public String toString() {
        return "Session[" + clientId + (persistent ? ", persistent" : "") + "]";
    }

    private static final class Outgoing {
        Message message;
        final int qos;
        final int packetId;
        final boolean retainFlag;
        boolean awaitingPubcomp;

        Outgoing(Message message, int qos, int packetId, boolean retainFlag) {
            this.message = message;
            this.qos = qos;
            this.packetId = packetId;
            this.retainFlag = retainFlag;
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

        Queued(Message message, int qos, boolean retainFlag) {
            this.message = message;
            this.qos = qos;
            this.retainFlag = retainFlag;
        }
    }
}
