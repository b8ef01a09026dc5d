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
import java.util.concurrent.atomic.AtomicLong;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sessions on the move between nodes, and the messages published for them meanwhile.
 *
 * <p>When this node releases a session to the member its client reconnected to, the other nodes learn of the new
 * owner's filters only some milliseconds later, through the filter index; a message published then would match
 * no filter anywhere. So the released session's filters stay in the index as this node's for
 * {@link #LINGER_SECONDS} ({@link FilterIndex#linger}), and what reaches this node for them is relayed to the new
 * owner for that session only ({@link #movedAway}, {@link #match}).
 *
 * <p>Each message reaches the session once, because for {@link #RELAY_SECONDS} one node answers for it:
 * <ul>
 * <li>a message the old owner gets (it was sent there, or published there) is the old owner's: routed to the
 * session while it is still there, relayed once it is not. The old owner's release waits for what it was routing,
 * so a message is either in the session's queue when the new owner imports it, or relayed, never both;</li>
 * <li>on the new owner, a message from another node that lists the old owner among its targets
 * ({@link ClusterMessage#sentTo}), or comes from it, leaves the session out ({@link #leftToPrevious}): the old
 * owner answers for it;</li>
 * <li>any other message, and what is relayed, reaches a session still being imported once the import is complete
 * ({@link #whenArrived}, {@link #arrived}).</li>
 * </ul>
 *
 * <p>A share group is served by one node per message, named by the sender. A message from another node that names
 * the old owner to serve a group of the released session (its shared filters linger too) is relayed to the new
 * owner for that group ({@link #sharedRelays}), which serves it once the session has arrived; so is a message
 * published on the old owner when the group has no member there any more and no other member is known yet.
 *
 * <p>Thread-safe: the broker's threads, Hazelcast's and the cluster's call it.
 */
final class MovingSessions {

    /** How long a released session's filters stay in the index as this node's. */
    static final long LINGER_SECONDS = 10;
    /**
     * How long the old owner answers for a moved session's messages: longer than the filters linger, for the
     * messages sent by nodes that had not yet seen them go.
     */
    static final long RELAY_SECONDS = LINGER_SECONDS + 5;

    private static final Logger LOG = LoggerFactory.getLogger(MovingSessions.class);

    /** The filters of sessions released here, keyed by client id (as "members" of the trie). */
    private final RemoteFilters movedFilters = new RemoteFilters();
    private final Map<String, MovedAway> movedAway = new ConcurrentHashMap<>();
    private final Map<String, Arrival> arriving = new ConcurrentHashMap<>();
    /** Per member, the sessions taken from it lately, while it answers for their messages. */
    private final Map<String, Set<String>> cameFrom = new ConcurrentHashMap<>();
    private final FilterIndex index;

    private static final class MovedAway {
        final String owner;
        final Set<String> filters;
        final AtomicLong relayed = new AtomicLong();

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
     * A session is about to be released to another member: from now until {@link #RELAY_SECONDS}, what reaches
     * this node for its filters is relayed there. Call before the release, so that no message falls between.
     *
     * @param filters the session's filters, plain and shared ({@code $share/<group>/<filter>}): a message for one
     *     of its share groups that this node is named to serve goes there too
     */
    void movedAway(String clientId, String owner, Set<String> filters) {
        Set<String> all = Set.copyOf(filters);
        MovedAway moved = new MovedAway(owner, all);
        MovedAway before = movedAway.put(clientId, moved);
        if (before != null) {
            before.filters.forEach(filter -> movedFilters.remove(clientId, filter));
        }
        all.forEach(filter -> movedFilters.add(clientId, filter));
        index.linger(all, LINGER_SECONDS);
        CompletableFuture.delayedExecutor(RELAY_SECONDS, TimeUnit.SECONDS).execute(() -> forget(clientId, moved));
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

    /**
     * The share groups of sessions released here lately that a message for this topic should reach through their
     * new owners: per group, the session whose new owner serves it.
     *
     * @param relayed which of the matching share groups ({@code $share/<group>/<filter>}) to relay (the caller's
     *     rule: see {@link MessageForwarding})
     * @return per share group, a client id released to another member (see {@link #ownerOf}); empty if none
     */
    Map<String, String> sharedRelays(String topic, java.util.function.Predicate<String> relayed) {
        if (movedAway.isEmpty()) {
            return Map.of();
        }
        Map<String, Set<String>> groups = new HashMap<>(2);
        movedFilters.match(topic, new ArrayList<>(0), groups);
        if (groups.isEmpty()) {
            return Map.of();
        }
        Map<String, String> relays = new HashMap<>(2);
        groups.forEach((group, clientIds) -> {
            if (relayed.test(group)) {
                for (String clientId : clientIds) {
                    if (movedAway.containsKey(clientId)) {
                        relays.put(group, clientId);
                        return;
                    }
                }
            }
        });
        return relays;
    }

    /** @return the member a session released here lately went to, {@code null} if none (any more) */
    String ownerOf(String clientId) {
        MovedAway moved = movedAway.get(clientId);
        return moved == null ? null : moved.owner;
    }

    // ---------------------------------------------------------------- arriving here

    /**
     * A client here takes its session over from another member: what other nodes send for it waits until the
     * session is here, and what that member gets it answers for, for {@link #RELAY_SECONDS}.
     */
    void arriving(String clientId, String from) {
        arriving.compute(clientId, (id, existing) -> {
            if (existing != null) {
                synchronized (existing) {
                    if (existing.waiting != null) {
                        return existing; // still waiting: one arrival for both
                    }
                }
            }
            return new Arrival();
        });
        cameFrom.computeIfAbsent(from, member -> ConcurrentHashMap.newKeySet()).add(clientId);
        CompletableFuture.delayedExecutor(RELAY_SECONDS, TimeUnit.SECONDS).execute(() ->
                cameFrom.computeIfPresent(from, (member, clients) -> {
                    clients.remove(clientId);
                    return clients.isEmpty() ? null : clients;
                }));
    }

    /**
     * The session is here (imported), or will not come: run what waited for it, in the order it came. What comes
     * while those run waits behind them, so a message never overtakes an earlier one here.
     */
    void arrived(String clientId) {
        Arrival arrival = arriving.get(clientId);
        if (arrival == null) {
            return;
        }
        while (true) {
            List<Runnable> tasks;
            synchronized (arrival) {
                tasks = arrival.waiting;
                if (tasks == null) {
                    return; // another thread ran them
                }
                arrival.waiting = tasks.isEmpty() ? null : new ArrayList<>();
            }
            if (tasks.isEmpty()) {
                arriving.remove(clientId, arrival);
                return;
            }
            tasks.forEach(Runnable::run);
        }
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

    /** @return the client ids whose sessions are on their way here now */
    Set<String> arrivingClients() {
        return arriving.isEmpty() ? Set.of() : Set.copyOf(arriving.keySet());
    }

    /**
     * @param sender the member a message came from
     * @param sentTo the members it was sent to, when several
     * @return the sessions taken lately from a member that got the message too (or sent it): that member answers
     *     for them, so they are left out here
     */
    Set<String> leftToPrevious(String sender, List<String> sentTo) {
        if (cameFrom.isEmpty()) {
            return Set.of();
        }
        Set<String> fromSender = cameFrom.get(sender);
        if (sentTo.isEmpty()) {
            return fromSender == null ? Set.of() : Set.copyOf(fromSender);
        }
        Set<String> left = new LinkedHashSet<>(2);
        if (fromSender != null) {
            left.addAll(fromSender);
        }
        for (String member : sentTo) {
            Set<String> clients = cameFrom.get(member);
            if (clients != null) {
                left.addAll(clients);
            }
        }
        return left;
    }
}
