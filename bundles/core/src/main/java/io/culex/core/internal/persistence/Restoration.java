package io.culex.core.internal.persistence;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.culex.api.persistence.PersistedMessage;
import io.culex.api.persistence.PersistedOutgoing;
import io.culex.api.persistence.PersistedSession;
import io.culex.api.persistence.PersistedSubscription;
import io.culex.api.persistence.Restorer;
import io.culex.core.internal.routing.Message;
import io.culex.core.internal.routing.MessageProperties;
import io.culex.core.internal.routing.RetainedStore;
import io.culex.core.internal.routing.Subscription;
import io.culex.core.internal.session.Session;
import io.culex.core.internal.session.SessionRegistry;
import io.culex.core.internal.transport.EventLoops;
import io.netty.buffer.Unpooled;
import io.netty.channel.EventLoop;

/**
 * One store's restore: collects what the store hands over, then applies it to the running broker in two steps,
 * each session on its own loop: first every session with its subscriptions, outgoing entries and incoming QoS 2
 * ids, then (once all subscriptions are back, so that wills reach them) each session's expiry and will.
 */
final class Restoration implements Restorer {

    private static final Logger LOG = LoggerFactory.getLogger(Restoration.class);

    private final Map<String, SessionRecord> sessions = new LinkedHashMap<>();
    private final Map<Long, PersistedMessage> messages = new HashMap<>();
    private final List<PersistedMessage> retained = new ArrayList<>();
    private final Map<String, SessionRecord> orphans = new HashMap<>();
    /** Whether retained messages are taken: a store's restore brings them, an import of sessions does not. */
    private final boolean withRetained;

    /** A store's restore: sessions and retained messages. */
    Restoration() {
        this(true);
    }

    /** @param withRetained whether retained messages handed over are applied (else ignored) */
    Restoration(boolean withRetained) {
        this.withRetained = withRetained;
    }

    /** What the store holds of one session. */
    private static final class SessionRecord {
        PersistedSession session;
        final List<PersistedSubscription> subscriptions = new ArrayList<>();
        final List<PersistedOutgoing> outgoing = new ArrayList<>();
        final List<Integer> incomingQos2 = new ArrayList<>();
        Session restored;
    }

    /** @return the sessions this restoration put in place (after {@link #apply}) */
    synchronized List<Session> restoredSessions() {
        List<Session> restored = new ArrayList<>();
        for (SessionRecord record : sessions.values()) {
            if (record.restored != null) {
                restored.add(record.restored);
            }
        }
        return restored;
    }

    /** What was restored, for the log. */
    record Result(int sessions, int kept, int messages, int retained, int dropped) {
    }

    /** @return whether this restore created the session (its state came from the store) */
    synchronized boolean restored(Session session) {
        SessionRecord record = sessions.get(session.clientId());
        return record != null && record.restored == session;
    }

    // ---------------------------------------------------------------- Restorer (the store's thread)

    @Override
    public synchronized void session(PersistedSession session) {
        PersistedSession s = session;
        if (s.will() != null) {
            s = new PersistedSession(s.clientId(), s.username(), s.listener(), s.protocolVersion(), s.expirySeconds(),
                    s.disconnectedAtMillis(), copy(s.will()), s.willDelaySeconds());
        }
        record(session.clientId()).session = s;
    }

    @Override
    public synchronized void subscription(String clientId, PersistedSubscription subscription) {
        record(clientId).subscriptions.add(subscription);
    }

    @Override
    public synchronized void outgoing(String clientId, PersistedOutgoing entry, PersistedMessage message) {
        if (message == null && entry.state() != PersistedOutgoing.State.RELEASED) {
            throw new IllegalArgumentException("a " + entry.state() + " entry needs its message");
        }
        if (message != null) {
            messages.putIfAbsent(message.id(), copy(message));
        }
        record(clientId).outgoing.add(entry);
    }

    @Override
    public synchronized void incomingQos2(String clientId, int packetId) {
        record(clientId).incomingQos2.add(packetId);
    }

    @Override
    public synchronized void retained(PersistedMessage message) {
        if (withRetained) {
            retained.add(copy(message));
        }
    }

    private SessionRecord record(String clientId) {
        return sessions.computeIfAbsent(clientId, id -> new SessionRecord());
    }

    /** The store's buffers are valid only during its call: keep a copy. */
    private static PersistedMessage copy(PersistedMessage m) {
        return PersistedMessage.of(m.id(), m.topic(), bytes(m.payload()), m.qos(), m.retain(), m.publisherId(),
                bytes(m.properties()), m.expiresAtMillis());
    }

    private static byte[] bytes(ByteBuffer buffer) {
        ByteBuffer b = buffer.duplicate();
        byte[] bytes = new byte[b.remaining()];
        b.get(bytes);
        return bytes;
    }

    // ---------------------------------------------------------------- apply (any thread)

