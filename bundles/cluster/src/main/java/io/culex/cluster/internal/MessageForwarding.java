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
import io.culex.api.MessageSelector;

/**
 * Messages between nodes. Outgoing: an unlisted subscription to {@code #} sees the messages published on this node
 * (not those that came from other nodes: they carry the cluster's origin and the subscription has no local) that
 * another node has a filter for, or that change a retained message: its selector asks {@link RemoteFilters} while
 * the message is routed, so the rest costs nothing and an MQTT 5 publisher hears 0x10 when no node has a
 * subscriber. It asks again which nodes match and sends the message once to each one's inbox (a
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
 *
 * <p>A member that dies: its filters stay, as placeholders, until its sessions are placed elsewhere and a while
 * after. What it had not acknowledged (sent while it was failing, before the cluster declared it gone) and what
 * matches its filters since is held, not acknowledged to its publishers, until the member that adopts its sessions
 * announces them {@linkplain ControlChannel#announcePlaced placed}; then it is sent to every member, marked
 * {@linkplain ClusterMessage#onlyForSessionsOf for the dead member's former sessions}, and each member routes it
 * only to the sessions it took from the dead member (adopted, or taken over by their reconnecting clients); the
 * same message goes to everyone else {@linkplain ClusterMessage#exceptSessionsOf without those sessions}, so each
 * subscriber gets it once wherever the sessions are by then. The share groups the dead member was to serve are
 * served again, each on one member. Held messages are given up after {@link #PLACEMENT_SECONDS} without the
 * announcement; the placeholders go {@link #PLACEHOLDER_SECONDS} after it (the adopter's own filters have reached
 * every node by then).
 */
final class MessageForwarding {

