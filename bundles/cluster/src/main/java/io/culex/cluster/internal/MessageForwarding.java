package io.culex.cluster.internal;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Predicate;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import com.hazelcast.topic.ITopic;
import com.hazelcast.topic.Message;

import io.culex.api.Broker;
import io.culex.api.DeliveredMessage;
import io.culex.api.InternalSubscription;

/**
 * Messages between nodes. Outgoing: an unlisted subscription to {@code #} sees every message published on this node
 * (not those that came from other nodes: they carry the cluster's origin and the subscription has no local), asks
 * {@link RemoteFilters} which nodes have a matching subscriber and sends the message once to each one's inbox (a
 * Hazelcast topic per member); a message with the retain flag also goes into the cluster's retained map.
 * Incoming: a message in this node's inbox is published here without the interceptors (the publishing node ran
 * them) and without touching the retained store (the retained map carries that), to this node's subscribers only.
 *
 * <p>Order: one publisher's messages reach the watching subscription in order, are sent from its one thread in
 * order, and Hazelcast delivers one member's messages on one topic in order; they are published here with one
 * origin, so routed in order too.
 *
 * <p>Acknowledgements: each message to a node carries a sequence number, and the receiving node acknowledges, in
 * batches, up to which number it has routed (QoS 1/2: every subscriber there has it, and what its sessions stored
 * is in the cluster's backed-up maps), through the {@link ControlChannel}. The watching subscription holds the
 * publisher's acknowledgement until then, so a QoS 1/2 message a publisher here had acknowledged is in every
 * receiving node's sessions. And a message counts against the watching subscription until every node it went to
 * has acknowledged it, so a node that falls behind paces the publishers here as a slow subscriber would, and
 * Hazelcast's event queues stay short (they drop events when full).
 */
final class MessageForwarding {

    /** The origin of messages that came from another node: the watching subscription's no local skips them. */
    static final String ORIGIN = "culex-cluster";
    /** A receiving node acknowledges after this many routed messages, or soon after the last one. */
    private static final int ACK_EVERY = 64;
    private static final long ACK_DELAY_MILLIS = 2;

    private static final Logger LOG = LoggerFactory.getLogger(MessageForwarding.class);

    private final Broker broker;
    private final RemoteFilters remote;
    /** Whether this node holds a filter (as subscribed): a share group with a member here is served here. */
    private final Predicate<String> heldHere;
    /** Completes when what this node's sessions stored so far is in the cluster's maps. */
    private final java.util.function.Supplier<java.util.concurrent.CompletionStage<Void>> durable;
    private final AtomicInteger groupTurn = new AtomicInteger();
    private final LongAdder forwarded = new LongAdder();
    private final LongAdder received = new LongAdder();
    private final Map<String, Outbox> outboxes = new ConcurrentHashMap<>();
    private final Map<String, Inbound> inbound = new ConcurrentHashMap<>();
    private final ScheduledExecutorService ackTimer = Executors.newSingleThreadScheduledExecutor(task -> {
        Thread thread = new Thread(task, "culex-cluster-acks");
        thread.setDaemon(true);
        return thread;
    });
    private volatile HazelcastInstance hazelcast;
    private volatile IMap<String, byte[]> retained;
    private volatile ControlChannel control;
    private InternalSubscription watching;
    private UUID inboxListener;
    private ITopic<byte[]> inbox;

    MessageForwarding(Broker broker, RemoteFilters remote, Predicate<String> heldHere,
            java.util.function.Supplier<java.util.concurrent.CompletionStage<Void>> durable) {
        this.broker = broker;
        this.remote = remote;
        this.heldHere = heldHere;
        this.durable = durable;
    }

    /** On the cluster thread, once joined: open the inbox, then start watching. */
    void start(HazelcastInstance instance, String localMember, IMap<String, byte[]> retainedMap,
            ControlChannel channel) {
        hazelcast = instance;
        retained = retainedMap;
        control = channel;
        channel.onAcknowledged(this::acknowledged);
        inbox = instance.getTopic(HazelcastMember.INBOX_PREFIX + localMember);
        inboxListener = inbox.addMessageListener(this::received);
        watching = broker.newSubscription("#").listed(false).origin(ORIGIN).noLocal(true).retainAsPublished(true)
                .sendRetained(false).qos(2).holdAcknowledgement(true).subscribe(this::forward);
    }

