package io.culex.api;

import org.osgi.annotation.versioning.ProviderType;

/**
 * A message given to a {@link MessageConsumer}. Implemented by the broker; immutable apart from
 * {@link #complete()}.
 *
 * @since 1.4
 */
@ProviderType
public interface DeliveredMessage {

    /** @return the topic */
    String topic();

    /** @return a copy of the payload */
    byte[] payload();

    /** @return the QoS of this delivery: the lower of the message's and the subscription's */
    int qos();

    /**
     * @return the retain flag: set for a retained message sent because the subscription started; for routed
     *     messages as published with {@link SubscriptionBuilder#retainAsPublished}, else clear
     */
    boolean retain();

    /** @return the Message Expiry Interval left, in seconds, or -1 if the message does not expire */
    long messageExpiryInterval();

    /** @return the MQTT 5 properties forwarded from the publisher */
    PublishProperties properties();

    /**
     * @return the client id of the publishing client, the {@link PublishBuilder#origin origin} of a bundle's
     *     message, or {@code null} for the broker's own messages
     */
    @Nullable
    String origin();

    /**
     * The consumer is done with the message (forwarded, stored, or given up): it no longer counts against the
     * subscription. Call it once, from any thread; later calls do nothing.
     */
    void complete();
}