    /** The origin of messages that came from another node: the watching subscription's no local skips them. */
    static final String ORIGIN = "culex-cluster";
    /** A receiving node acknowledges after this many routed messages, or soon after the last one. */
    private static final int ACK_EVERY = 64;
    private static final long ACK_DELAY_MILLIS = 2;
    /** How long a message from another node may hold back the acknowledgement of those after it. */
    private static final long STUCK_SECONDS = 30;
    /** How long the messages a dead member did not acknowledge wait for its sessions to be placed. */
    static final long PLACEMENT_SECONDS = 60;
    /** How long a member that left is remembered, so that nothing is sent to it any more. */
    private static final long DEPARTED_SECONDS = 600;
    /** How long the filters of a member that left stay after its sessions were placed. */
    private static final long PLACEHOLDER_SECONDS = 10;

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
    /**
     * Held (shared) while a message from another node is decided on and handed to the broker, (exclusive) while a
     * session is marked as moving away: see {@link #movingAway}.
     */
    private final java.util.concurrent.locks.ReadWriteLock decisions =
            new java.util.concurrent.locks.ReentrantReadWriteLock();
    /** Messages from other nodes being routed here now (until routed): see {@link #movingAway}. */
    private final Set<CompletableFuture<?>> routing = ConcurrentHashMap.newKeySet();
    /** Members that left, while their filters stay as placeholders; compound changes under its lock. */
    private final Map<String, Departure> departures = new ConcurrentHashMap<>();
    /** Members that left and were forgotten (until {@link #DEPARTED_SECONDS}): a message is never sent to them. */
    private final Map<String, Long> departed = new ConcurrentHashMap<>();
    /** The client ids this node took from a member that left (adopted or taken over). */
    private final java.util.function.Function<String, Set<String>> formerSessions;
    /** Forgets the filters of a member that left. */
    private final java.util.function.Consumer<String> forgetFilters;
    /** Sessions released to other members lately (their messages are relayed) and sessions arriving here. */
    private final MovingSessions moving;
    private volatile String self;
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
            java.util.function.Supplier<java.util.concurrent.CompletionStage<Void>> durable,
            java.util.function.Function<String, Set<String>> formerSessions,
            java.util.function.Consumer<String> forgetFilters, MovingSessions moving) {
        this.broker = broker;
        this.moving = moving;
        this.remote = remote;
        this.heldHere = heldHere;
        this.durable = durable;
        this.formerSessions = formerSessions;
        this.forgetFilters = forgetFilters;
    }

    /** On the cluster thread, once joined: open the inbox, then start watching. */
    void start(HazelcastInstance instance, String localMember, IMap<String, byte[]> retainedMap,
            ControlChannel channel) {
        hazelcast = instance;
        self = localMember;
        retained = retainedMap;
        control = channel;
        channel.onAcknowledged(this::acknowledged);
        channel.onPlaced(this::placed);
        inbox = instance.getTopic(HazelcastMember.INBOX_PREFIX + localMember);
        inboxListener = inbox.addMessageListener(this::received);
        watching = broker.newSubscription("#").listed(false).origin(ORIGIN).noLocal(true).retainAsPublished(true)
                .sendRetained(false).qos(2).holdAcknowledgement(true).selector(this::select).subscribe(this::forward);
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
        List<Sent> unacknowledged = new ArrayList<>();
        synchronized (departures) {
            outboxes.values().forEach(outbox -> unacknowledged.addAll(outbox.drain()));
            outboxes.clear();
            departures.values().forEach(d -> {
                if (d.held != null) {
                    d.held.forEach(h -> unacknowledged.add(h.sent));
                }
            });
            departures.clear();
        }
        unacknowledged.forEach(sent -> sent.done.run());
    }

    /** A member that left, while its filters stay: what waits for its sessions to be placed. */
    private static final class Departure {
        /** {@code null} once its sessions are placed. */
        List<Held> held = new ArrayList<>();
    }

    /** A message held for the sessions of a member that left. */
    private static final class Held {
        final Sent sent;
        /** The sessions this node had taken from that member when the message was routed here: they have it. */
        final Set<String> hereAlready;

        Held(Sent sent, Set<String> hereAlready) {
            this.sent = sent;
            this.hereAlready = hereAlready;
        }
    }

    /**
     * A member left: what it did not acknowledge, and what matches its filters from now on, waits until its
     * sessions are placed elsewhere (see the class comment).
     */
    void memberLeft(String member) {
        List<Sent> unacknowledged;
        synchronized (departures) {
            Outbox outbox = outboxes.remove(member);
            unacknowledged = outbox == null ? List.of() : outbox.drain();
            Departure departure = new Departure();
            unacknowledged.forEach(sent -> departure.held.add(new Held(sent, Set.of())));
            departures.put(member, departure);
        }
        inbound.remove(member);
        if (!unacknowledged.isEmpty()) {
            LOG.warn("{} message(s) sent to cluster member {} were not acknowledged before it left; they wait "
                    + "until its sessions are adopted, to be delivered to them there.", unacknowledged.size(), member);
        }
        try {
            ackTimer.schedule(() -> giveUp(member), PLACEMENT_SECONDS, TimeUnit.SECONDS);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            giveUp(member); // stopping
        }
    }

    /** No announcement in time (the adopter died too?): what is held is lost; the placeholders go. */
    private void giveUp(String member) {
        List<Held> held = null;
        synchronized (departures) {
            Departure departure = departures.get(member);
            if (departure != null && departure.held != null) {
                held = departure.held;
                departure.held = null;
            }
        }
        if (held == null) {
            return; // placed in time
        }
        if (!held.isEmpty()) {
            LOG.warn("The sessions of cluster member {} were not placed within {} s: {} message(s) for them are "
                    + "lost.", member, PLACEMENT_SECONDS, held.size());
        }
        held.forEach(h -> h.sent.done.run());
        forget(member);
    }

    /** The placeholders of a member that left go: from now on nothing is sent for it. */
    private void forget(String member) {
        departed.put(member, System.nanoTime());
        departed.values().removeIf(at -> System.nanoTime() - at > TimeUnit.SECONDS.toNanos(DEPARTED_SECONDS));
        departures.remove(member);
        forgetFilters.accept(member);
    }

    /**
     * The sessions of a member that left are in place (adopted or taken over): send what was held for them to every
     * member, for those sessions only, and serve the member's share groups elsewhere; its placeholders stay a
     * while, sending what matches them the same way.
     */
    private void placed(String member) {
        List<Held> held;
        synchronized (departures) {
            Departure departure = departures.get(member);
            if (departure == null || departure.held == null) {
                return;
            }
            held = departure.held;
            departure.held = null;
        }
        for (Held h : held) {
            sendForSessionsOf(member, h.sent.message, h.sent.shareGroups, h.sent.done, h.hereAlready);
        }
        if (!held.isEmpty()) {
            LOG.info("{} message(s) for the sessions of cluster member {} were sent to their new places.",
                    held.size(), member);
        }
        try {
            ackTimer.schedule(() -> forget(member), PLACEHOLDER_SECONDS, TimeUnit.SECONDS);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            forget(member); // stopping
        }
    }

    /**
     * For a member that left: hold the message until its sessions are placed, or, once they are, send it for them.
     * {@code done} runs once every member that may hold them has it.
     */
    private void sendForDeparted(String member, ClusterMessage message, List<String> shareGroups, Runnable done) {
        Set<String> hereAlready = Set.copyOf(formerSessions.apply(member)); // routed here before the watch saw it
        synchronized (departures) {
            Departure departure = departures.get(member);
            if (departure == null) {
                done.run(); // forgotten meanwhile: its sessions are elsewhere with their own filters
                return;
            }
            if (departure.held != null) {
                departure.held.add(new Held(new Sent(message, shareGroups, done), hereAlready));
                return;
            }
        }
        sendForSessionsOf(member, message, shareGroups, done, hereAlready);
    }

    /** Send to every member for the sessions it took from a member that left; here, to those that lack it. */
    private void sendForSessionsOf(String member, ClusterMessage message, List<String> groupsOfDeparted,
            Runnable done, Set<String> hereAlready) {
        HazelcastInstance instance = hazelcast;
        if (instance == null) {
            done.run();
            return;
        }
        List<String> members = new ArrayList<>();
        instance.getCluster().getMembers().forEach(m -> members.add(m.getUuid().toString()));
        Map<String, List<String>> serving = servingElsewhere(message.topic, groupsOfDeparted);
        AtomicInteger parts = new AtomicInteger(members.size());
        Runnable partDone = () -> {
            if (parts.decrementAndGet() == 0) {
                done.run();
            }
        };
        ClusterMessage forThem = message.onlyForSessionsOf(member);
        for (String target : members) {
            List<String> groups = serving.getOrDefault(target, List.of());
            if (target.equals(self)) {
                Set<String> lacking = new java.util.HashSet<>(formerSessions.apply(member));
                lacking.removeAll(hereAlready);
                routeHere(forThem.to(0, groups), lacking, Set.of()).whenComplete((v, failure) -> partDone.run());
            } else {
                send(instance, target, forThem, groups, partDone);
            }
        }
    }

    /** @return per member, which of the share groups a member that left was to serve it now serves */
    private Map<String, List<String>> servingElsewhere(String topic, List<String> groupsOfDeparted) {
        if (groupsOfDeparted.isEmpty()) {
            return Map.of();
        }
        Set<String> plain = new LinkedHashSet<>(4);
        Map<String, Set<String>> groups = new HashMap<>(2);
        remote.match(topic, plain, groups);
        Map<String, Set<String>> wanted = new HashMap<>(2);
        for (String group : groupsOfDeparted) {
            Set<String> members = new LinkedHashSet<>(groups.getOrDefault(group, Set.of()));
            members.removeIf(departures::containsKey);
            if (heldHere.test(group)) {
                members = Set.of(self); // a member here: served here
            }
            if (!members.isEmpty()) {
                wanted.put(group, members);
            }
        }
        Map<String, List<String>> serving = new HashMap<>(2);
        wanted.forEach((group, members) -> {
            List<String> candidates = new ArrayList<>(members);
            String chosen = candidates.get(Math.floorMod(groupTurn.getAndIncrement(), candidates.size()));
            serving.computeIfAbsent(chosen, m -> new ArrayList<>(2)).add(group);
        });
        return serving;
    }

    long forwarded() {
        return forwarded.sum();
    }

    long received() {
        return received.sum();
    }

    // ---------------------------------------------------------------- outgoing (the watching subscription's thread)

    /**
     * While a message is routed here: only what another member (or a dead member's placeholder) has a filter for
     * is forwarded and counts as matched; a retained change is watched for the retained map either way.
     */
    private MessageSelector.Selection select(String topic, boolean retain) {
        if (remote.matchesAny(topic) || moving.matchesAny(topic)) {
            return MessageSelector.Selection.DELIVER;
        }
        return retain ? MessageSelector.Selection.OBSERVE : MessageSelector.Selection.SKIP;
    }

    private void forward(DeliveredMessage message) {
        HazelcastInstance instance = hazelcast;
        Set<String> plain = new LinkedHashSet<>(4);
        Map<String, Set<String>> groups = new HashMap<>(2);
        remote.match(message.topic(), plain, groups);
        Map<String, List<String>> serving = serving(groups);
        Set<String> targets = new LinkedHashSet<>(plain);
        targets.addAll(serving.keySet());
        boolean retainedChange = message.retain();
        // sessions released from here lately: this node answers for what is published here, relaying it to their
        // new owners for them (which leave them out of what this node sends them otherwise)
        Map<String, List<String>> relays = moving.match(message.topic(), null);
        // and share groups of theirs that no other member serves yet (their new owners' filters are on the way)
        Map<String, String> groupRelays = moving.sharedRelays(message.topic(),
                group -> !heldHere.test(group) && !groups.containsKey(group));
        if (instance == null
                || (targets.isEmpty() && relays.isEmpty() && groupRelays.isEmpty() && !retainedChange)) {
            message.complete();
            return;
        }
        ClusterMessage cluster;
        try {
            cluster = ClusterMessage.of(message).sentTo(targets);
        } catch (RuntimeException e) {
            LOG.error("Message to {} could not be encoded for the cluster: {}", message.topic(), e.toString());
            message.complete();
            return;
        }
        // complete the message once every node acknowledged it and the retained map has it
        AtomicInteger parts = new AtomicInteger(targets.size() + relays.size() + groupRelays.size()
                + (retainedChange ? 1 : 0));
        Runnable partDone = () -> {
            if (parts.decrementAndGet() == 0) {
                message.complete();
            }
        };
        List<String> gone = null;
        if (!departures.isEmpty()) {
            for (String target : targets) {
                if (departures.containsKey(target)) {
                    gone = gone == null ? new ArrayList<>(1) : gone;
                    gone.add(target);
                }
            }
        }
        ClusterMessage toOthers = gone == null ? cluster : cluster.exceptSessionsOf(gone);
        for (String target : targets) {
            List<String> served = serving.getOrDefault(target, List.of());
            if (gone != null && gone.contains(target)) {
                sendForDeparted(target, cluster, served, partDone);
            } else {
                send(instance, target, toOthers, served, partDone);
            }
        }
        for (Map.Entry<String, List<String>> relay : relays.entrySet()) {
            moving.relayed(relay.getValue());
            send(instance, relay.getKey(), cluster.relayedFor(relay.getValue()), List.of(), partDone);
        }
        groupRelays.forEach((group, clientId) -> relayGroup(instance, cluster, group, clientId, partDone));
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

    /** Relay a message for a share group to the new owner of a member of it that was released here lately. */
    private void relayGroup(HazelcastInstance instance, ClusterMessage message, String group, String clientId,
            Runnable done) {
        String owner = moving.ownerOf(clientId);
        if (owner == null || owner.equals(self)) {
            done.run();
            return;
        }
        moving.relayed(List.of(clientId));
        send(instance, owner, message.relayedFor(List.of(clientId)), List.of(group), done);
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

    /** Send to one member; {@code done} runs once it acknowledged (at once if it left). */
    private void send(HazelcastInstance instance, String target, ClusterMessage message, List<String> shareGroups,
            Runnable done) {
        if (departures.containsKey(target)) { // it left after the targets were chosen
            sendForDeparted(target, message, shareGroups, done);
            return;
        }
        synchronized (departures) {
            if (departures.containsKey(target) || departed.containsKey(target)) {
                done.run(); // it left just now (a rare race: the message is not held) or long ago
                return;
            }
            outboxes.computeIfAbsent(target,
                    member -> new Outbox(instance.getTopic(HazelcastMember.INBOX_PREFIX + member)))
                    .send(message, shareGroups, done);
        }
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

    /** A message sent to a member, until it acknowledges: what to send again should the member die first. */
    private static final class Sent {
        final ClusterMessage message;
        final List<String> shareGroups;
        final Runnable done;

        Sent(ClusterMessage message, List<String> shareGroups, Runnable done) {
            this.message = message;
            this.shareGroups = shareGroups;
            this.done = done;
        }
    }

    /** The messages sent to one member and not acknowledged yet, in sequence order. */
    private static final class Outbox {
        private final ITopic<byte[]> topic;
        private final ArrayDeque<Sent> waiting = new ArrayDeque<>();
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
                waiting.add(new Sent(message, shareGroups, done));
            }
            topic.publishAsync(message.to(sequence, shareGroups).encode());
        }

        void acknowledged(long upTo) {
            List<Sent> done = new ArrayList<>();
            synchronized (this) {
                while (firstWaiting <= upTo && !waiting.isEmpty()) {
                    done.add(waiting.poll());
                    firstWaiting++;
                }
            }
            done.forEach(sent -> sent.done.run());
        }

        /** @return what was waiting for an acknowledgement, in order (no longer waiting) */
        List<Sent> drain() {
            synchronized (this) {
                List<Sent> drained = new ArrayList<>(waiting);
                firstWaiting += waiting.size();
                waiting.clear();
                return drained;
            }
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
        from.routing(message.sequence);
        try {
            CompletableFuture<Void> done;
            decisions.readLock().lock();
            try {
                done = route(message, sender);
            } finally {
                decisions.readLock().unlock();
            }
            done.whenComplete((result, failure) -> from.routed(message.sequence));
        } catch (IllegalStateException e) {
            LOG.debug("Message from the cluster to {} dropped: the broker is stopping", message.topic);
        } catch (IllegalArgumentException e) {
            LOG.error("Dropped a message from cluster member {}: {}", sender, e.getMessage());
            from.routed(message.sequence);
        }
    }

    /**
     * Decide where a message from another node goes, minding the sessions on the move, and hand it to the broker
     * (under the read lock of {@link #decisions}).
     *
     * @return completes once it is routed here and relayed where it has to be
     */
    private CompletableFuture<Void> route(ClusterMessage message, String sender) {
        List<String> onlyFor = message.forClients.isEmpty() ? null : message.forClients;
        // decided once, before routing: a session released from here gets it through the relay only
        Map<String, List<String>> moved = message.formerMembers.isEmpty()
                ? moving.match(message.topic, onlyFor) : Map.of();
        if (onlyFor == null && !moved.isEmpty()) {
            moved = withoutAnsweredElsewhere(moved, moving.leftToPrevious(sender, message.sentTo));
        }
        Set<String> leaving = new java.util.HashSet<>();
        moved.values().forEach(leaving::addAll);
        CompletableFuture<Void> relayed = relay(message, sender, moved);
        ClusterMessage here = message;
        if (onlyFor == null && message.formerMembers.isEmpty() && !message.shareGroups.isEmpty()) {
            // a share group of a session released from here is served where the session went, not here
            Map<String, String> groupRelays = moving.sharedRelays(message.topic, message.shareGroups::contains);
            if (!groupRelays.isEmpty()) {
                relayed = relayed.thenCombine(relayGroups(message, groupRelays), (a, b) -> b);
                List<String> servedHere = new ArrayList<>(message.shareGroups);
                servedHere.removeAll(groupRelays.keySet());
                here = message.to(message.sequence, servedHere);
            }
        }
        java.util.concurrent.CompletionStage<Void> routed;
        if (onlyFor != null) {
            routed = routeRelayed(here, leaving);
        } else if (!message.formerMembers.isEmpty()) {
            routed = routeHere(here, null, Set.of());
        } else {
            routed = routeWhileSessionsMove(here, leaving, sender);
        }
        return routed.toCompletableFuture().thenCombine(relayed, (a, b) -> b);
    }

    /**
     * A session that came here from a member and moved on within {@link MovingSessions#RELAY_SECONDS}: what that
     * member got too it relays here, and this node relays on; so a copy this node got directly is not relayed.
     */
    private static Map<String, List<String>> withoutAnsweredElsewhere(Map<String, List<String>> moved,
            Set<String> answeredElsewhere) {
        if (answeredElsewhere.isEmpty()) {
            return moved;
        }
        Map<String, List<String>> left = new HashMap<>(moved.size());
        moved.forEach((owner, clientIds) -> {
            List<String> relayed = new ArrayList<>(clientIds);
            relayed.removeAll(answeredElsewhere);
            if (!relayed.isEmpty()) {
                left.put(owner, relayed);
            }
        });
        return left;
    }

    /**
     * Relay a message from another node to the new owners of sessions released from here lately, for those
     * sessions (the new owners leave them out of the copies they got directly), unless it came from that owner.
     *
     * @return completes once the new owners acknowledged it
     */
    private CompletableFuture<Void> relay(ClusterMessage message, String sender, Map<String, List<String>> moved) {
        HazelcastInstance instance = hazelcast;
        if (moved.isEmpty() || instance == null) {
            return CompletableFuture.completedFuture(null);
        }
        List<CompletableFuture<Void>> parts = new ArrayList<>(moved.size());
        moved.forEach((owner, clientIds) -> {
            if (owner.equals(sender) || owner.equals(self)) {
                return; // the new owner answers for what it publishes itself
            }
            CompletableFuture<Void> part = new CompletableFuture<>();
            parts.add(part);
            moving.relayed(clientIds);
            send(instance, owner, message.relayedFor(clientIds), List.of(), () -> part.complete(null));
        });
        return CompletableFuture.allOf(parts.toArray(new CompletableFuture<?>[0]));
    }

    /**
     * Relay a message from another node for share groups this node is named to serve of which a session released
     * from here lately is a member: to its new owner, which serves the group once the session has arrived there
     * (even if it sent the message: it named this node before it held the group). Deciding by the release, not by
     * whether the group still has a member here, keeps the decision and the release in one order.
     *
     * @param groupRelays per share group, the released session it is relayed for
     * @return completes once the new owners acknowledged it
     */
    private CompletableFuture<Void> relayGroups(ClusterMessage message, Map<String, String> groupRelays) {
        HazelcastInstance instance = hazelcast;
        if (instance == null) {
            return CompletableFuture.completedFuture(null);
        }
        List<CompletableFuture<Void>> parts = new ArrayList<>(groupRelays.size());
        groupRelays.forEach((group, clientId) -> {
            CompletableFuture<Void> part = new CompletableFuture<>();
            parts.add(part);
            relayGroup(instance, message, group, clientId, () -> part.complete(null));
        });
        return CompletableFuture.allOf(parts.toArray(new CompletableFuture<?>[0]));
    }

    /**
     * Route a plain message from another node here, minding the sessions on the move (see {@link MovingSessions}):
     * those released from here get it through the relay only; those taken from a member that got it too get it
     * from that member's relay; one arriving here otherwise gets it once its import is complete.
     */
    private java.util.concurrent.CompletionStage<Void> routeWhileSessionsMove(ClusterMessage message,
            Set<String> leaving, String sender) {
        Set<String> leftToPrevious = moving.leftToPrevious(sender, message.sentTo);
        Set<String> arriving = moving.arrivingClients();
        if (leaving.isEmpty() && leftToPrevious.isEmpty() && arriving.isEmpty()) {
            return routeHere(message, null, Set.of());
        }
        if (!leftToPrevious.isEmpty() && !arriving.isEmpty()) {
            arriving = new java.util.HashSet<>(arriving);
            arriving.removeAll(leftToPrevious);
        }
        Set<String> excluded = new java.util.HashSet<>(leaving);
        excluded.addAll(leftToPrevious);
        excluded.addAll(arriving);
        List<CompletableFuture<Void>> parts = new ArrayList<>(2);
        parts.add(routeHere(message, null, excluded).toCompletableFuture());
        if (!arriving.isEmpty()) {
            parts.add(routeRelayed(message.relayedFor(List.copyOf(arriving)), Set.of()).toCompletableFuture());
        }
        return CompletableFuture.allOf(parts.toArray(new CompletableFuture<?>[0]));
    }

    /**
     * A message for some sessions only (relayed for sessions that moved here): to each once it has arrived (its
     * import may still be running), and only to it. A message relayed for share groups goes to those groups (served
     * here by any of their members) once the session it was relayed for has arrived, and to no one else.
     *
     * @param skip client ids not to route to here (released from here meanwhile: relayed on)
     * @return completes once every one of them has it, backed up
     */
    private java.util.concurrent.CompletionStage<Void> routeRelayed(ClusterMessage message, Set<String> skip) {
        boolean forGroups = !message.shareGroups.isEmpty();
        List<CompletableFuture<Void>> parts = new ArrayList<>(message.forClients.size());
        for (String clientId : message.forClients) {
            if (skip.contains(clientId) && !forGroups) {
                continue;
            }
            CompletableFuture<Void> part = new CompletableFuture<>();
            parts.add(part);
            moving.whenArrived(clientId, () -> {
                try {
                    message.into(broker.newMessage(message.topic)).intercept(false).storeRetained(false)
                            .recipients(forGroups ? Set.of() : Set.of(clientId))
                            .shareGroups(Set.copyOf(message.shareGroups)).origin(ORIGIN).publish()
                            .thenCompose(result -> message.qos > 0 ? durable.get()
                                    : CompletableFuture.<Void>completedFuture(null))
                            .whenComplete((v, failure) -> part.complete(null));
                } catch (RuntimeException e) {
                    LOG.debug("Message relayed to {} for {} dropped: {}", message.topic, clientId, e.toString());
                    part.complete(null);
                }
            });
        }
        return CompletableFuture.allOf(parts.toArray(new CompletableFuture<?>[0]));
    }

    /**
     * A session is about to be released to another member ({@link MovingSessions#movedAway}): a message from another
     * node is decided either before (routed to the session here, and the stage waits for it) or after (relayed to
     * the new owner), never in between, so each is in the session's records or relayed.
     *
     * @return completes once every message from other nodes that this node decided to route with the session here
     *     is routed
     */
    CompletableFuture<Void> movingAway(String clientId, String owner, Set<String> filters) {
        decisions.writeLock().lock();
        try {
            moving.movedAway(clientId, owner, filters);
            return CompletableFuture.allOf(routing.toArray(new CompletableFuture<?>[0]));
        } finally {
            decisions.writeLock().unlock();
        }
    }

    /**
     * Publish a message from another node here: without the interceptors (its node ran them) and the retained
     * store; only to, or to all but, the sessions this node took from members that left, if it is marked so.
     *
     * @param onlyThese for a message for the sessions of a member that left: those of them to route to, instead
     *     of all this node took from it; {@code null} otherwise
     * @param alsoExcluded sessions that do not get it (besides those the marks exclude)
     * @return completes once every subscriber here has it and what the sessions here stored is backed up
     */
    private java.util.concurrent.CompletionStage<Void> routeHere(ClusterMessage message, Set<String> onlyThese,
            Set<String> alsoExcluded) {
        Set<String> former = null;
        if (!message.formerMembers.isEmpty()) {
            former = new java.util.HashSet<>();
            for (String member : message.formerMembers) {
                former.addAll(formerSessions.apply(member));
            }
        }
        Set<String> recipients = message.formerOnly ? (onlyThese != null ? onlyThese : former) : null;
        if (recipients != null && recipients.isEmpty() && message.shareGroups.isEmpty()) {
            return CompletableFuture.completedFuture(null); // none of that member's sessions (lacking it) is here
        }
        Set<String> excluded = message.formerOnly ? null : former;
        if (!alsoExcluded.isEmpty()) {
            Set<String> all = new java.util.HashSet<>(alsoExcluded);
            if (excluded != null) {
                all.addAll(excluded);
            }
            excluded = all;
        }
        CompletableFuture<io.culex.api.PublishResult> published = message.into(broker.newMessage(message.topic))
                .intercept(false).storeRetained(false).shareGroups(Set.copyOf(message.shareGroups))
                .recipients(recipients).excludedRecipients(excluded).origin(ORIGIN).publish().toCompletableFuture();
        routing.add(published);
        published.whenComplete((result, failure) -> routing.remove(published));
        return published.thenCompose(result -> message.qos > 0 ? durable.get()
                : CompletableFuture.<Void>completedFuture(null));
    }

    /**
     * What this node routed of one member's messages, and acknowledged to it. Acknowledgements are cumulative, so a
     * message that takes longer (one held for a session still being imported) holds back those after it: the
     * sender hears "routed up to n" only once every message up to n has been.
     */
    private final class Inbound {
        private final String member;
        private final AtomicBoolean flushScheduled = new AtomicBoolean();
        /** The messages being routed now: sequence number to when it began ({@link System#nanoTime}). */
        private final java.util.NavigableMap<Long, Long> inProgress = new java.util.TreeMap<>();
        private long routed;
        private long acknowledged;

        Inbound(String member) {
            this.member = member;
        }

        /** A message from the member is about to be routed (on Hazelcast's event thread, in sequence order). */
        synchronized void routing(long sequence) {
            inProgress.put(sequence, System.nanoTime());
        }

        void routed(long sequence) {
            boolean now;
            synchronized (this) {
                inProgress.remove(sequence);
                routed = Math.max(routed, sequence);
                now = routable() - acknowledged >= ACK_EVERY;
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

        /**
         * @return the highest sequence number up to which every message was routed (under the lock); a message
         *     still not routed after {@link #STUCK_SECONDS} no longer holds back the others
         */
        private long routable() {
            while (!inProgress.isEmpty()) {
                Map.Entry<Long, Long> oldest = inProgress.firstEntry();
                if (System.nanoTime() - oldest.getValue() < TimeUnit.SECONDS.toNanos(STUCK_SECONDS)) {
                    return Math.min(routed, oldest.getKey() - 1);
                }
                inProgress.pollFirstEntry();
                LOG.warn("Message {} from cluster member {} was not routed within {} s; acknowledging the ones after "
                        + "it.", oldest.getKey(), member, STUCK_SECONDS);
            }
            return routed;
        }

        void flush() {
            flushScheduled.set(false);
            long upTo;
            boolean waiting;
            synchronized (this) {
                upTo = routable();
                waiting = !inProgress.isEmpty() && routed > upTo;
                if (upTo > acknowledged) {
                    acknowledged = upTo;
                } else {
                    upTo = -1;
                }
            }
            if (waiting && flushScheduled.compareAndSet(false, true)) { // look again once the slow one may be done
                try {
                    ackTimer.schedule(this::flush, 1, TimeUnit.SECONDS);
                } catch (java.util.concurrent.RejectedExecutionException e) {
                    flushScheduled.set(false); // stopping
                }
            }
            if (upTo < 0) {
                return;
            }
            ControlChannel channel = control;
            if (channel != null) {
                channel.acknowledge(member, upTo);
            }
        }
    }
}
