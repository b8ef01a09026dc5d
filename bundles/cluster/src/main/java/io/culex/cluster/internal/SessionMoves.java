package io.culex.cluster.internal;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import com.hazelcast.query.Predicates;

import io.culex.api.Broker;
import io.culex.api.SessionOwnership;
import io.culex.api.persistence.Restorer;

/**
 * Who owns each client id, and sessions moving between nodes. The owners map ({@code culex.owners}: client id to
 * member id) is the single truth; a CONNECT here claims the id by writing this member into it (atomically, so of
 * two nodes claiming at once the later write wins and the other refuses its client), asks the previous owner to
 * release the session (its connection there is closed as a takeover, its last changes reach the maps), and imports
 * the session from the maps. When a member dies, the oldest member adopts its sessions from the backups: they go on
 * offline there (their subscriptions receive, their queues fill) until their clients reconnect somewhere.
 */
final class SessionMoves implements SessionOwnership {

    static final String OWNERS = "culex.owners";
    /** A claim this recent protects its id from the sweep (its session may not be open yet). */
    private static final long CLAIM_GRACE_NANOS = TimeUnit.SECONDS.toNanos(30);
    private static final long SAFE_WAIT_SECONDS = 10;
    /** How long a release waits for the messages being routed here to be routed. */
    private static final long RELEASE_WAIT_SECONDS = 2;
    private static final long FORMER_SECONDS = 2 * MessageForwarding.PLACEMENT_SECONDS;

    private static final Logger LOG = LoggerFactory.getLogger(SessionMoves.class);

    private final Broker broker;
    private final HazelcastInstance hazelcast;
    private final String self;
    private final ClusterSessionStore store;
    private final IMap<String, String> owners;
    private final IMap<String, byte[]> sessions;
    private final IMap<String, byte[]> payloads;
    private final IMap<String, byte[]> queued;
    private final ControlChannel control;
    private final MovingSessions moving;
    private final MovingAway movingAway;
    private final Map<String, Long> claiming = new ConcurrentHashMap<>();
    /**
     * Per member that left, the client ids whose sessions this node took from it (adopted, or taken over by a
     * reconnecting client), for the messages that member had not acknowledged; forgotten after
     * {@link #FORMER_SECONDS}.
     */
    private final Map<String, Set<String>> formerlyOn = new ConcurrentHashMap<>();
    /** Blocking cluster reads and imports: never on a broker thread. */
    private final ExecutorService io = Executors.newFixedThreadPool(2, task -> {
        Thread thread = new Thread(task, "culex-cluster-sessions");
        thread.setDaemon(true);
        return thread;
    });

    /** How the forwarder learns that a session is leaving (see {@link MessageForwarding#movingAway}). */
    @FunctionalInterface
    interface MovingAway {
        /**
         * @return completes once the messages from other nodes that were to reach the session here have been
         *     routed; what comes after is relayed to its new owner
         */
        CompletableFuture<Void> movingAway(String clientId, String owner, Set<String> filters);
    }

    SessionMoves(Broker broker, HazelcastInstance hazelcast, String self, ClusterSessionStore store,
            ControlChannel control, MovingSessions moving, MovingAway movingAway) {
        this.moving = moving;
        this.movingAway = movingAway;
        this.broker = broker;
        this.hazelcast = hazelcast;
        this.self = self;
        this.store = store;
        this.owners = hazelcast.getMap(OWNERS);
        this.sessions = hazelcast.getMap(ClusterSessionStore.SESSIONS);
        this.payloads = hazelcast.getMap(ClusterSessionStore.PAYLOADS);
        this.queued = hazelcast.getMap(ClusterSessionStore.QUEUED);
        this.control = control;
        control.onRelease(this::release);
    }

