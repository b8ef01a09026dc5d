package io.culex.api;

import java.util.concurrent.CompletionStage;

import org.osgi.annotation.versioning.ProviderType;

/**
 * A message a bundle publishes through the broker, with everything an MQTT 5 client could set: from
 * {@link Broker#newMessage(String)}. Implemented by the broker. Setters return the builder; a builder publishes once.
 *
 * <p>The message is the broker's own, as {@link Broker#publish} makes it: it passes the {@link MessageInterceptor}s
 * with a {@code null} publisher, is not checked with {@link Access#PUBLISH} (the bundle is trusted), and each
 * delivery to a client is checked with {@link Access#DELIVER}. A retained message with an empty payload clears the
 * topic's retained message.
 *
 * @since 1.4
 */
@ProviderType
public interface PublishBuilder {

    /** @param payload the payload (copied); empty by default */
    PublishBuilder payload(byte[] payload);

    /**
     * @param qos 0, 1 or 2; 0 by default
     * @throws IllegalArgumentException if not 0, 1 or 2
     */
    PublishBuilder qos(int qos);

    /** @param retain whether the broker retains the message; {@code false} by default */
    PublishBuilder retain(boolean retain);

    /**
     * @param seconds the Message Expiry Interval: the message is not delivered after this time, and subscribers
     *     are told the time left; without it the message does not expire
     * @throws IllegalArgumentException if negative or above 4294967295
     */
    PublishBuilder messageExpiryInterval(long seconds);

    /** @param utf8 the Payload Format Indicator: whether the payload is UTF-8 text (not checked) */
    PublishBuilder payloadFormatUtf8(boolean utf8);

    /** @param contentType the Content Type, or {@code null} for none */
    PublishBuilder contentType(@Nullable String contentType);

    /**
     * @param topic the Response Topic, or {@code null} for none
     * @throws IllegalArgumentException if not a valid topic name
     */
    PublishBuilder responseTopic(@Nullable String topic);

    /** @param data the Correlation Data (copied), or {@code null} for none */
    PublishBuilder correlationData(@Nullable byte[] data);

    /** Add a User Property; properties keep the order they are added in, and names may repeat. */
    PublishBuilder userProperty(String name, String value);

    /**
     * Where the message comes from, for loop prevention: an {@link InternalSubscription} with the same origin and
     * {@link SubscriptionBuilder#noLocal no local} does not receive it, just as an MQTT 5 client with no local does
     * not receive its own messages (a bridge marks what it brings in with its own name, so that it does not send it
     * back). {@code null}, the default, is the broker itself.
     */
    PublishBuilder origin(@Nullable String origin);

    /**
     * @param intercept whether the {@link MessageInterceptor}s see the message; {@code true} by default.
     *     {@code false} is for a message that already passed them on the broker it was first published to (a
     *     cluster node forwarding it here), so that an interceptor's change is not applied twice.
     * @since 1.7
     */
    PublishBuilder intercept(boolean intercept);

    /**
     * @param storeRetained whether a message with the {@linkplain #retain retain flag} replaces the retained
     *     message of its topic; {@code true} by default. {@code false} keeps the flag for subscribers with retain
     *     as published but leaves the retained store alone: for a message whose retained copy reaches this broker
     *     another way (a cluster replicates retained messages on their own).
     * @since 1.7
     */
    PublishBuilder storeRetained(boolean storeRetained);

    /**
     * @param route whether subscribers receive the message; {@code true} by default. {@code false} with
     *     {@code retain(true)} only sets (or, with an empty payload, clears) the retained message of the topic: for
     *     a retained message copied from another broker, which the subscribers here already received when it was
     *     published.
     * @since 1.7
     */
    PublishBuilder route(boolean route);

    /**
     * @param sharedFilters the shared subscriptions, as {@code $share/<group>/<filter>}, whose groups may receive the
     *     message here; {@code null}, the default, lets every matching group receive it. A cluster node forwarding
     *     a message names the groups this broker is to serve, so that each group gets the message once across the
     *     cluster; an empty set keeps it from every group here.
     * @since 1.7
     */
    PublishBuilder shareGroups(@Nullable java.util.Set<String> sharedFilters);

    /**
     * @param clientIds the client sessions (connected or not) whose subscriptions may receive the message here;
     *     {@code null}, the default, lets every matching subscriber receive it. A set limits routing to the
     *     subscriptions of these sessions (bundles' subscriptions are left out): a cluster node hands a message
     *     that a member which died did not acknowledge to the sessions that member held, wherever they went,
     *     without sending it again to the other subscribers. An empty set routes to no one. Shared subscriptions
     *     are not limited by it: {@link #shareGroups} alone decides which groups are served.
     * @since 1.8
     */
    PublishBuilder recipients(@Nullable java.util.Set<String> clientIds);

    /**
     * @param clientIds client sessions whose subscriptions do not receive the message here; {@code null}, the
     *     default, or an empty set leaves no one out. The complement of {@link #recipients}: a cluster node sends a
     *     message for the former sessions of a member that died apart from the same message for everyone else.
     *     Shared subscriptions are not affected.
     * @since 1.8
     */
    PublishBuilder excludedRecipients(@Nullable java.util.Set<String> clientIds);

    /**
     * Publish: interceptors, then the retained store, then routing. The stage completes on a broker thread once the
     * message has been routed: every matching subscriber has it or has it on its way to its own thread (queued
     * where a subscriber is offline or behind); for QoS 1 and 2 (since 1.7), once every subscriber has it, so a
     * store has heard of every queue entry it made, and once the subscriptions that
     * {@linkplain SubscriptionBuilder#holdAcknowledgement hold acknowledgements} completed it. Exceptionally with
     * {@link IllegalStateException} if the broker stopped first. Messages with the same origin are routed in the order {@code publish()} was called, so each
     * subscriber gets them in that order; messages of different origins may overtake each other.
     *
     * @return what became of the message
     * @throws IllegalStateException if this builder already published
     */
    CompletionStage<PublishResult> publish();
}