    /**
     * Apply what was collected.
     *
     * @return completes with the counts once every restored session is in place with its timers
     */
    synchronized CompletionStage<Result> apply(SessionRegistry registry, RetainedStore retainedStore,
                                               EventLoops loops) {
        long nowMillis = System.currentTimeMillis();
        Map<Long, Message> built = new HashMap<>();
        int dropped = 0;
        List<CompletableFuture<Void>> filled = new ArrayList<>();
        List<SessionRecord> kept = new ArrayList<>();
        for (Map.Entry<String, SessionRecord> e : sessions.entrySet()) {
            SessionRecord record = e.getValue();
            if (record.session == null) {
                orphans.put(e.getKey(), record);
                continue;
            }
            EventLoop loop = loops.workerFor(e.getKey());
            Session session = registry.restore(e.getKey(), record.session.expirySeconds() == PersistedSession.NEVER_EXPIRES
                    ? Session.NEVER_EXPIRES : record.session.expirySeconds(), loop);
            if (session == null) {
                dropped++; // the running broker has this client's session: it wins
                continue;
            }
            record.restored = session;
            kept.add(record);
            record.outgoing.sort(Comparator.comparingLong(PersistedOutgoing::entryId));
            List<Message> entryMessages = new ArrayList<>(record.outgoing.size());
            for (PersistedOutgoing entry : record.outgoing) {
                Message m = entry.state() == PersistedOutgoing.State.RELEASED ? null
                        : message(built, entry.messageId(), nowMillis);
                if (m != null) {
                    m.retain(); // the session's reference
                }
                entryMessages.add(m);
            }
            CompletableFuture<Void> done = new CompletableFuture<>();
            filled.add(done);
            loop.execute(() -> {
                try {
                    fill(record, session, entryMessages);
                } finally {
                    done.complete(null);
                }
            });
        }
        int retainedKept = 0;
        for (PersistedMessage r : retained) {
            Message m = toMessage(r, nowMillis);
            if (m != null) {
                if (retainedStore.restore(m)) {
                    retainedKept++;
                }
                m.release();
            }
        }
        if (!orphans.isEmpty()) {
            LOG.warn("The store held records of {} client(s) without a session record; dropped: {}",
                    orphans.size(), orphans.keySet());
        }
        int messageCount = built.size();
        int droppedSessions = dropped;
        int retainedCount = retainedKept;
        return CompletableFuture.allOf(filled.toArray(new CompletableFuture[0])).thenCompose(v -> {
            built.values().forEach(Message::release); // the sessions hold their own references now
            List<CompletableFuture<Void>> timed = new ArrayList<>();
            for (SessionRecord record : kept) {
                CompletableFuture<Void> done = new CompletableFuture<>();
                timed.add(done);
                Session session = record.restored;
                PersistedSession stored = record.session;
                Message will = stored.will() == null ? null : toMessage(stored.will(), nowMillis);
                session.loop().execute(() -> {
                    try {
                        session.restoreOffline(new RestoredClient(stored), stored.disconnectedAtMillis(), will,
                                stored.willDelaySeconds());
                    } finally {
                        done.complete(null);
                    }
                });
            }
            return CompletableFuture.allOf(timed.toArray(new CompletableFuture[0]));
        }).thenApply(v -> new Result(sessions.size() - orphans.size(), kept.size(), messageCount, retainedCount,
                droppedSessions));
    }

    /** On the session's loop: subscriptions, outgoing entries (each with its reference), incoming QoS 2 ids. */
    private static void fill(SessionRecord record, Session session, List<Message> entryMessages) {
        for (PersistedSubscription s : record.subscriptions) {
            session.restoreSubscription(new Subscription(session, s.filter(), s.qos(), s.noLocal(),
                    s.retainAsPublished(), s.retainHandling(), s.subscriptionId()));
        }
        for (int i = 0; i < record.outgoing.size(); i++) {
            PersistedOutgoing entry = record.outgoing.get(i);
            Message m = entryMessages.get(i);
            if (m == null && entry.state() != PersistedOutgoing.State.RELEASED) {
                continue; // its message expired, or the store lost it
            }
            session.restoreOutgoing(entry, m);
        }
        record.incomingQos2.forEach(session::restoreIncomingQos2);
    }

    /** @return the broker message for an id (one per id, held by {@code built}), or {@code null} */
    private Message message(Map<Long, Message> built, long id, long nowMillis) {
        Message m = built.get(id);
        if (m == null) {
            PersistedMessage stored = messages.get(id);
            if (stored == null) {
                LOG.warn("The store has no message {} for an outgoing entry; the entry is dropped.", id);
                return null;
            }
            m = toMessage(stored, nowMillis);
            if (m == null) {
                return null;
            }
            built.put(id, m);
        }
        return m;
    }

    /** @return the message (one reference, the caller's), or {@code null} if it has expired or is damaged */
    private static Message toMessage(PersistedMessage stored, long nowMillis) {
        long expiresAt = stored.expiresAtMillis();
        long expiresAtNanos = Long.MAX_VALUE;
        if (expiresAt != PersistedMessage.NEVER_EXPIRES) {
            if (expiresAt <= nowMillis) {
                return null;
            }
            expiresAtNanos = System.nanoTime() + (expiresAt - nowMillis) * 1_000_000L;
        }
        MessageProperties properties;
        try {
            properties = MessageProperties.ofWire(bytes(stored.properties()));
        } catch (IllegalArgumentException e) {
            LOG.warn("Stored message {} to '{}' has damaged properties ({}); restored without them.", stored.id(),
                    stored.topic(), e.getMessage());
            properties = MessageProperties.NONE;
        }
        return new Message(stored.id(), stored.topic(), Unpooled.wrappedBuffer(bytes(stored.payload())),
                stored.qos(), stored.retain(), stored.publisherId(), properties, expiresAtNanos);
    }
}
