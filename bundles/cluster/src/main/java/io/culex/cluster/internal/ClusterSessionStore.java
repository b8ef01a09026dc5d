package io.culex.cluster.internal;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.hazelcast.map.IMap;

import io.culex.api.persistence.PersistedMessage;
import io.culex.api.persistence.PersistedOutgoing;
import io.culex.api.persistence.PersistedSession;
import io.culex.api.persistence.PersistedSubscription;
import io.culex.api.persistence.PersistenceListener;

/**
 * The cluster's copy of the persistent sessions this node owns: a {@link PersistenceListener} (the broker tells it
 * every change, as it tells a disk store) that writes each session into the cluster's maps, which keep
 * {@code cluster_backup_count} backups on other members. So when this node dies the others still have every session
 * as of the last change, and a client that moves to another node takes its session along.
 *
 * <p>Maps: {@code culex.sessions} (client id to the session with its subscriptions and incoming QoS 2 ids,
 * rewritten whole on each change: they are small), {@code culex.payloads} (one key per outgoing entry, client id and
 * entry id, to the entry and its message, written once) and {@code culex.queued} (the same keys to the entry's later
 * state: sent with a packet id, released). {@link #sync()} completes when every write before it has reached its
 * partition's owner and backups: the broker waits for it before acknowledging a QoS 1/2 message that a session
 * here queued, so an acknowledged message is on two members.
 *
 * <p>Threading: the events of one session come on its broker thread, in order; the writes are asynchronous and,
 * per key, keep that order.
 */
final class ClusterSessionStore implements PersistenceListener {

    static final String SESSIONS = "culex.sessions";
    static final String PAYLOADS = "culex.payloads";
    static final String QUEUED = "culex.queued";

    private static final Logger LOG = LoggerFactory.getLogger(ClusterSessionStore.class);

    private final IMap<String, byte[]> sessions;
    private final IMap<String, byte[]> payloads;
    private final IMap<String, byte[]> queued;
    private final Map<String, Local> local = new ConcurrentHashMap<>();
    /** Sessions being released to another node: their removal here is not the end of the session. */
    private final Set<String> releasing = ConcurrentHashMap.newKeySet();
    private final Set<CompletableFuture<?>> pending = ConcurrentHashMap.newKeySet();

    /** What this node holds of one session, to write it whole. Touched on the session's broker thread. */
    private static final class Local {
        PersistedSession session;
        /** Also read by {@link #filtersOf} on a cluster thread. */
        final Map<String, PersistedSubscription> subscriptions = new ConcurrentHashMap<>();
        final Set<Integer> qos2 = new LinkedHashSet<>();
        /** Also read by {@link #entryIds} on a cluster thread while the broker adds to it. */
        final Set<Long> entries = ConcurrentHashMap.newKeySet();
    }

    ClusterSessionStore(IMap<String, byte[]> sessions, IMap<String, byte[]> payloads, IMap<String, byte[]> queued) {
        this.sessions = sessions;
        this.payloads = payloads;
        this.queued = queued;
    }

    static String entryKey(String clientId, long entryId) {
        return clientId + '\u0000' + Long.toHexString(entryId);
    }

    /** @return whether this node holds the session (connected or not) */
    boolean holds(String clientId) {
        return local.containsKey(clientId);
    }

    /** The next removal of this session is a move to another node, not its end: keep its records. */
    void releasing(String clientId) {
        releasing.add(clientId);
    }

    void released(String clientId) {
        releasing.remove(clientId);
    }

    /** @return the filters the session here subscribes to (any thread); empty if it is not here */
    Set<String> filtersOf(String clientId) {
        Local l = local.get(clientId);
        return l == null ? Set.of() : Set.copyOf(l.subscriptions.keySet());
    }

    /** @return the entry ids this node wrote for the session (any thread) */
    Set<Long> entryIds(String clientId) {
        Local l = local.get(clientId);
        return l == null ? Set.of() : Set.copyOf(l.entries);
    }

    @Override
    public void sessionSaved(PersistedSession session) {
        PersistedSession s = session;
        if (s.will() != null) {
            s = new PersistedSession(s.clientId(), s.username(), s.listener(), s.protocolVersion(), s.expirySeconds(),
                    s.disconnectedAtMillis(), SessionCodec.copy(s.will()), s.willDelaySeconds());
        }
        local(session.clientId()).session = s;
        writeSession(session.clientId());
    }

    @Override
    public void sessionRemoved(String clientId) {
        Local l = local.remove(clientId);
        if (releasing.remove(clientId)) {
            return; // it moved: the new owner reads and then rewrites these records
        }
        track(sessions.deleteAsync(clientId));
        if (l != null) {
            for (long entryId : l.entries) {
                deleteEntry(clientId, entryId);
            }
        }
    }

