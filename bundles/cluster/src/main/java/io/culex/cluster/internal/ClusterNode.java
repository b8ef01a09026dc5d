package io.culex.cluster.internal;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.hazelcast.cluster.Member;
import com.hazelcast.cluster.MembershipEvent;
import com.hazelcast.cluster.MembershipListener;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.core.LifecycleEvent;
import com.hazelcast.map.IMap;

import io.culex.api.Broker;
import io.culex.api.SessionOwnership;
import io.culex.api.persistence.PersistenceListener;

/**
 * One node's part in the cluster: its Hazelcast member and what runs on it — the {@link FilterIndex}, the
 * {@link MessageForwarding}, the {@link RetainedReplication}, the sessions ({@link ClusterSessionStore} and
 * {@link SessionMoves}, registered as broker services once joined), the {@link ControlChannel} they share and the
 * {@link MemberStats}. Hazelcast calls that may block (joining, the replicated map, leaving) run on the node's own
 * cluster thread, never on a broker thread; it also keeps the order of the filter changes.
 */
final class ClusterNode {

    private static final Logger LOG = LoggerFactory.getLogger(ClusterNode.class);
    /** How long leaving may take before the member is terminated instead. */
    private static final long LEAVE_SECONDS = 20;
    /** How often ownership of client ids without a session here is given up. */
    private static final long SWEEP_SECONDS = 60;
    /** How long joining waits for this node's sessions to be reconciled with the owners map. */
    private static final long RECONCILE_SECONDS = 30;

    private final ClusterSettings settings;
    private final Broker broker;
    private final BundleContext context;
    /** Told when the membership changed (joined, a member came or went, a split healed). */
    private final Runnable changed;
    private final ExecutorService clusterThread = Executors.newSingleThreadExecutor(task -> {
        Thread thread = new Thread(task, "culex-cluster");
        thread.setDaemon(true);
        return thread;
    });
    private final RemoteFilters remote = new RemoteFilters();
    private final FilterIndex filters = new FilterIndex(remote, this::onClusterThread);
    private final MovingSessions moving = new MovingSessions(filters);
    private final MessageForwarding forwarding;
    private final RetainedReplication retained;
    /** {@link ClusterSettings#members}, resolved: see {@link #addressesOf}. */
    private final List<String> configuredMembers;
    private volatile HazelcastInstance hazelcast;
    private volatile String localMember;
    private volatile boolean closed;
    private volatile SessionMoves moves;
    private volatile MemberStats stats;
    private volatile ControlChannel control;
    private volatile ClusterSessionStore store;
    private ServiceRegistration<?> storeRegistration;
    private ServiceRegistration<?> ownershipRegistration;
    private ScheduledFuture<?> sweep;

    ClusterNode(ClusterSettings settings, Broker broker, BundleContext context, Runnable changed) {
        this.settings = settings;
        this.broker = broker;
        this.context = context;
        this.changed = changed;
        this.forwarding = new MessageForwarding(broker, remote, filters::holdsHere, this::sessionsDurable,
                this::formerSessions, this::forgetFilters, moving);
        this.retained = new RetainedReplication(broker);
        this.configuredMembers = addressesOf(settings.members);
    }

    /** Join in the background: Hazelcast's join takes seconds, which a bundle's activation must not. */
    void start() {
        LOG.info("Joining {}.", settings);
        clusterThread.execute(this::join);
    }

    private void join() {
        HazelcastInstance instance;
        try {
            instance = HazelcastMember.start(settings);
        } catch (RuntimeException e) {
            LOG.error("Could not start the cluster member ({}): {}", settings, e.toString(), e);
            return;
        }
        if (closed) {
            instance.shutdown();
            return;
        }
        hazelcast = instance;
        Member self = instance.getCluster().getLocalMember();
        localMember = self.getUuid().toString();
        instance.getCluster().addMembershipListener(new Membership());
        instance.getLifecycleService().addLifecycleListener(this::lifecycle);
        Set<String> live = instance.getCluster().getMembers().stream().map(m -> m.getUuid().toString())
                .collect(Collectors.toSet());
        filters.joined(instance.getReplicatedMap(HazelcastMember.FILTER_INDEX), localMember, live);
        IMap<String, byte[]> retainedMap = instance.getMap(HazelcastMember.RETAINED_MAP);
        retained.joined(retainedMap, localMember);
        ControlChannel channel = new ControlChannel(instance, localMember);
        control = channel;
        forwarding.start(instance, localMember, retainedMap, channel);
        startSessions(instance, channel);
        stats = new MemberStats(broker, instance.getReplicatedMap(MemberStats.MAP), localMember,
                self.getAddress().getHost() + ":" + self.getAddress().getPort());
        stats.publish();
        LOG.info("Cluster '{}' joined as {} ({}): {} member(s).", settings.name, self.getAddress(), localMember,
                instance.getCluster().getMembers().size());
        changed.run();
    }

