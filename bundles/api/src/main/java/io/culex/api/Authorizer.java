package io.culex.api;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * Decides whether a client may publish to, receive from, subscribe to or unsubscribe from a topic: Mosquitto's
 * {@code MOSQ_EVT_ACL_CHECK}.
 *
 * <h2>Chain</h2>
 * Authorizers are consulted in {@code service.ranking} order; the first answer that is not {@link Decision#DEFER}
 * decides. If every registered authorizer defers, access is denied. If no authorizer is registered at all (and the
 * configuration requires none), access is allowed. Clients that announce themselves as bridges
 * ({@link ClientInfo#isBridge()}) are checked too; the broker's own bridges (the bridge bundle) run inside it on the
 * {@link Broker} service and are not clients.
 *
 * <h2>Answering</h2>
 * The call is synchronous because it sits on the message path (once per publish and once per delivery): it runs on
 * the client's network thread and must answer from memory, without blocking. A method that throws counts as
 * {@link Decision#DENY}.
 *
 * <h2>Outcome for the client</h2>
 * A denied PUBLISH is acknowledged but not routed (MQTT 3.1.1 has no way to say no; MQTT 5 gets reason code 0x87
 * "not authorized", or the one {@link #check} gives); a denied DELIVER is skipped for that client only; a denied
 * SUBSCRIBE gets the SUBACK failure code (0x80; MQTT 5: 0x87 or the one {@link #check} gives).
 */
@ConsumerType
public interface Authorizer {

    /**
     * Check one access.
     *
     * @param client the client
     * @param access what the client is about to do
     * @param topic the topic (PUBLISH, DELIVER) or topic filter (SUBSCRIBE, UNSUBSCRIBE)
     * @param qos the QoS of the message or of the subscription
     * @param retain the retain flag of the message ({@code false} for SUBSCRIBE and UNSUBSCRIBE)
     * @return the decision; never {@code null}
     */
    Decision authorize(ClientInfo client, Access access, String topic, int qos, boolean retain);

    /**
     * Check one access and say why a denial is one. The broker calls this method; the default wraps
     * {@link #authorize}. Override it (and implement {@code authorize} by delegating to it) to give an MQTT 5 client
     * a reason code (e.g. 0x97 quota exceeded on a PUBLISH, 0x9E shared subscriptions not supported on a
     * SUBSCRIBE) and a reason string.
     *
     * @param client the client
     * @param access what the client is about to do
     * @param topic the topic or topic filter
     * @param qos the QoS of the message or of the subscription
     * @param retain the retain flag of the message
     * @return the decision; never {@code null}
     * @since 1.5
     */
    default AccessDecision check(ClientInfo client, Access access, String topic, int qos, boolean retain) {
        Decision d = authorize(client, access, topic, qos, retain);
        return d == null ? null : AccessDecision.of(d);
    }
}