    /**
     * Bring the sessions this broker holds in line with the owners map: at join (sessions of clients connected
     * before, or restored from a disk store after a restart) and after a network split healed (Hazelcast merged the
     * map; the larger half's entries win). A session the map does not know, or gives to a member that is gone, is
     * claimed; one it gives to a live member is released here (its client, if connected, is disconnected as in a
     * takeover and reconnects to claim the other member's copy).
     *
     * @param when for the log: "at join", "after the merge"
     * @return completes once the sessions owned elsewhere were released here
     */
    CompletableFuture<Void> reconcile(String when) {
        return broker.sessions().thenAcceptAsync(sessions -> {
            int released = 0;
            for (io.culex.api.SessionInfo session : sessions) {
                String clientId = session.clientId();
                String owner = owners.putIfAbsent(clientId, self);
                if (owner == null || owner.equals(self)) {
                    continue;
                }
                if (!isLive(owner)) {
                    owners.replace(clientId, owner, self); // its copy is gone with its member: this one goes on
                } else {
                    release(clientId, owner).join();
                    released++;
                }
            }
            if (released > 0) {
                LOG.warn("Cluster {}: {} session(s) here belonged to other members and were released.", when,
                        released);
            }
        }, io).toCompletableFuture();
    }

    void close() {
        io.shutdownNow();
    }

    // ---------------------------------------------------------------- a CONNECT here

    @Override
    public CompletionStage<Void> claim(String clientId, boolean cleanStart) {
        claiming.put(clientId, System.nanoTime());
        moving.returned(clientId);
        return owners.putAsync(clientId, self).toCompletableFuture()
                .thenCompose(previous -> takeOver(clientId, cleanStart, previous))
                .whenComplete((v, failure) -> moving.arrived(clientId))
                .thenCompose(v -> owners.getAsync(clientId).toCompletableFuture())
                .thenAccept(owner -> {
                    if (!self.equals(owner)) {
                        throw new IllegalStateException("another node claimed " + clientId + " meanwhile");
                    }
                });
    }

    private CompletableFuture<Void> takeOver(String clientId, boolean cleanStart, String previous) {
        if (self.equals(previous)) {
            return CompletableFuture.completedFuture(null); // its session, if any, is here
        }
        boolean moves = previous != null && isLive(previous);
        if (moves && !cleanStart) {
            moving.arriving(clientId, previous); // what is sent for it meanwhile waits until its session is here
        }
        CompletableFuture<Void> released = moves
                ? control.requestRelease(previous, clientId) : CompletableFuture.completedFuture(null);
        return released.thenRunAsync(() -> {
            if (cleanStart) {
                deleteRecords(clientId);
            } else {
                importSessions(List.of(clientId), previous, "moved from " + (previous == null ? "nowhere" : previous));
            }
        }, io);
    }

    /** Another node asked for a session: let it go, and answer once its last changes are in the maps. */
    private CompletableFuture<Void> release(String clientId, String requester) {
        // before the release: from now on what reaches this node for the session is relayed to its new owner, and
        // what was routed before reaches the session here (and so its records) before it goes
        return movingAway.movingAway(clientId, requester, store.filtersOf(clientId)).orTimeout(RELEASE_WAIT_SECONDS, TimeUnit.SECONDS).handle((v, failure) -> {
            if (failure != null) {
                LOG.warn("Releasing the session of {}: messages being routed did not finish in time ({}).", clientId,
                        failure.toString());
            }
            return v;
        }).thenCompose(v -> {
            store.releasing(clientId);
            return broker.releaseSession(clientId).toCompletableFuture();
        }).thenCompose(had -> {
            store.released(clientId);
            if (had) {
                LOG.info("Session of {} released to cluster member {}.", clientId, requester);
            }
            return store.sync().toCompletableFuture();
        });
    }

    // ---------------------------------------------------------------- a member left

    /** A member left: the oldest live member adopts its sessions (on an io thread). */
    void memberLeft(String member) {
        io.execute(() -> {
            try {
                adopt(member);
            } catch (RuntimeException e) {
                LOG.error("Adopting the sessions of cluster member {} failed: {}", member, e.toString(), e);
            }
        });
    }

    private void adopt(String dead) {
        if (!self.equals(hazelcast.getCluster().getMembers().iterator().next().getUuid().toString())) {
            return; // the oldest member adopts
        }
        awaitSafe(); // backups promoted: the maps hold the dead member's data again
        List<String> adopted = new ArrayList<>();
        int withoutSession = 0;
        for (String clientId : owners.keySet(Predicates.equal("this", dead))) {
            if (!owners.replace(clientId, dead, self)) {
                continue; // its client reconnected meanwhile: that node claimed it
            }
            if (sessions.containsKey(clientId)) {
                adopted.add(clientId);
            } else {
                owners.remove(clientId, self); // a clean session: nothing outlives its connection
                withoutSession++;
            }
        }
        if (!adopted.isEmpty()) {
            importSessions(adopted, dead, "adopted from " + dead);
        }
        LOG.warn("Cluster member {} left: adopted {} of its session(s); {} clean session(s) ended with it.", dead,
                adopted.size(), withoutSession);
        control.announcePlaced(dead);
    }

