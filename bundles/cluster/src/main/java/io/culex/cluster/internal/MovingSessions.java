package io.culex.cluster.internal;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Sessions on the move between nodes, and the messages published for them meanwhile.
 *
 * <p>When this node releases a session to the member its client reconnected to, the other nodes learn of the new
 * owner's filters only some milliseconds later, through the filter index; a message published then would match
 * no filter anywhere. So the released session's filters stay in the index as this node's for
 * {@link #LINGER_SECONDS} ({@link FilterIndex#linger}), and what reaches this node for them is relayed to the new
 * owner for that session only ({@link #movedAway}, {@link #match}). A message whose sender also sent it to the new
 * owner is not relayed: the new owner's filters had reached the sender, so it has the message already.
 *
 * <p>So that a message reaches the session once: on the old owner, a message from another node that matches a
 * session released here is routed without that session and relayed; on the new owner, a message from another node
 * (relayed or not) reaches a session still being imported only once the import is complete
 * ({@link #whenArrived}, {@link #arrived}), and routing leaves it out until then.
 *
 * <p>Thread-safe: the broker's threads, Hazelcast's and the cluster's call it.
 */
final class MovingSessions {

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(MovingSessions.class);

    /** How long a released session's filters stay in the index as this node's, and its messages are relayed. */
    static final long LINGER_SECONDS = 10;

    /** The filters of sessions released here, keyed by client id (as "members" of the trie). */
    private final RemoteFilters movedFilters = new RemoteFilters();
    private final Map<String, MovedAway> movedAway = new ConcurrentHashMap<>();
    private final Map<String, Arrival> arriving = new ConcurrentHashMap<>();
    private final FilterIndex index;

    private static final class MovedAway {
        final String owner;
        final Set<String> filters;
        final java.util.concurrent.atomic.AtomicLong relayed = new java.util.concurrent.atomic.AtomicLong();

        MovedAway(String owner, Set<String> filters) {
            this.owner = owner;
            this.filters = filters;
        }
    }

    /** What waits for a session to arrive here; {@code null} tasks once it has. */
    private static final class Arrival {
        List<Runnable> waiting = new ArrayList<>();
    }

    MovingSessions(FilterIndex index) {
        this.index = index;
    }

    // ---------------------------------------------------------------- released here

    /**
     * A session is about to be released to another member: from now until {@link #LINGER_SECONDS}, what reaches
     * this node for its filters is relayed there. Call before the release, so that no message falls between.
     *
     * @param filters the session's filters (shared ones are left out: a share group is served where its members are)
     */
    void movedAway(String clientId, String owner, Set<String> filters) {
        Set<String> plain = new LinkedHashSet<>();
        for (String filter : filters) {
            if (!RemoteFilters.isShared(filter)) {
                plain.add(filter);
            }
        }
        MovedAway moved = new MovedAway(owner, plain);
        MovedAway before = movedAway.put(clientId, moved);
        if (before != null) {
            before.filters.forEach(filter -> movedFilters.remove(clientId, filter));
        }
        plain.forEach(filter -> movedFilters.add(clientId, filter));
        index.linger(plain, LINGER_SECONDS);
        CompletableFuture.delayedExecutor(LINGER_SECONDS, TimeUnit.SECONDS).execute(() -> forget(clientId, moved));
    }

    /** The session is claimed here again: nothing more to relay for it. */
    void returned(String clientId) {
        MovedAway moved = movedAway.get(clientId);
        if (moved != null) {
            forget(clientId, moved);
        }
    }

    private void forget(String clientId, MovedAway moved) {
        if (movedAway.remove(clientId, moved)) {
            moved.filters.forEach(filter -> movedFilters.remove(clientId, filter));
            if (moved.relayed.get() > 0) {
                LOG.info("{} message(s) that reached this node for the session of {} after its release were relayed "
                        + "to cluster member {}.", moved.relayed.get(), clientId, moved.owner);
            }
        }
    }

    /** Count messages relayed for these sessions (for the log). */
    void relayed(List<String> clientIds) {
        for (String clientId : clientIds) {
            MovedAway moved = movedAway.get(clientId);
            if (moved != null && moved.relayed.getAndIncrement() == 0) {
                LOG.info("Messages for the session of {} reach this node after its release: relaying them to "
                        + "cluster member {}.", clientId, moved.owner);
            }
        }
    }

    /** @return whether a session released here lately has a filter matching the topic (lock-free) */
    boolean matchesAny(String topic) {
        return !movedAway.isEmpty() && movedFilters.matchesAny(topic);
    }

    /**
     * @param onlyFor if not {@code null}, only these client ids
     * @return per member, the sessions released to it lately whose filters match the topic; empty if none
     */
    Map<String, List<String>> match(String topic, List<String> onlyFor) {
        if (movedAway.isEmpty()) {
            return Map.of();
        }
        Set<String> clients = new LinkedHashSet<>(2);
        movedFilters.match(topic, clients);
        if (clients.isEmpty()) {
            return Map.of();
        }
        Map<String, List<String>> byOwner = new HashMap<>(2);
        for (String clientId : clients) {
            MovedAway moved = movedAway.get(clientId);
            if (moved != null && (onlyFor == null || onlyFor.contains(clientId))) {
                byOwner.computeIfAbsent(moved.owner, o -> new ArrayList<>(1)).add(clientId);
            }
        }
        return byOwner;
    }

    /** @return the client ids of sessions released here lately whose filters match the topic */
    Set<String> matchingClients(String topic) {
        if (movedAway.isEmpty()) {
            return Set.of();
        }
        Set<String> clients = new LinkedHashSet<>(2);
        movedFilters.match(topic, clients);
        return clients;
    }

    // ---------------------------------------------------------------- arriving here

    /** @return the client ids whose sessions are on their way here now */
    Set<String> arrivingClients() {
        return arriving.isEmpty() ? Set.of() : Set.copyOf(arriving.keySet());
    }

    /** A client here claims its id: its session may be on the way. */
    void arriving(String clientId) {
        arriving.putIfAbsent(clientId, new Arrival());
    }

    /** The session is here (imported), or will not come: run what waited for it. */
    void arrived(String clientId) {
        Arrival arrival = arriving.remove(clientId);
        if (arrival == null) {
            return;
        }
        List<Runnable> tasks;
        synchronized (arrival) {
            tasks = arrival.waiting;
            arrival.waiting = null;
        }
        tasks.forEach(Runnable::run);
    }

    /** Run a task once the session is here: now if it is not on its way, else when it has arrived. */
    void whenArrived(String clientId, Runnable task) {
        Arrival arrival = arriving.get(clientId);
        if (arrival != null) {
            synchronized (arrival) {
                if (arrival.waiting != null) {
                    arrival.waiting.add(task);
                    return;
                }
            }
        }
        task.run();
    }
}
