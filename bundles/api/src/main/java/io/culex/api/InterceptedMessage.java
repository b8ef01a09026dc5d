package io.culex.api;

import org.osgi.annotation.versioning.ProviderType;

/**
 * A message a {@link MessageInterceptor} may read and change before the broker routes it. Implemented by the broker;
 * valid only during the {@link MessageInterceptor#intercept} call.
 */
@ProviderType
public interface InterceptedMessage {

    /** @return the topic the message will be routed to */
    String topic();

    /**
     * Route the message to another topic.
     *
     * @param topic a valid topic name: not empty, no wildcards
     * @throws IllegalArgumentException if the topic is not a valid topic name
     */
    void setTopic(String topic);

    /** @return a copy of the payload */
    byte[] payload();

    /** @param payload the new payload (copied) */
    void setPayload(byte[] payload);

    /** @return the QoS, 0, 1 or 2 */
    int qos();

    /**
     * @param qos the new QoS, 0, 1 or 2
     * @throws IllegalArgumentException if not 0, 1 or 2
     */
    void setQos(int qos);

    /** @return the retain flag */
    boolean retain();

    /** @param retain the new retain flag */
    void setRetain(boolean retain);

    /**
     * @return the MQTT 5 properties the message carries to its subscribers (none for a message from an MQTT 3.x
     *     client), including user properties added by earlier interceptors
     * @since 1.4
     */
    PublishProperties properties();

    /**
     * @return the Message Expiry Interval left, in seconds, or -1 if the message does not expire
     * @since 1.4
     */
    long messageExpiryInterval();

    /**
     * Add a User Property, after those the message has; MQTT 5 subscribers receive it (3.x subscribers receive no
     * properties).
     *
     * @param name the name
     * @param value the value
     * @since 1.4
     */
    void addUserProperty(String name, String value);
}
