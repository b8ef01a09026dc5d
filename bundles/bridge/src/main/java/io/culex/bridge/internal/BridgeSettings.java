package io.culex.bridge.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.netty.handler.codec.mqtt.MqttVersion;

/**
 * A bridge's configuration, validated, with Mosquitto's defaults filled in. Built from the properties of one
 * {@code io.culex.bridge} factory configuration, whose keys are Mosquitto's option names (the config bundle writes
 * them from a {@code connection} block; an administrator may write them by hand). A property this bundle does not
 * know is an error, never ignored.
 */
record BridgeSettings(
        String name,
        String source,
        List<RemoteAddress> addresses,
        boolean roundRobin,
        List<TopicMapping> topics,
        String remoteClientId,
        String localClientId,
        String remoteUsername,
        String remotePassword,
        boolean cleanSession,
        boolean localCleanSession,
        MqttVersion protocolVersion,
        boolean tryPrivate,
        boolean notifications,
        String notificationTopic,
        boolean notificationsLocalOnly,
        int keepaliveSeconds,
        int restartBaseSeconds,
        int restartCapSeconds,
        StartType startType,
        int threshold,
        int idleTimeoutSeconds,
        boolean attemptUnsubscribe,
        boolean outgoingRetain,
        int maxPacketSize,
        String bindAddress,
        BridgeTls tls) {

    /** Mosquitto's {@code start_type}. */
    enum StartType { AUTOMATIC, LAZY, ONCE }

    /** Mosquitto: "Defaults to jitter with a base of 5 and cap of 30". */
    static final int DEFAULT_RESTART_BASE = 5;
    static final int DEFAULT_RESTART_CAP = 30;
    static final int DEFAULT_KEEPALIVE = 60;

    /** Properties Config Admin, DS and Culex add to every configuration; not bridge options. */
    private static final List<String> FRAMEWORK_PREFIXES =
            List.of("service.", "component.", "culex.", "felix.", "osgi.", ".");
    private static final Set<String> OPTIONS = Set.of(
            "connection", "address", "round_robin", "topic", "remote_clientid", "local_clientid",
            "remote_username", "remote_password", "local_username", "local_password", "cleansession",
            "local_cleansession", "bridge_protocol_version", "try_private", "notifications", "notification_topic",
            "notifications_local_only", "keepalive_interval", "restart_timeout", "start_type", "threshold",
            "idle_timeout", "bridge_attempt_unsubscribe", "bridge_outgoing_retain", "bridge_max_packet_size",
            "bridge_bind_address", "bridge_cafile", "bridge_capath", "bridge_certfile", "bridge_keyfile",
            "bridge_insecure", "bridge_tls_version", "bridge_alpn");

    /**
     * @param properties the configuration's properties
     * @param hostName this machine's name, for Mosquitto's default remote client id {@code <hostname>.<connection>}
     * @throws IllegalArgumentException naming the first problem
     */
    static BridgeSettings from(Map<String, Object> properties, String hostName) {
        for (String key : properties.keySet()) {
            if (!OPTIONS.contains(key) && FRAMEWORK_PREFIXES.stream().noneMatch(key::startsWith)) {
                throw new IllegalArgumentException("Unknown or unsupported bridge option " + key);
            }
        }
        ConfigValues values = new ConfigValues(properties);
        String name = values.string("connection", null);
        if (name == null) {
            throw new IllegalArgumentException("Invalid bridge configuration: no connection name");
        }
        List<RemoteAddress> addresses = new ArrayList<>();
        for (String entry : values.strings("address")) {
            for (String address : entry.trim().split(" +")) {
                if (!address.isEmpty()) {
                    addresses.add(RemoteAddress.parse(address));
                }
            }
        }
        if (addresses.isEmpty()) {
            throw new IllegalArgumentException("Invalid bridge configuration: no remote addresses defined");
        }
        List<TopicMapping> topics = values.strings("topic").stream().map(TopicMapping::parse).toList();
        if (topics.isEmpty()) {
            throw new IllegalArgumentException("Invalid bridge configuration: no topics defined");
        }
        String remoteClientId = values.string("remote_clientid", hostName + "." + name);
        MqttVersion version = protocolVersion(values.string("bridge_protocol_version", "mqttv311"));
        if (version == MqttVersion.MQTT_3_1 && remoteClientId.length() > 23) {
            // MQTT 3.1 allows 23 characters; Netty's encoder would refuse the CONNECT at every attempt
            throw new IllegalArgumentException("Invalid bridge configuration: remote_clientid " + remoteClientId
                    + " is longer than the 23 characters MQTT 3.1 (mqttv31) allows");
        }
        boolean cleanSession = values.bool("cleansession", false);

        int keepalive = values.integer("keepalive_interval", DEFAULT_KEEPALIVE);
        if (keepalive > 65535) {
            throw new IllegalArgumentException("Bridge keepalive value too high");
        }
        List<Integer> restart = values.integers("restart_timeout");
        int restartBase = restart.isEmpty() ? DEFAULT_RESTART_BASE : Math.max(1, restart.get(0));
        int restartCap = restart.isEmpty() ? DEFAULT_RESTART_CAP : restart.size() == 1 ? 0 : restart.get(1);
        if (restart.size() > 2 || (restartCap != 0 && restartCap < restartBase)) {
            throw new IllegalArgumentException("Invalid restart_timeout " + restart);
        }
        return new BridgeSettings(
                name,
                values.string("culex.source", "configuration " + name),
                List.copyOf(addresses),
                values.bool("round_robin", false),
                topics,
                remoteClientId,
                values.string("local_clientid", "local." + remoteClientId),
                values.string("remote_username", null),
                values.string("remote_password", null),
                cleanSession,
                values.bool("local_cleansession", cleanSession),
                version,
                values.bool("try_private", true),
                values.bool("notifications", true),
                values.string("notification_topic", "$SYS/broker/connection/" + remoteClientId + "/state"),
                values.bool("notifications_local_only", false),
                Math.max(5, keepalive),
                restartBase,
                restartCap,
                startType(values.string("start_type", "automatic")),
                Math.max(1, values.integer("threshold", 10)),
                Math.max(1, values.integer("idle_timeout", 60)),
                values.bool("bridge_attempt_unsubscribe", true),
                values.bool("bridge_outgoing_retain", true),
                Math.max(0, values.integer("bridge_max_packet_size", 0)),
                values.string("bridge_bind_address", null),
                BridgeTls.from(values));
    }

    private static MqttVersion protocolVersion(String text) {
        return switch (text) {
            case "mqttv31" -> MqttVersion.MQTT_3_1;
            case "mqttv311" -> MqttVersion.MQTT_3_1_1;
            case "mqttv50" -> MqttVersion.MQTT_5;
            default -> throw new IllegalArgumentException("Invalid bridge_protocol_version value (" + text + ")");
        };
    }

    private static StartType startType(String text) {
        return switch (text) {
            case "automatic" -> StartType.AUTOMATIC;
            case "lazy" -> StartType.LAZY;
            case "once" -> StartType.ONCE;
            default -> throw new IllegalArgumentException("Invalid start_type value in configuration (" + text + ")");
        };
    }

    boolean isV5() {
        return protocolVersion == MqttVersion.MQTT_5;
    }

    /** Whether the remote gets the bridge flag (protocol level | 0x80): Mosquitto's try_private, MQTT 3.x only. */
    boolean marksConnectPrivate() {
        return tryPrivate && !isV5();
    }

    RestartBackoff newBackoff(java.util.function.IntBinaryOperator randomBetween) {
        return new RestartBackoff(restartBaseSeconds, restartCapSeconds, randomBetween);
    }
}