    @Override
    public void subscriptionAdded(String clientId, PersistedSubscription subscription) {
        local(clientId).subscriptions.put(subscription.filter(), subscription);
        writeSession(clientId);
    }

    @Override
    public void subscriptionRemoved(String clientId, String filter) {
        if (local(clientId).subscriptions.remove(filter) != null) {
            writeSession(clientId);
        }
    }

    @Override
    public void outgoingAdded(String clientId, PersistedOutgoing entry, PersistedMessage message) {
        local(clientId).entries.add(entry.entryId());
        String key = entryKey(clientId, entry.entryId());
        PersistedMessage copy = message == null ? null : SessionCodec.copy(message);
        track(payloads.setAsync(key, SessionCodec.encode(new SessionCodec.QueuedEntry(entry, copy))));
    }

    @Override
    public void outgoingUpdated(String clientId, PersistedOutgoing entry) {
        track(queued.setAsync(entryKey(clientId, entry.entryId()),
                SessionCodec.encode(new SessionCodec.QueuedEntry(entry, null))));
    }

    @Override
    public void outgoingRemoved(String clientId, long entryId) {
        Local l = local.get(clientId);
        if (l != null) {
            l.entries.remove(entryId);
        }
        deleteEntry(clientId, entryId);
    }

    @Override
    public void incomingQos2Added(String clientId, int packetId) {
        if (local(clientId).qos2.add(packetId)) {
            writeSession(clientId);
        }
    }

    @Override
    public void incomingQos2Removed(String clientId, int packetId) {
        if (local(clientId).qos2.remove(packetId)) {
            writeSession(clientId);
        }
    }

    @Override
    public void retainedSet(PersistedMessage message) {
        // retained messages travel through RetainedReplication
    }

    @Override
    public void retainedCleared(String topic) {
        // retained messages travel through RetainedReplication
    }

    @Override
    public CompletionStage<Void> sync() {
        return CompletableFuture.allOf(pending.toArray(new CompletableFuture<?>[0]));
    }

    private Local local(String clientId) {
        return local.computeIfAbsent(clientId, id -> new Local());
    }

    private void writeSession(String clientId) {
        Local l = local.get(clientId);
        if (l == null || l.session == null) {
            return; // its session record comes first in every sequence the broker sends
        }
        byte[] bytes = SessionCodec.encode(new SessionCodec.SessionState(l.session,
                new ArrayList<>(l.subscriptions.values()), new ArrayList<>(l.qos2)));
        track(sessions.setAsync(clientId, bytes));
    }

    private void deleteEntry(String clientId, long entryId) {
        String key = entryKey(clientId, entryId);
        track(payloads.deleteAsync(key));
        track(queued.deleteAsync(key));
    }

    private void track(CompletionStage<?> write) {
        CompletableFuture<?> future = write.toCompletableFuture();
        pending.add(future);
        future.whenComplete((v, failure) -> {
            pending.remove(future);
            if (failure != null) {
                LOG.warn("A session change did not reach the cluster: {}", failure.toString());
            }
        });
    }

    /** The records of a session in the maps (another node's, to import here); blocking: not on a broker thread. */
    static List<SessionCodec.QueuedEntry> readEntries(IMap<String, byte[]> payloads, IMap<String, byte[]> queued,
            String clientId, List<String> keysOut) {
        String prefix = clientId + '\u0000';
        Map<String, SessionCodec.QueuedEntry> added = new java.util.TreeMap<>();
        for (Map.Entry<String, byte[]> e : payloads.entrySet(
                com.hazelcast.query.Predicates.like("__key", likeEscaped(prefix) + "%"))) {
            if (e.getKey().startsWith(prefix)) {
                added.put(e.getKey(), SessionCodec.decodeQueued(e.getValue()));
            }
        }
        keysOut.addAll(added.keySet());
        Map<String, byte[]> later = queued.getAll(added.keySet()); // the later states, in one call
        List<SessionCodec.QueuedEntry> entries = new ArrayList<>(added.size());
        added.forEach((key, entry) -> {
            byte[] state = later.get(key);
            entries.add(new SessionCodec.QueuedEntry(state == null ? entry.entry()
                    : SessionCodec.decodeQueued(state).entry(), entry.message()));
        });
        return entries;
    }

    /** Hazelcast's LIKE: % and _ are wildcards, escaped with a backslash. */
    static String likeEscaped(String literal) {
        StringBuilder b = new StringBuilder(literal.length() + 8);
        for (char c : literal.toCharArray()) {
            if (c == '%' || c == '_' || c == '\\') {
                b.append('\\');
            }
            b.append(c);
        }
        return b.toString();
    }
}