    /** Stop forwarding and receiving; what waits for an acknowledgement is given up. */
    void stop() {
        if (watching != null) {
            watching.close();
            watching = null;
        }
        if (inbox != null) {
            inbox.removeMessageListener(inboxListener);
            inbox = null;
        }
        hazelcast = null;
        ackTimer.shutdownNow();
        outboxes.values().forEach(Outbox::abandon);
        outboxes.clear();
    }

    /** A member left: what it did not acknowledge is given up (its sessions are adopted from the backups). */
    void memberLeft(String member) {
        Outbox outbox = outboxes.remove(member);
        if (outbox != null) {
            int lost = outbox.abandon();
            if (lost > 0) {
                LOG.warn("{} message(s) sent to cluster member {} were not acknowledged before it left.", lost,
                        member);
            }
        }
        inbound.remove(member);
    }

    long forwarded() {
        return forwarded.sum();
    }

    long received() {
        return received.sum();
    }

    // ---------------------------------------------------------------- outgoing (the watching subscription's thread)

    private void forward(DeliveredMessage message) {
        HazelcastInstance instance = hazelcast;
        Set<String> plain = new LinkedHashSet<>(4);
        Map<String, Set<String>> groups = new HashMap<>(2);
        remote.match(message.topic(), plain, groups);
        Map<String, List<String>> serving = serving(groups);
        Set<String> targets = new LinkedHashSet<>(plain);
        targets.addAll(serving.keySet());
        boolean retainedChange = message.retain();
        if (instance == null || (targets.isEmpty() && !retainedChange)) {
            message.complete();
            return;
        }
        ClusterMessage cluster;
        try {
            cluster = ClusterMessage.of(message);
        } catch (RuntimeException e) {
            LOG.error("Message to {} could not be encoded for the cluster: {}", message.topic(), e.toString());
            message.complete();
            return;
        }
        // complete the message once every node acknowledged it and the retained map has it
        AtomicInteger parts = new AtomicInteger(targets.size() + (retainedChange ? 1 : 0));
        Runnable partDone = () -> {
            if (parts.decrementAndGet() == 0) {
                message.complete();
            }
        };
        for (String target : targets) {
            Outbox outbox = outboxes.computeIfAbsent(target,
                    member -> new Outbox(instance.getTopic(HazelcastMember.INBOX_PREFIX + member)));
            outbox.send(cluster, serving.getOrDefault(target, List.of()), partDone);
        }
        if (retainedChange) {
            replicateRetained(cluster).whenComplete((v, failure) -> {
                if (failure != null) {
                    LOG.warn("Retained message of {} did not reach the cluster: {}", message.topic(),
                            failure.toString());
                }
                partDone.run();
            });
        }
        forwarded.add(targets.size());
    }

    /**
     * Each share group gets a message once across the cluster: here if it has a member here (the broker's own
     * routing serves it), else on one of the nodes holding members, taken in turn.
     *
     * @return per member, the share groups it is to serve
     */
    private Map<String, List<String>> serving(Map<String, Set<String>> groups) {
        if (groups.isEmpty()) {
            return Map.of();
        }
        Map<String, List<String>> serving = new HashMap<>(2);
        groups.forEach((sharedFilter, members) -> {
            if (heldHere.test(sharedFilter)) {
                return;
            }
            List<String> candidates = new ArrayList<>(members);
            String chosen = candidates.get(Math.floorMod(groupTurn.getAndIncrement(), candidates.size()));
            serving.computeIfAbsent(chosen, m -> new ArrayList<>(2)).add(sharedFilter);
        });
        return serving;
    }

    private CompletableFuture<?> replicateRetained(ClusterMessage message) {
        IMap<String, byte[]> map = retained;
        if (map == null) {
            return CompletableFuture.completedFuture(null);
        }
        if (message.payload.length == 0) {
            return map.deleteAsync(message.topic).toCompletableFuture();
        }
        byte[] bytes = message.encode();
        return (message.expirySeconds > 0 ? map.setAsync(message.topic, bytes, message.expirySeconds, TimeUnit.SECONDS)
                : map.setAsync(message.topic, bytes)).toCompletableFuture();
    }

