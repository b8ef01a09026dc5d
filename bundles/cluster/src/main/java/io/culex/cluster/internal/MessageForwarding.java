package io.culex.cluster.internal;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

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
 * origin, so routed in order too. Flow control: a message counts against the watching subscription until
 * Hazelcast has taken it, so a cluster that cannot keep up paces the publishers here as a slow subscriber would.
 */
final class MessageForwarding {

    /** The origin of messages that came from another node: the watching subscription's no local skips them. */
    static final String ORIGIN = "culex-cluster";

    private static final Logger LOG = LoggerFactory.getLogger(MessageForwarding.class);

    private final Broker broker;
    private final RemoteFilters remote;
    /** Whether this node holds a filter (as subscribed): a share group with a member here is served here. */
    private final java.util.function.Predicate<String> heldHere;
    private final java.util.concurrent.atomic.AtomicInteger groupTurn = new java.util.concurrent.atomic.AtomicInteger();
    private final LongAdder forwarded = new LongAdder();
    private final LongAdder received = new LongAdder();
    private final Map<String, ITopic<byte[]>> inboxes = new ConcurrentHashMap<>();
    private volatile HazelcastInstance hazelcast;
    private volatile IMap<String, byte[]> retained;
    private InternalSubscription watching;
    private UUID inboxListener;
    private ITopic<byte[]> inbox;

    MessageForwarding(Broker broker, RemoteFilters remote, java.util.function.Predicate<String> heldHere) {
        this.broker = broker;
        this.remote = remote;
        this.heldHere = heldHere;
    }

    /** On the cluster thread, once joined: open the inbox, then start watching. */
    void start(HazelcastInstance instance, String localMember, IMap<String, byte[]> retainedMap) {
        hazelcast = instance;
        retained = retainedMap;
        inbox = instance.getTopic(HazelcastMember.INBOX_PREFIX + localMember);
        inboxListener = inbox.addMessageListener(this::received);
        watching = broker.newSubscription("#").listed(false).origin(ORIGIN).noLocal(true).retainAsPublished(true)
                .sendRetained(false).qos(2).subscribe(this::forward);
    }

    /** Stop forwarding and receiving; messages on their way are completed as they finish. */
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
    }

    void memberLeft(String member) {
        inboxes.remove(member);
    }

    long forwarded() {
        return forwarded.sum();
    }

    long received() {
        return received.sum();
    }

    private void forward(DeliveredMessage message) {
        HazelcastInstance instance = hazelcast;
        Set<String> plain = new LinkedHashSet<>(4);
        Map<String, Set<String>> groups = new java.util.HashMap<>(2);
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
        byte[] bytes;
        try {
            cluster = ClusterMessage.of(message);
            bytes = cluster.encode();
        } catch (RuntimeException e) {
            LOG.error("Message to {} could not be encoded for the cluster: {}", message.topic(), e.toString());
            message.complete();
            return;
        }
        CompletableFuture<?>[] sends = new CompletableFuture<?>[targets.size() + (retainedChange ? 1 : 0)];
        int i = 0;
        for (String target : targets) {
            ITopic<byte[]> topic = inboxes.computeIfAbsent(target,
                    member -> instance.getTopic(HazelcastMember.INBOX_PREFIX + member));
            List<String> served = serving.get(target);
            byte[] forTarget = served == null ? bytes : cluster.servingGroups(served).encode();
            sends[i++] = topic.publishAsync(forTarget).toCompletableFuture();
        }
        if (retainedChange) {
            sends[i] = replicateRetained(message, bytes);
        }
        forwarded.add(targets.size());
        CompletableFuture.allOf(sends).whenComplete((done, failure) -> {
            if (failure != null) {
                LOG.warn("Message to {} may not have reached every node: {}", message.topic(), failure.toString());
            }
            message.complete();
        });
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
        Map<String, List<String>> serving = new java.util.HashMap<>(2);
        groups.forEach((sharedFilter, members) -> {
            if (heldHere.test(sharedFilter)) {
                return;
            }
            List<String> candidates = new java.util.ArrayList<>(members);
            String chosen = candidates.get(Math.floorMod(groupTurn.getAndIncrement(), candidates.size()));
            serving.computeIfAbsent(chosen, m -> new java.util.ArrayList<>(2)).add(sharedFilter);
        });
        return serving;
    }

    private CompletableFuture<?> replicateRetained(DeliveredMessage message, byte[] bytes) {
        IMap<String, byte[]> map = retained;
        if (map == null) {
            return CompletableFuture.completedFuture(null);
        }
        if (message.payload().length == 0) {
            return map.deleteAsync(message.topic()).toCompletableFuture();
        }
        long expiry = message.messageExpiryInterval();
        return (expiry > 0 ? map.setAsync(message.topic(), bytes, expiry, TimeUnit.SECONDS)
                : map.setAsync(message.topic(), bytes)).toCompletableFuture();
    }

    private void received(Message<byte[]> event) {
        ClusterMessage message;
        try {
            message = ClusterMessage.decode(event.getMessageObject());
        } catch (IllegalArgumentException e) {
            LOG.error("Dropped a message from cluster member {}: {}", event.getPublishingMember(), e.getMessage());
            return;
        }
        received.increment();
        try {
            message.into(broker.newMessage(message.topic)).intercept(false).storeRetained(false)
                    .shareGroups(Set.copyOf(message.shareGroups)).origin(ORIGIN).publish();
        } catch (IllegalStateException e) {
            LOG.debug("Message from the cluster to {} dropped: the broker is stopping", message.topic);
        }
    }
}