    /**
     * On the cluster thread, once joined: mirror this node's sessions into the cluster's maps (a persistence store
     * the broker writes to) and take part in session ownership; then sweep stale ownership every minute.
     */
    private void startSessions(HazelcastInstance instance, ControlChannel channel) {
        ClusterSessionStore store = new ClusterSessionStore(instance.getMap(ClusterSessionStore.SESSIONS),
                instance.getMap(ClusterSessionStore.PAYLOADS), instance.getMap(ClusterSessionStore.QUEUED));
        this.store = store;
        SessionMoves sessionMoves = new SessionMoves(broker, instance, localMember, store, channel, moving,
                forwarding::movingAway);
        moves = sessionMoves;
        // first give up the sessions other members own (a restart's disk copies of sessions the cluster adopted):
        // the store's snapshot when it registers would otherwise write those stale copies over the owners' records
        try {
            sessionMoves.reconcile("at join").get(RECONCILE_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            LOG.warn("Cluster '{}': reconciling this node's sessions at join failed: {}", settings.name, e.toString());
        }
        storeRegistration = context.registerService(PersistenceListener.class, store, null);
        ownershipRegistration = context.registerService(SessionOwnership.class, sessionMoves, null);
        sweep = broker.scheduleAtFixedRate(() -> sessionMoves.io().execute(sessionMoves::sweep), SWEEP_SECONDS,
                SWEEP_SECONDS, TimeUnit.SECONDS);
    }

    private void stopSessions() {
        if (sweep != null) {
            sweep.cancel(false);
        }
        for (ServiceRegistration<?> registration : new ServiceRegistration<?>[] {ownershipRegistration,
                storeRegistration}) {
            if (registration != null) {
                try {
                    registration.unregister();
                } catch (IllegalStateException e) {
                    // the bundle is stopping: the framework unregistered it already
                }
            }
        }
        SessionMoves m = moves;
        moves = null;
        if (m != null) {
            m.close();
        }
    }

    /** Leave the cluster: stop forwarding, withdraw this node's filters, hand the partitions over, stop. */
    void close() {
        closed = true;
        clusterThread.execute(() -> {
            HazelcastInstance instance = hazelcast;
            hazelcast = null;
            stopSessions();
            forwarding.stop();
            ControlChannel channel = control;
            control = null;
            if (channel != null) {
                channel.close();
            }
            if (instance == null) {
                return;
            }
            try {
                MemberStats s = stats;
                stats = null;
                if (s != null) {
                    s.leaving();
                }
                filters.leaving();
                instance.shutdown(); // graceful: the backups of this member's partitions are promoted first
                LOG.info("Left cluster '{}'.", settings.name);
            } catch (RuntimeException e) {
                LOG.warn("Leaving cluster '{}' failed: {}", settings.name, e.toString());
                instance.getLifecycleService().terminate();
            }
        });
        clusterThread.shutdown();
        try {
            if (!clusterThread.awaitTermination(LEAVE_SECONDS, TimeUnit.SECONDS)) {
                LOG.warn("Leaving cluster '{}' took longer than {} s; terminating the member.", settings.name,
                        LEAVE_SECONDS);
                clusterThread.shutdownNow();
                HazelcastInstance instance = hazelcast;
                if (instance != null) {
                    instance.getLifecycleService().terminate();
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** @return completes when what this node's sessions stored so far is in the cluster's maps */
    private java.util.concurrent.CompletionStage<Void> sessionsDurable() {
        ClusterSessionStore s = store;
        return s == null ? java.util.concurrent.CompletableFuture.completedFuture(null) : s.sync();
    }

    /** Run a task on the cluster thread, unless the node has left (then nobody needs it). */
    private void onClusterThread(Runnable task) {
        try {
            clusterThread.execute(task);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            LOG.debug("Cluster task dropped: the node has left the cluster");
        }
    }

    void localFilterAdded(String filter) {
        filters.localAdded(filter);
    }

    void localFilterRemoved(String filter) {
        filters.localRemoved(filter);
    }

    /** Write this member's figures for the others (on the cluster thread). */
    void publishStats() {
        onClusterThread(() -> {
            MemberStats s = stats;
            if (s != null) {
                s.publish();
            }
        });
    }

    /** The sessions of a member that left are placed and their filters known: forget the member's filters. */
    private void forgetFilters(String member) {
        remote.removeMember(member);
        onClusterThread(() -> filters.memberLeft(member));
    }

    /** @return the client ids whose sessions this node took from a member that left */
    private Set<String> formerSessions(String member) {
        SessionMoves m = moves;
        return m == null ? Set.of() : m.formerSessions(member);
    }

    /** @return what the node knows now, for $SYS, the shell and the console */
    ClusterView view() {
        HazelcastInstance instance = hazelcast;
        MemberStats s = stats;
        if (instance == null || s == null || !instance.getLifecycleService().isRunning()) {
            return ClusterView.notJoined(settings.name);
        }
        List<String> members = instance.getCluster().getMembers().stream()
                .map(m -> m.getAddress().getHost() + ":" + m.getAddress().getPort()).collect(Collectors.toList());
        List<String> missing = configuredMembers.stream().filter(m -> !members.contains(m))
                .collect(Collectors.toList());
        return new ClusterView(settings.name, localMember, members, missing,
                instance.getPartitionService().isLocalMemberSafe(), filters.localCount(), remote.size(),
                forwarding.forwarded(), forwarding.received(), s.all());
    }

    /**
     * @return the configured members as Hazelcast names them (IP address and port), to compare with the live
     *         ones; one given without a port (Hazelcast then tries a range) or not resolvable is left out
     */
    private static List<String> addressesOf(List<String> configured) {
        List<String> addresses = new ArrayList<>();
        for (String member : configured) {
            int colon = member.lastIndexOf(':');
            if (colon <= 0 || member.indexOf(':') != colon) {
                continue; // no port, or an IPv6 literal: not compared
            }
            try {
                String address = InetAddress.getByName(member.substring(0, colon)).getHostAddress();
                addresses.add(address + member.substring(colon));
            } catch (UnknownHostException e) {
                LOG.warn("Cluster member {} does not resolve; it is not reported when missing.", member);
            }
        }
        return addresses;
    }

    private void lifecycle(LifecycleEvent event) {
        switch (event.getState()) {
            case MERGING:
                LOG.warn("Cluster '{}': a network split healed; merging with the other part.", settings.name);
                break;
            case MERGED:
                LOG.warn("Cluster '{}': merged after a network split; publishing this node's filters and retained "
                        + "messages again.", settings.name);
                onClusterThread(() -> {
                    HazelcastInstance instance = hazelcast;
                    if (instance != null) {
                        filters.publishAll();
                        retained.merge(instance.getMap(HazelcastMember.RETAINED_MAP));
                    }
                    SessionMoves m = moves;
                    if (m != null) {
                        m.reconcile("after the merge");
                    }
                    changed.run();
                });
                break;
            default:
                break;
        }
    }

    private final class Membership implements MembershipListener {
        @Override
        public void memberAdded(MembershipEvent event) {
            LOG.info("Cluster member {} joined ({} member(s) now).", event.getMember().getAddress(),
                    event.getMembers().size());
            changed.run();
        }

        @Override
        public void memberRemoved(MembershipEvent event) {
            String member = event.getMember().getUuid().toString();
            LOG.warn("Cluster member {} left ({} member(s) now): it stopped, crashed or is cut off by a network "
                    + "split; its clients may reconnect here.", event.getMember().getAddress(),
                    event.getMembers().size());
            forwarding.memberLeft(member); // its filters stay until its sessions are placed elsewhere
            ControlChannel channel = control;
            if (channel != null) {
                channel.memberLeft(member); // a session release it was asked for is not coming
            }
            SessionMoves m = moves;
            if (m != null) {
                m.memberLeft(member);
            }
            onClusterThread(() -> {
                MemberStats s = stats;
                if (s != null) {
                    s.forget(member);
                }
            });
            changed.run();
        }
    }
}
