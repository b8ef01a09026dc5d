package io.culex.api;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * Observes client life-cycle events: Mosquitto's {@code MOSQ_EVT_CONNECT}, {@code MOSQ_EVT_DISCONNECT},
 * {@code MOSQ_EVT_SUBSCRIBE} and {@code MOSQ_EVT_UNSUBSCRIBE}. Every method has an empty default, so a listener
 * implements only what it needs. Called on the client's network thread after the event took effect; must not block.
 * An exception is logged and otherwise ignored.
 */
@ConsumerType
public interface ClientEventListener {

    /**
     * A client connected and was accepted (after CONNACK was sent).
     *
     * @param client the client
     * @param sessionPresent whether an existing session was resumed
     */
    default void connected(ClientInfo client, boolean sessionPresent) {
    }

    /**
     * A client's network connection ended.
     *
     * @param client the client
     * @param graceful {@code true} if the client sent DISCONNECT, {@code false} on any other loss (its will, if any,
     *     is published)
     */
    default void disconnected(ClientInfo client, boolean graceful) {
    }

    /**
     * A subscription was granted.
     *
     * @param client the client
     * @param topicFilter the topic filter
     * @param qos the granted QoS
     */
    default void subscribed(ClientInfo client, String topicFilter, int qos) {
    }

    /**
     * A subscription was removed at the client's request.
     *
     * @param client the client
     * @param topicFilter the topic filter
     */
    default void unsubscribed(ClientInfo client, String topicFilter) {
    }
}
