package io.culex.api.persistence;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * A store of the broker's durable state: Mosquitto's {@code MOSQ_EVT_PERSIST_*} events, plus the restore at start
 * and the durability a PUBACK waits for. The package documentation describes the model, the threading and the
 * failure rules; in short: events arrive on network threads and must not block, the events of one session arrive
 * in order, and {@link #sync()} tells the broker when what it was told is durable.
 *
 * <p>Every event is an upsert or a removal keyed as documented on each method, so a store applies them
 * idempotently: an event may repeat what the store has (the snapshot after a run-time install overlaps the events
 * that already flow), and a removal of something the store does not have is ignored.
 *
 * @since 1.0
 */
@ConsumerType
public interface PersistenceListener {

    /**
     * Give back what the store holds. Called once, when the broker starts using the store: before any listener
     * accepts a client when the configuration requires persistence, otherwise as soon as the store is registered.
     * The store calls the restorer (from any one thread at a time) and completes the stage when done; the broker
     * applies what it received after that. A session the broker already has (a client connected before the store
     * was installed) keeps its running state, and what the store held for it is dropped; so does a retained message
     * the running broker already has. The default restores nothing.
     *
     * @param restorer where to put the state
     * @return completes when everything was handed to the restorer; completing exceptionally starts the broker
     *     with what was handed over until then, logged
     */
    default CompletionStage<Void> restore(Restorer restorer) {
        return CompletableFuture.completedFuture(null);
    }

    /**
     * A session that outlives its connection was created or changed (connect, disconnect, expiry or will
     * changed). Upsert by client id.
     *
     * @param session the session
     */
    void sessionSaved(PersistedSession session);

    /**
     * A session ended (expired, taken over by a clean start, or its expiry set to 0): forget it with its
     * subscriptions, outgoing entries and incoming QoS 2 packet ids.
     *
     * @param clientId the client id
     */
    void sessionRemoved(String clientId);

    /**
     * A subscription was added or replaced. Upsert by client id and filter.
     *
     * @param clientId the session's client id
     * @param subscription the subscription
     */
    void subscriptionAdded(String clientId, PersistedSubscription subscription);

    /**
     * A subscription was removed.
     *
     * @param clientId the session's client id
     * @param filter the filter, as in {@link PersistedSubscription#filter()}
     */
    void subscriptionRemoved(String clientId, String filter);

    /**
     * A message was queued for a session, or sent at once. Upsert by client id and entry id; the message is stored
     * once per {@linkplain PersistedMessage#id() id} and shared by every entry (and the retained entry) that refers
     * to it.
     *
     * @param clientId the session's client id
     * @param entry the entry
     * @param message the message it delivers (its buffers are valid only during the call); {@code null} only for a
     *     {@link PersistedOutgoing.State#RELEASED} entry in the snapshot after a run-time install (the payload is
     *     gone by then)
     */
    void outgoingAdded(String clientId, PersistedOutgoing entry, PersistedMessage message);

    /**
     * An outgoing entry changed state: sent with a packet id, or released (QoS 2 PUBREC received). Upsert by client
     * id and entry id.
     *
     * @param clientId the session's client id
     * @param entry the entry in its new state
     */
    void outgoingUpdated(String clientId, PersistedOutgoing entry);

    /**
     * An outgoing entry ended: acknowledged (PUBACK, PUBCOMP, an MQTT 5 error PUBREC), sent at QoS 0, expired or
     * dropped.
     *
     * @param clientId the session's client id
     * @param entryId the entry's id
     */
    void outgoingRemoved(String clientId, long entryId);

    /**
     * A QoS 2 PUBLISH from the client was routed and its PUBREC is due: its packet id must be remembered until
     * PUBREL, so that a retransmission is not routed twice.
     *
     * @param clientId the session's client id
     * @param packetId the packet id
     */
    void incomingQos2Added(String clientId, int packetId);

    /**
     * PUBREL came for an incoming QoS 2 packet id (or its exchange ended with an error): forget it.
     *
     * @param clientId the session's client id
     * @param packetId the packet id
     */
    void incomingQos2Removed(String clientId, int packetId);

    /**
     * A retained message was set (replacing any for its topic). Not called for {@code $SYS/} topics.
     *
     * @param message the message (its buffers are valid only during the call)
     */
    void retainedSet(PersistedMessage message);

    /**
     * The retained message of a topic was cleared.
     *
     * @param topic the topic
     */
    void retainedCleared(String topic);

    /**
     * Durability: the broker calls this before it acknowledges a QoS 1 or 2 PUBLISH (PUBACK, PUBREC) that made
     * something the store keeps, and before PUBCOMP of a stored session, once every delivery of the message has
     * been made (so the events of every queue entry it made came first), and sends the acknowledgement when the
     * stage completes. SUBACK and UNSUBACK do not wait: the retained messages that follow a SUBACK must not
     * overtake it; a subscription is durable with the next {@code sync()} (the events before it are covered).
     * Must not block.
     *
     * @return completes once every event this listener received before the call is durable by the store's policy
     *     (e.g. written and fsync'ed, with many callers sharing one fsync); completes exceptionally if they cannot
     *     be made durable
     */
    CompletionStage<Void> sync();
}
