package io.culex.cluster.internal;

import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.hazelcast.core.EntryEvent;
import com.hazelcast.core.EntryListener;
import com.hazelcast.map.MapEvent;
import com.hazelcast.replicatedmap.ReplicatedMap;

/**
 * The cluster's filter index, both halves: this node's filters (from the core's subscription table events) written
 * to the replicated map one change at a time, and the other nodes' filters read from it into {@link RemoteFilters}.
 *
 * <p>The writes run on the node's cluster thread, in the order of the events, so the map never holds a filter this
 * node no longer has for longer than the queue takes to drain. Every node keeps a full replica of the map (a
 * Hazelcast ReplicatedMap), so reading it costs no network hop.
 */
final class FilterIndex implements EntryListener<String, Boolean> {

    private static final Logger LOG = LoggerFactory.getLogger(FilterIndex.class);

    private final RemoteFilters remote;
    private final Executor clusterThread;
    /** What this node holds now, whether or not it has joined yet. */
    private final Set<String> local = ConcurrentHashMap.newKeySet();
    /** Filters whose removal from the map waits until then ({@link System#nanoTime()}): see {@link #linger}. */
    private final java.util.Map<String, Long> lingering = new ConcurrentHashMap<>();
    private volatile ReplicatedMap<String, Boolean> map;
    private volatile String localMember;

    FilterIndex(RemoteFilters remote, Executor clusterThread) {
        this.remote = remote;
        this.clusterThread = clusterThread;
    }

    /** On the cluster thread, once joined: read the others' filters, then publish this node's. */
    void joined(ReplicatedMap<String, Boolean> index, String member, Set<String> liveMembers) {
        localMember = member;
        index.addEntryListener(this);
        for (String key : index.keySet()) {
            String owner = FilterKeys.member(key);
            if (!liveMembers.contains(owner)) {
                index.remove(key); // left over from a member that died before anyone cleaned up after it
            } else if (!owner.equals(member)) {
                remote.add(owner, FilterKeys.filter(key));
            }
        }
        map = index;
        publishAll();
    }

    /** On the cluster thread: write every local filter again (after a split healed, the map may have lost them). */
    void publishAll() {
        ReplicatedMap<String, Boolean> index = map;
        if (index != null) {
            for (String filter : local) {
                index.put(FilterKeys.key(localMember, filter), Boolean.TRUE);
            }
        }
    }

    /** On the cluster thread: a member left; forget its filters and take them out of the map. */
    void memberLeft(String member) {
        remote.removeMember(member);
        ReplicatedMap<String, Boolean> index = map;
        if (index != null) {
            index.keySet().stream().filter(key -> FilterKeys.isOf(key, member)).forEach(index::remove);
        }
    }

    /** On the cluster thread, when leaving: take this node's filters out, so the others stop forwarding at once. */
    void leaving() {
        ReplicatedMap<String, Boolean> index = map;
        map = null;
        if (index != null) {
            for (String filter : local) {
                index.remove(FilterKeys.key(localMember, filter));
            }
            for (String filter : lingering.keySet()) {
                index.remove(FilterKeys.key(localMember, filter));
            }
            lingering.clear();
        }
    }

    void localAdded(String filter) {
        local.add(filter);
        clusterThread.execute(() -> {
            ReplicatedMap<String, Boolean> index = map;
            if (index != null && local.contains(filter)) {
                index.put(FilterKeys.key(localMember, filter), Boolean.TRUE);
            }
        });
    }

    void localRemoved(String filter) {
        local.remove(filter);
        clusterThread.execute(() -> removeUnlessHeld(filter));
    }

    /**
     * Keep these filters in the map as this node's for a while after their last subscription here goes: a session
     * moving to another member takes them along, and the other nodes must go on sending their messages here (to
     * be relayed, {@link MovingSessions}) until the new owner's filters have reached them.
     */
    void linger(Set<String> filters, long seconds) {
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        filters.forEach(filter -> lingering.merge(filter, until, (a, b) -> b - a > 0 ? b : a));
    }

    /** On the cluster thread: remove the filter from the map, unless it is held here again or lingers. */
    private void removeUnlessHeld(String filter) {
        ReplicatedMap<String, Boolean> index = map;
        if (index == null || local.contains(filter)) {
            return;
        }
        Long until = lingering.get(filter);
        if (until != null) {
            long left = until - System.nanoTime();
            if (left > 0) {
                CompletableFuture.delayedExecutor(left, TimeUnit.NANOSECONDS, clusterThread)
                        .execute(() -> removeUnlessHeld(filter));
                return;
            }
            lingering.remove(filter, until);
        }
        index.remove(FilterKeys.key(localMember, filter));
    }

    /** @return whether this node holds the filter (as subscribed) */
    boolean holdsHere(String filter) {
        return local.contains(filter);
    }

    int localCount() {
        return local.size();
    }

    @Override
    public void entryAdded(EntryEvent<String, Boolean> event) {
        added(event.getKey());
    }

    @Override
    public void entryUpdated(EntryEvent<String, Boolean> event) {
        added(event.getKey());
    }

    @Override
    public void entryRemoved(EntryEvent<String, Boolean> event) {
        removed(event.getKey());
    }

    @Override
    public void entryEvicted(EntryEvent<String, Boolean> event) {
        removed(event.getKey());
    }

    @Override
    public void entryExpired(EntryEvent<String, Boolean> event) {
        removed(event.getKey());
    }

    @Override
    public void mapCleared(MapEvent event) {
        LOG.warn("The cluster's filter index was cleared by member {}.", event.getMember());
    }

    @Override
    public void mapEvicted(MapEvent event) {
        mapCleared(event);
    }

    private void added(String key) {
        String owner = FilterKeys.member(key);
        if (!owner.equals(localMember)) {
            remote.add(owner, FilterKeys.filter(key));
        }
    }

    private void removed(String key) {
        String owner = FilterKeys.member(key);
        if (!owner.equals(localMember)) {
            remote.remove(owner, FilterKeys.filter(key));
        }
    }
}
