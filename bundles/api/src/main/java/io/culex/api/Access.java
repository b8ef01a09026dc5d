package io.culex.api;

/**
 * The kind of access an {@link Authorizer} is asked about.
 */
public enum Access {
    /** The client publishes a message to the topic (Mosquitto's {@code MOSQ_ACL_WRITE}). */
    PUBLISH,
    /** A message on the topic is about to be delivered to the client (Mosquitto's {@code MOSQ_ACL_READ}). */
    DELIVER,
    /** The client subscribes to the topic filter ({@code MOSQ_ACL_SUBSCRIBE}). */
    SUBSCRIBE,
    /** The client unsubscribes from the topic filter ({@code MOSQ_ACL_UNSUBSCRIBE}). */
    UNSUBSCRIBE
}
