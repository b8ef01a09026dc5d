package io.culex.api;

import org.osgi.annotation.versioning.ProviderType;

/**
 * A retained message as {@link Broker#retainedMessages} reports it. Implemented by the broker; immutable.
 *
 * @since 1.4
 */
@ProviderType
public interface RetainedMessage {

    /** @return the topic it is retained for */
    String topic();

    /** @return a copy of the payload */
    byte[] payload();

    /** @return its QoS */
    int qos();

    /** @return the Message Expiry Interval left, in seconds, or -1 if it does not expire */
    long messageExpiryInterval();

    /** @return the MQTT 5 properties it was published with */
    PublishProperties properties();
}