    /** @return the client ids whose sessions this node took from a member that left (empty if none) */
    Set<String> formerSessions(String member) {
        return formerlyOn.getOrDefault(member, Set.of());
    }

    private void awaitSafe() {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(SAFE_WAIT_SECONDS);
        while (!hazelcast.getPartitionService().isClusterSafe() && System.nanoTime() < deadline) {
            try {
                Thread.sleep(100); // polling Hazelcast's own state: it offers no event for "safe"
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    // ---------------------------------------------------------------- the maps (io threads)

    /**
     * Import sessions from the maps into this broker, then drop the map entries the import did not keep.
     *
     * @param from the member that held them, if known
     */
    private void importSessions(List<String> clientIds, String from, String why) {
        Map<String, SessionCodec.SessionState> states = new HashMap<>();
        for (String clientId : clientIds) {
            byte[] bytes = sessions.get(clientId);
            if (bytes != null) {
                states.put(clientId, SessionCodec.decodeSession(bytes));
            }
        }
        if (states.isEmpty()) {
            return;
        }
        Map<String, List<SessionCodec.QueuedEntry>> entries = new HashMap<>();
        List<String> keys = new ArrayList<>();
        for (String clientId : states.keySet()) {
            entries.put(clientId, ClusterSessionStore.readEntries(payloads, queued, clientId, keys));
        }
        Set<String> imported = broker.importSessions(restorer -> feed(restorer, states, entries))
                .toCompletableFuture().join();
        if (from != null && !imported.isEmpty()) {
            formerlyOn.computeIfAbsent(from, member -> {
                CompletableFuture.delayedExecutor(FORMER_SECONDS, TimeUnit.SECONDS, io)
                        .execute(() -> formerlyOn.remove(member));
                return ConcurrentHashMap.newKeySet();
            }).addAll(imported);
        }
        for (String key : keys) { // what the import dropped (expired) or a session here kept instead
            String clientId = key.substring(0, key.indexOf('\u0000'));
            long entryId = Long.parseUnsignedLong(key.substring(key.indexOf('\u0000') + 1), 16);
            if (!imported.contains(clientId) || !store.entryIds(clientId).contains(entryId)) {
                payloads.delete(key);
                queued.delete(key);
            }
        }
        LOG.info("Session(s) {} {}: {} imported.", states.keySet(), why, imported.size());
    }

    private static void feed(Restorer restorer, Map<String, SessionCodec.SessionState> states,
            Map<String, List<SessionCodec.QueuedEntry>> entries) {
        states.forEach((clientId, state) -> {
            restorer.session(state.session());
            state.subscriptions().forEach(s -> restorer.subscription(clientId, s));
            state.qos2().forEach(id -> restorer.incomingQos2(clientId, id));
            for (SessionCodec.QueuedEntry e : entries.getOrDefault(clientId, List.of())) {
                restorer.outgoing(clientId, e.entry(), e.message());
            }
        });
    }

    private void deleteRecords(String clientId) {
        sessions.delete(clientId);
        List<String> keys = new ArrayList<>();
        ClusterSessionStore.readEntries(payloads, queued, clientId, keys);
        for (String key : keys) {
            payloads.delete(key);
            queued.delete(key);
        }
    }

    /** Forget ownership of ids this node no longer has a session for (clean sessions that ended). */
    void sweep() {
        long now = System.nanoTime();
        claiming.values().removeIf(at -> now - at > CLAIM_GRACE_NANOS);
        for (String clientId : owners.keySet(Predicates.equal("this", self))) {
            if (!store.holds(clientId) && broker.client(clientId).isEmpty() && !claiming.containsKey(clientId)) {
                owners.remove(clientId, self);
            }
        }
    }

    private boolean isLive(String member) {
        return hazelcast.getCluster().getMembers().stream().anyMatch(m -> m.getUuid().toString().equals(member));
    }

    ExecutorService io() {
        return io;
    }
}