    private void acknowledged(String member, long sequence) {
        Outbox outbox = outboxes.get(member);
        if (outbox != null) {
            outbox.acknowledged(sequence);
        }
    }

    /** The messages sent to one member and not acknowledged yet, in sequence order. */
    private static final class Outbox {
        private final ITopic<byte[]> topic;
        private final ArrayDeque<Runnable> waiting = new ArrayDeque<>();
        /** The sequence number of the first message in {@link #waiting}. */
        private long firstWaiting = 1;
        private long next = 1;

        Outbox(ITopic<byte[]> topic) {
            this.topic = topic;
        }

        void send(ClusterMessage message, List<String> shareGroups, Runnable done) {
            long sequence;
            synchronized (this) {
                sequence = next++;
                waiting.add(done);
            }
            topic.publishAsync(message.to(sequence, shareGroups).encode());
        }

        void acknowledged(long upTo) {
            List<Runnable> done = new ArrayList<>();
            synchronized (this) {
                while (firstWaiting <= upTo && !waiting.isEmpty()) {
                    done.add(waiting.poll());
                    firstWaiting++;
                }
            }
            done.forEach(Runnable::run);
        }

        /** @return how many were waiting (now completed without an acknowledgement) */
        int abandon() {
            List<Runnable> done;
            synchronized (this) {
                done = new ArrayList<>(waiting);
                firstWaiting += waiting.size();
                waiting.clear();
            }
            done.forEach(Runnable::run);
            return done.size();
        }
    }

    // ---------------------------------------------------------------- incoming (Hazelcast's event threads)

    private void received(Message<byte[]> event) {
        ClusterMessage message;
        try {
            message = ClusterMessage.decode(event.getMessageObject());
        } catch (IllegalArgumentException e) {
            LOG.error("Dropped a message from cluster member {}: {}", event.getPublishingMember(), e.getMessage());
            return;
        }
        received.increment();
        String sender = event.getPublishingMember().getUuid().toString();
        Inbound from = inbound.computeIfAbsent(sender, Inbound::new);
        try {
            // acknowledged once every subscriber here has it and what the sessions here stored is backed up
            message.into(broker.newMessage(message.topic)).intercept(false).storeRetained(false)
                    .shareGroups(Set.copyOf(message.shareGroups)).origin(ORIGIN).publish()
                    .thenCompose(result -> message.qos > 0 ? durable.get()
                            : CompletableFuture.<Void>completedFuture(null))
                    .whenComplete((result, failure) -> from.routed(message.sequence));
        } catch (IllegalStateException e) {
            LOG.debug("Message from the cluster to {} dropped: the broker is stopping", message.topic);
        } catch (IllegalArgumentException e) {
            LOG.error("Dropped a message from cluster member {}: {}", sender, e.getMessage());
            from.routed(message.sequence);
        }
    }

    /** What this node routed of one member's messages, and acknowledged to it. */
    private final class Inbound {
        private final String member;
        private final AtomicBoolean flushScheduled = new AtomicBoolean();
        private long routed;
        private long acknowledged;

        Inbound(String member) {
            this.member = member;
        }

        void routed(long sequence) {
            boolean now;
            synchronized (this) {
                routed = Math.max(routed, sequence);
                now = routed - acknowledged >= ACK_EVERY;
            }
            if (now) {
                flush();
            } else if (flushScheduled.compareAndSet(false, true)) {
                try {
                    ackTimer.schedule(this::flush, ACK_DELAY_MILLIS, TimeUnit.MILLISECONDS);
                } catch (java.util.concurrent.RejectedExecutionException e) {
                    flushScheduled.set(false); // stopping
                }
            }
        }

        void flush() {
            flushScheduled.set(false);
            long upTo;
            synchronized (this) {
                if (routed <= acknowledged) {
                    return;
                }
                upTo = routed;
                acknowledged = routed;
            }
            ControlChannel channel = control;
            if (channel != null) {
                channel.acknowledge(member, upTo);
            }
        }
    }
}
