package io.culex.cluster.internal;

import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.BiFunction;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.topic.ITopic;
import com.hazelcast.topic.Message;

/**
 * Requests between nodes, over a Hazelcast topic per member ({@code culex.control.<member id>}): "release this
 * client's session to me" and its answer "released", the acknowledgements of forwarded messages ("ack": routed
 * up to this sequence number), and, to every member, "placed": the sessions of a member that left are in place on
 * the members that adopted or took them over. Plain strings, one field per line, so Hazelcast moves no class of
 * this bundle.
 */
final class ControlChannel {

    static final String PREFIX = "culex.control.";
    /** How long a node waits for the previous owner; after it, the previous owner counts as gone. */
    static final long ANSWER_SECONDS = 5;

    private static final Logger LOG = LoggerFactory.getLogger(ControlChannel.class);
    private static final String RELEASE = "release";
    private static final String RELEASED = "released";
    private static final String ACK = "ack";
    private static final String PLACED = "placed";

    private final HazelcastInstance hazelcast;
    private final String localMember;
    private final Map<String, CompletableFuture<Void>> waiting = new ConcurrentHashMap<>();
    /** Per request id in {@link #waiting}, the member asked. */
    private final Map<String, String> asked = new ConcurrentHashMap<>();
    private final ITopic<String> inbox;
    private final UUID registration;
    /** Releases a client id here; completes when the session's final state is in the cluster's maps. */
    private volatile BiFunction<String, String, CompletableFuture<Void>> releaser =
            (clientId, requester) -> CompletableFuture.completedFuture(null);
    /** Told that a member routed the messages this node sent it, up to a sequence number. */
    private volatile java.util.function.ObjLongConsumer<String> acknowledged = (member, sequence) -> { };
    /** Told that the sessions of a member that left are in place. */
    private volatile java.util.function.Consumer<String> placed = member -> { };

    ControlChannel(HazelcastInstance hazelcast, String localMember) {
        this.hazelcast = hazelcast;
        this.localMember = localMember;
        this.inbox = hazelcast.getTopic(PREFIX + localMember);
        this.registration = inbox.addMessageListener(this::received);
    }

    void onRelease(BiFunction<String, String, CompletableFuture<Void>> handler) {
        releaser = handler;
    }

    void onAcknowledged(java.util.function.ObjLongConsumer<String> handler) {
        acknowledged = handler;
    }

    void onPlaced(java.util.function.Consumer<String> handler) {
        placed = handler;
    }

    /** Tell every member (this one too) that the sessions of a member that left are in place. */
    void announcePlaced(String departed) {
        for (com.hazelcast.cluster.Member member : hazelcast.getCluster().getMembers()) {
            hazelcast.<String>getTopic(PREFIX + member.getUuid()).publishAsync(String.join("\n", PLACED, departed));
        }
    }

    /** A member left: what was asked of it is not coming; the requests end now instead of at their time-out. */
    void memberLeft(String member) {
        asked.forEach((id, to) -> {
            if (to.equals(member)) {
                CompletableFuture<Void> answer = waiting.get(id);
                if (answer != null) {
                    answer.complete(null);
                }
            }
        });
    }

    /** Tell a member that this node routed its messages up to the sequence number. */
    void acknowledge(String member, long sequence) {
        hazelcast.<String>getTopic(PREFIX + member)
                .publishAsync(String.join("\n", ACK, localMember, Long.toString(sequence)));
    }

    void close() {
        inbox.removeMessageListener(registration);
        waiting.values().forEach(w -> w.complete(null));
    }

    /**
     * Ask a member to release a client's session to this node.
     *
     * @return completes when it answered, or after {@link #ANSWER_SECONDS} without an answer
     */
    CompletableFuture<Void> requestRelease(String member, String clientId) {
        String id = UUID.randomUUID().toString();
        CompletableFuture<Void> answer = new CompletableFuture<>();
        waiting.put(id, answer);
        asked.put(id, member);
        hazelcast.<String>getTopic(PREFIX + member)
                .publishAsync(String.join("\n", RELEASE, id, localMember, clientId));
        return answer.completeOnTimeout(null, ANSWER_SECONDS, TimeUnit.SECONDS)
                .whenComplete((v, failure) -> {
                    waiting.remove(id);
                    asked.remove(id);
                });
    }

    private void received(Message<String> message) {
        String[] fields = message.getMessageObject().split("\n", 4);
        if (fields.length == 4 && RELEASE.equals(fields[0])) {
            String id = fields[1];
            String requester = fields[2];
            String clientId = fields[3];
            releaser.apply(clientId, requester).whenComplete((v, failure) -> {
                if (failure != null) {
                    LOG.warn("Releasing the session of {} to {} failed: {}", clientId, requester, failure.toString());
                }
                hazelcast.<String>getTopic(PREFIX + requester).publishAsync(String.join("\n", RELEASED, id));
            });
        } else if (fields.length >= 3 && ACK.equals(fields[0])) {
            try {
                acknowledged.accept(fields[1], Long.parseLong(fields[2]));
            } catch (NumberFormatException e) {
                LOG.warn("Ignored a malformed acknowledgement from {}", message.getPublishingMember());
            }
        } else if (fields.length >= 2 && PLACED.equals(fields[0])) {
            placed.accept(fields[1]);
        } else if (fields.length >= 2 && RELEASED.equals(fields[0])) {
            CompletableFuture<Void> answer = waiting.get(fields[1]);
            if (answer != null) {
                answer.complete(null);
            }
        } else {
            LOG.warn("Ignored a control message from {}: {}", message.getPublishingMember(), fields[0]);
        }
    }
}
