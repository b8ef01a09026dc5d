package io.culex.core.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

import io.culex.core.internal.settings.BrokerSettings;

/**
 * Metatype of the {@code io.culex.core.broker} configuration, so the Web Console and Config Admin tools can show
 * and edit it. The property names are Mosquitto's option names (a double underscore in a method name stands for
 * one underscore in the property). {@link BrokerSettings} reads and validates them.
 */
@ObjectClassDefinition(name = "Culex broker", description = "Broker-wide settings, as in mosquitto.conf")
@interface BrokerConfiguration {

    @AttributeDefinition(description = "Allow clients without a user name. Unset: allowed only when no listener "
            + "is configured (local-only mode), as in Mosquitto 2.", required = false)
    boolean allow__anonymous();

    @AttributeDefinition(description = "Set by the configuration when no listener is configured.", required = false)
    boolean local__only() default false;

    @AttributeDefinition(description = "Allow MQTT 3.1.1 clients to connect with an empty client id (clean session "
            + "only); the broker assigns one.")
    boolean allow__zero__length__clientid() default true;

    @AttributeDefinition(description = "Prefix of client ids the broker assigns.")
    String auto__id__prefix() default "auto-";

    @AttributeDefinition(description = "QoS 1 and 2 messages in flight per client (0 = no limit).", min = "0",
            max = "65535")
    int max__inflight__messages() default 20;

    @AttributeDefinition(description = "Messages queued per client beyond the inflight ones (0 = no limit).",
            min = "0")
    int max__queued__messages() default 1000;

    @AttributeDefinition(description = "Bytes of payload queued per client (0 = no limit).", min = "0")
    long max__queued__bytes() default 0;

    @AttributeDefinition(description = "Largest accepted PUBLISH payload in bytes; larger ones are dropped "
            + "(0 = MQTT's maximum).", min = "0")
    int message__size__limit() default 0;

    @AttributeDefinition(description = "Largest accepted packet in bytes; a larger one closes the connection "
            + "(0 = MQTT's maximum).", min = "0")
    int max__packet__size() default 0;

    @AttributeDefinition(description = "Largest keepalive accepted from MQTT 3.x clients, in seconds.", min = "0",
            max = "65535")
    int max__keepalive() default 65535;

    @AttributeDefinition(description = "Seconds after which a disconnected persistent session is removed "
            + "(0 = never).", min = "0")
    long persistent__client__expiration() default 0;

    @AttributeDefinition(description = "Support retained messages; when false a client publishing one is "
            + "disconnected.")
    boolean retain__available() default true;

    @AttributeDefinition(description = "Deliver at the subscription's QoS even when the message's is lower.")
    boolean upgrade__outgoing__qos() default false;

    @AttributeDefinition(description = "Queue QoS 0 messages for disconnected persistent sessions.")
    boolean queue__qos0__messages() default false;

    @AttributeDefinition(description = "Keep sessions, subscriptions, retained and queued messages across restarts: "
            + "the listeners open only once a store (the persistence feature) has restored them.")
    boolean persistence() default false;

    @AttributeDefinition(description = "Log client connections and disconnections.")
    boolean connection__messages() default true;
}
