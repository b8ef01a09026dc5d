package io.culex.bridge.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.AttributeType;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * Metatype of an {@code io.culex.bridge} factory configuration: one bridge, Mosquitto's {@code connection} block
 * (a double underscore in a method name stands for one underscore in the property name). The config bundle creates
 * one per {@code connection} in culex.conf; an administrator may create more (web console, a {@code .cfg} file).
 * Unset options take Mosquitto's defaults; {@link BridgeSettings} reads and checks them.
 */
@ObjectClassDefinition(name = "Culex bridge",
        description = "A bridge to a remote MQTT broker, as Mosquitto's connection block")
@interface BridgeConfiguration {

    @AttributeDefinition(description = "The connection name")
    String connection();

    @AttributeDefinition(description = "Remote broker addresses, host[:port] (port 1883 by default), tried in turn")
    String[] address();

    @AttributeDefinition(description = "Move to the next address on every reconnection rather than back to the "
            + "first", required = false)
    boolean round__robin() default false;

    @AttributeDefinition(description = "Topics: <pattern> [[[out|in|both] qos] local-prefix remote-prefix], \"\" for "
            + "an empty field")
    String[] topic();

    @AttributeDefinition(description = "Client id on the remote broker (default <hostname>.<connection>)",
            required = false)
    String remote__clientid();

    @AttributeDefinition(description = "Origin of bridged messages in the local broker (default "
            + "local.<remote_clientid>)", required = false)
    String local__clientid();

    @AttributeDefinition(required = false)
    String remote__username();

    @AttributeDefinition(type = AttributeType.PASSWORD, required = false)
    String remote__password();

    @AttributeDefinition(description = "Accepted for Mosquitto compatibility; no effect (the bridge's local side "
            + "runs inside the broker and is not authenticated)", required = false)
    String local__username();

    @AttributeDefinition(type = AttributeType.PASSWORD, description = "As local_username", required = false)
    String local__password();

    @AttributeDefinition(description = "Clean session on the remote broker", required = false)
    boolean cleansession() default false;

    @AttributeDefinition(description = "Accepted for Mosquitto compatibility; the local side lives as long as the "
            + "bridge", required = false)
    boolean local__cleansession() default false;

    @AttributeDefinition(description = "mqttv311, mqttv31 or mqttv50", required = false)
    String bridge__protocol__version() default "mqttv311";

    @AttributeDefinition(description = "Tell the remote broker that this is a bridge (loop prevention, MQTT 3.x)",
            required = false)
    boolean try__private() default true;

    @AttributeDefinition(description = "Publish 1/0 state messages (retained, with a will)", required = false)
    boolean notifications() default true;

    @AttributeDefinition(description = "Default $SYS/broker/connection/<remote_clientid>/state", required = false)
    String notification__topic();

    @AttributeDefinition(required = false)
    boolean notifications__local__only() default false;

    @AttributeDefinition(description = "Seconds", required = false)
    int keepalive__interval() default 60;

    @AttributeDefinition(description = "One value: constant seconds; two: base and cap of jittered backoff",
            required = false)
    int[] restart__timeout();

    @AttributeDefinition(description = "automatic, lazy or once", required = false)
    String start__type() default "automatic";

    @AttributeDefinition(description = "lazy: queued messages that start the connection", required = false)
    int threshold() default 10;

    @AttributeDefinition(description = "lazy: seconds without messages before disconnecting", required = false)
    int idle__timeout() default 60;

    @AttributeDefinition(required = false)
    boolean bridge__attempt__unsubscribe() default true;

    @AttributeDefinition(description = "Keep the retain flag of outgoing messages", required = false)
    boolean bridge__outgoing__retain() default true;

    @AttributeDefinition(description = "Largest packet accepted from the remote broker, 0 for no limit",
            required = false)
    int bridge__max__packet__size() default 0;

    @AttributeDefinition(required = false)
    String bridge__bind__address();

    @AttributeDefinition(required = false)
    String bridge__cafile();

    @AttributeDefinition(required = false)
    String bridge__capath();

    @AttributeDefinition(required = false)
    String bridge__certfile();

    @AttributeDefinition(required = false)
    String bridge__keyfile();

    @AttributeDefinition(description = "Do not check the remote host name against its certificate", required = false)
    boolean bridge__insecure() default false;

    @AttributeDefinition(description = "tlsv1.3, tlsv1.2 or tlsv1.1", required = false)
    String bridge__tls__version();

    @AttributeDefinition(required = false)
    String bridge__alpn();
}
