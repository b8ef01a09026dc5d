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
}
