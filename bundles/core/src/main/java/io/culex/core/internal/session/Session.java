package io.culex.core.internal.session;

import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.culex.api.Access;
import io.culex.api.ClientInfo;
import io.culex.core.internal.routing.Backlog;
import io.culex.core.internal.routing.FlowSource;
import io.culex.core.internal.routing.Message;
import io.culex.core.internal.routing.Subscriber;
import io.culex.core.internal.routing.Subscription;
import io.culex.core.internal.settings.BrokerSettings;
import io.netty.channel.EventLoop;

/**
 * An MQTT session: subscriptions, the outbound inflight window and queue ({@link Outbound}), the packet
 * identifiers of incoming QoS 2 messages, and a delayed will. It outlives its connection for its session expiry interval (MQTT 5), or until
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

    private final String clientId;
    private final SessionContext engine;
    private final SessionRegistry registry;
    private final Backlog backlog;
    private volatile EventLoop loop;
    /** The newest connection that claimed this session; see {@link SessionRegistry}. */
    volatile Object claimant;

    private volatile SessionConnection connection;
    /** The attached client is a bridge (read by the router on other loops). */
    private volatile boolean bridge;
    private ClientInfo client;
    /** Seconds the session outlives its connection; 0 ends it with the connection. */
    private long expirySeconds;
    private volatile ConcurrentHashMap<String, Subscription> subscriptions;
    private volatile int subscriptionCount;
    private final Outbound outbound;
    private Set<Integer> incomingQos2;
    private ScheduledFuture<?> expiry;
    private Message pendingWill;
    private ClientInfo pendingWillClient;
    private long pendingWillDelaySeconds;
    private ScheduledFuture<?> pendingWillTask;
    private boolean destroyed;
    /** A store has been told of this session: its changes are events from now on. */
    private boolean saved;
    /** Epoch ms at which its connection ended; 0 while connected (or never connected). */
    private long disconnectedAtMillis;

    Session(String clientId, long expirySeconds, SessionContext engine, SessionRegistry registry, EventLoop loop) {
        this.clientId = clientId;
        this.registry = registry;
        this.expirySeconds = expirySeconds;
        this.engine = engine;
        this.loop = loop;
        this.backlog = new Backlog(clientId);
        this.outbound = new Outbound(this, engine, backlog);
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
    public boolean isBridge() {
        return bridge;
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
            outbound.detach();
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
        bridge = client != null && client.isBridge();
        backlog.owner(newConnection instanceof FlowSource ? (FlowSource) newConnection : null);
        BrokerSettings settings = engine.settings();
        backlog.limits(settings.maxQueuedMessages, settings.maxQueuedBytes);
        cancel(expiry);
        expiry = null;
        dropPendingWill(); // MQTT 5: reconnecting within the will delay cancels the will
        disconnectedAtMillis = 0;
        save();
        outbound.attach(newConnection);
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
        outbound.detach(); // an offline session's queue paces nobody: its limits alone apply
        disconnectedAtMillis = System.currentTimeMillis();
        save();
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
            destroy();
            engine.stats().sessionExpired(); // after: whoever sees the count sees the session gone
        }
    }

    /**
     * MQTT 5 will delay: publish the will after a delay unless the client reconnects first, and at the latest when
     * the session ends. Takes ownership of the will.
     */
    public void delayWill(Message will, ClientInfo willClient, long delaySeconds) {
        pendingWill = will;
        pendingWillClient = willClient;
        pendingWillDelaySeconds = delaySeconds;
        pendingWillTask = loop.schedule(this::publishPendingWill, delaySeconds, TimeUnit.SECONDS);
    }

    /** The client came back (also with a clean start) before its will delay passed: the will is not sent. */
    public void discardPendingWill() {
        if (pendingWill != null) {
            dropPendingWill();
            save(); // without the will
        }
    }

    /** Forget the delayed will without publishing it. */
    private void dropPendingWill() {
        if (pendingWill != null) {
            cancel(pendingWillTask);
            pendingWill.release();
            pendingWill = null;
            pendingWillClient = null;
        }
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
        if (!destroyed) {
            save(); // without the will
        }
    }

    /**
     * The broker stops (on the session's loop): release what the session holds in memory. A store keeps it: the
     * session is not removed there.
     */
    public void shutdown() {
        if (isStored()) {
            dropPendingWill(); // the session goes on in the store: its will is due after the restart, not now
        }
        saved = false;
        destroy();
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
        outbound.releaseAll();
        backlog.owner(null);
        incomingQos2 = null;
        registry.removed(this);
        SessionChanges changes = engine.sessionChanges();
        if (saved && changes.isActive()) {
            changes.sessionRemoved(clientId);
        }
    }

    // ---------------------------------------------------------------- store

    /** @return whether its changes go to the store: one listens and has been told of this session */
    public boolean isStored() {
        return saved && engine.sessionChanges().isActive();
    }

    /** Tell the store the session's own record (connect, disconnect, will sent): it becomes stored if persistent. */
    private void save() {
        SessionChanges changes = engine.sessionChanges();
        if (destroyed || !isPersistent() || !changes.isActive()) {
            return;
        }
        saved = true;
        saveTo(changes);
    }

    private void saveTo(SessionChanges target) {
        SessionConnection c = connection;
        Message will = c != null ? c.will() : pendingWill;
        long willDelay = c != null ? c.willDelaySeconds() : pendingWillDelaySeconds;
        target.sessionSaved(clientId, client, expirySeconds, disconnectedAtMillis, will, willDelay);
    }

    /**
     * Tell a store that was just installed everything this session holds (on the session's loop); the session's
     * changes are events from now on. Stores apply events as upserts, so what they may already have heard since
     * they were registered is repeated harmlessly.
     */
    public void snapshotTo(SessionChanges target) {
        if (destroyed || !isPersistent()) {
            return;
        }
        saved = true;
        saveTo(target);
        ConcurrentHashMap<String, Subscription> subs = subscriptions;
        if (subs != null) {
            subs.values().forEach(sub -> target.subscriptionAdded(clientId, sub));
        }
        outbound.snapshotTo(target);
        if (incomingQos2 != null) {
            incomingQos2.forEach(id -> target.incomingQos2Added(clientId, id));
        }
    }

    // ---------------------------------------------------------------- restore (before the session is attached)

    /** A subscription from the store. */
    public void restoreSubscription(Subscription subscription) {
        ConcurrentHashMap<String, Subscription> subs = subscriptions;
        if (subs == null) {
            subs = new ConcurrentHashMap<>(4);
            subscriptions = subs;
        }
        subs.put(subscription.key(), subscription);
        subscriptionCount = subs.size();
        engine.subscriptions().subscribe(subscription);
    }

    /** An outgoing entry from the store, in entry id order; the session takes over the message reference. */
    public void restoreOutgoing(io.culex.api.persistence.PersistedOutgoing entry, Message message) {
        outbound.restore(entry, message);
    }

    /** An incoming QoS 2 packet id from the store. */
    public void restoreIncomingQos2(int packetId) {
        if (incomingQos2 == null) {
            incomingQos2 = new HashSet<>();
        }
        incomingQos2.add(packetId);
    }

    /**
     * The last step of a restore: the session is stored, offline since {@code disconnectedAt} (the broker stopped
     * while it was connected: now), and its expiry and will delay count from then. A session whose expiry has
     * passed ends now; a will whose delay has passed is published now.
     *
     * @param lastClient the client it belonged to, for the will's access check
     * @param will the will, owned by the session from here, or {@code null}
     */
    public void restoreOffline(ClientInfo lastClient, long disconnectedAt, Message will, long willDelaySeconds) {
        saved = true;
        client = lastClient;
        long now = System.currentTimeMillis();
        disconnectedAtMillis = disconnectedAt == 0 || disconnectedAt > now ? now : disconnectedAt;
        long offlineSeconds = (now - disconnectedAtMillis) / 1000;
        if (will != null) {
            long delay = Math.min(willDelaySeconds, expirySeconds);
            delayWill(will, lastClient, Math.max(0, delay - offlineSeconds));
        }
        if (expirySeconds != NEVER_EXPIRES) {
            long left = expirySeconds - offlineSeconds;
            if (left <= 0) {
                LOG.info("Expiring client {} due to timeout (while the broker was stopped).", clientId);
                destroy();
                engine.stats().sessionExpired();
                return;
            }
            expiry = loop.schedule(this::expire, left, TimeUnit.SECONDS);
        }
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
        if (isStored()) {
            engine.sessionChanges().subscriptionAdded(clientId, subscription);
        }
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
        if (isStored()) {
            engine.sessionChanges().subscriptionRemoved(clientId, filter);
        }
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
        if (Subscriber.handedToOwnLoop(this, message, subscription) || destroyed) {
            return;
        }
        BrokerSettings settings = engine.settings();
        int qos = settings.upgradeOutgoingQos ? subscription.qos() : Math.min(message.qos(), subscription.qos());
        if (client != null && !engine.access().isAllowed(client, Access.DELIVER, message.topic(), qos, false)) {
            return;
        }
        // a bridge receives the retain flag as published (Mosquitto's try_private), so retained state crosses it
        boolean retainFlag = (subscription.retainAsPublished() || bridge) && message.isRetain();
        outbound.send(message, qos, retainFlag, subscription.subscriptionIds(), settings);
    }

    /**
     * Deliver a retained message because of a new subscription: retain flag set on the wire.
     */
    public void deliverRetained(Message message, int qos, int[] subscriptionIds) {
        if (destroyed || !engine.access().isAllowed(client, Access.DELIVER, message.topic(), qos, true)) {
            return;
        }
        outbound.send(message, qos, true, subscriptionIds, engine.settings());
    }

    /** Send queued messages while the inflight window and the socket allow (the socket became writable). */
    public void drain() {
        outbound.drain();
    }

    /** PUBACK from the client. */
    public void onPuback(int packetId) {
        outbound.onPuback(packetId);
    }

    /**
     * PUBREC from the client: the message is delivered; answer PUBREL and forget the payload. An MQTT 5 PUBREC with
     * an error reason code ends the exchange instead.
     */
    public void onPubrec(int packetId, int reasonCode) {
        outbound.onPubrec(packetId, reasonCode);
    }

    /** PUBCOMP from the client: the QoS 2 exchange is complete. */
    public void onPubcomp(int packetId) {
        outbound.onPubcomp(packetId);
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
        if (!incomingQos2.add(packetId)) {
            return false;
        }
        if (isStored()) {
            engine.sessionChanges().incomingQos2Added(clientId, packetId);
        }
        return true;
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
        if (incomingQos2 == null || !incomingQos2.remove(packetId)) {
            return false;
        }
        if (isStored()) {
            engine.sessionChanges().incomingQos2Removed(clientId, packetId);
        }
        return true;
    }

    /** @return messages waiting in the queue (on the session's loop) */
    public int queuedMessages() {
        return outbound.queuedMessages();
    }

    /** @return QoS 1/2 messages sent and not acknowledged (on the session's loop) */
    public int inflightMessages() {
        return outbound.inflightMessages();
    }

    /** @return the connected client, or {@code null} while offline (on the session's loop) */
    public ClientInfo connectedClient() {
        SessionConnection c = connection;
        return c == null ? null : c.client();
    }

    /** @return messages queued and inflight, for statistics and tests */
    public int pendingMessages() {
        return outbound.queuedMessages() + outbound.inflightMessages();
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
}
