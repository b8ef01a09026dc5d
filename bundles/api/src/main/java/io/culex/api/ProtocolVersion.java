package io.culex.api;

/**
 * The MQTT protocol version a client connected with.
 */
public enum ProtocolVersion {
    /** MQTT 3.1 (protocol name {@code MQIsdp}, level 3). */
    MQTT_3_1(3),
    /** MQTT 3.1.1 (protocol name {@code MQTT}, level 4). */
    MQTT_3_1_1(4),
    /** MQTT 5.0 (protocol name {@code MQTT}, level 5). */
    MQTT_5(5);

    private final int level;

    ProtocolVersion(int level) {
        this.level = level;
    }

    /** @return the protocol level byte of the CONNECT packet (3, 4 or 5) */
    public int level() {
        return level;
    }
}
