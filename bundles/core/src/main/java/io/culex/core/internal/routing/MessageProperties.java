package io.culex.core.internal.routing;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

import io.netty.handler.codec.mqtt.MqttProperties;

/**
 * The MQTT 5 properties a message carries from publisher to subscribers unchanged: payload format indicator,
 * content type, response topic, correlation data and user properties (in their original order). Kept in wire form,
 * encoded once at receipt, so that every MQTT 5 delivery copies bytes instead of re-encoding properties.
 * The per-delivery properties (message expiry, subscription identifiers) are written by the encoder.
 */
public final class MessageProperties {

    public static final MessageProperties NONE = new MessageProperties(new byte[0], false);

    private final byte[] wire;
    private final boolean utf8Payload;

    private MessageProperties(byte[] wire, boolean utf8Payload) {
        this.wire = wire;
        this.utf8Payload = utf8Payload;
    }

    /** @return the forwarded properties of a PUBLISH or will, in wire form */
    public static MessageProperties of(MqttProperties properties) {
        if (properties == null || properties.isEmpty()) {
            return NONE;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        boolean utf8 = false;
        for (MqttProperties.MqttProperty<?> p : properties.listAll()) {
            switch (p.propertyId()) {
                case MqttProperties.PAYLOAD_FORMAT_INDICATOR:
                    int indicator = (Integer) p.value();
                    utf8 = indicator == 1;
                    out.write(p.propertyId());
                    out.write(indicator);
                    break;
                case MqttProperties.CONTENT_TYPE:
                case MqttProperties.RESPONSE_TOPIC:
                    out.write(p.propertyId());
                    writeString(out, (String) p.value());
                    break;
                case MqttProperties.CORRELATION_DATA:
                    out.write(p.propertyId());
                    writeBinary(out, (byte[]) p.value());
                    break;
                case MqttProperties.USER_PROPERTY:
                    if (p instanceof MqttProperties.UserProperties) {
                        for (MqttProperties.StringPair pair : ((MqttProperties.UserProperties) p).value()) {
                            writeUserProperty(out, pair.key, pair.value);
                        }
                    } else {
                        MqttProperties.StringPair pair = (MqttProperties.StringPair) p.value();
                        writeUserProperty(out, pair.key, pair.value);
                    }
                    break;
                default:
                    // not forwarded: expiry is recomputed per delivery, aliases and ids are per connection
            }
        }
        byte[] bytes = out.toByteArray();
        return bytes.length == 0 ? NONE : new MessageProperties(bytes, utf8);
    }

    /**
     * The forwarded properties from their wire form (a store gives them back): checked property by property.
     *
     * @throws IllegalArgumentException if the bytes are not a sequence of the forwarded properties
     */
    public static MessageProperties ofWire(byte[] wire) {
        if (wire.length == 0) {
            return NONE;
        }
        boolean utf8 = false;
        int i = 0;
        while (i < wire.length) {
            int id = wire[i++] & 0xFF;
            switch (id) {
                case MqttProperties.PAYLOAD_FORMAT_INDICATOR:
                    check(wire, i, 1);
                    utf8 = wire[i] == 1;
                    i += 1;
                    break;
                case MqttProperties.CONTENT_TYPE:
                case MqttProperties.RESPONSE_TOPIC:
                case MqttProperties.CORRELATION_DATA:
                    i = skipBinary(wire, i);
                    break;
                case MqttProperties.USER_PROPERTY:
                    i = skipBinary(wire, skipBinary(wire, i));
                    break;
                default:
                    throw new IllegalArgumentException("property " + id + " is not forwarded");
            }
        }
        return new MessageProperties(wire.clone(), utf8);
    }

    private static int skipBinary(byte[] wire, int i) {
        check(wire, i, 2);
        int length = ((wire[i] & 0xFF) << 8) | (wire[i + 1] & 0xFF);
        check(wire, i + 2, length);
        return i + 2 + length;
    }

    private static void check(byte[] wire, int offset, int length) {
        if (offset + length > wire.length) {
            throw new IllegalArgumentException("truncated property at " + offset);
        }
    }

    /** @return the properties in wire form, without the length prefix */
    public byte[] wire() {
        return wire;
    }

    public boolean isEmpty() {
        return wire.length == 0;
    }

    /** @return whether the publisher declared the payload UTF-8 text (payload format indicator 1) */
    public boolean isUtf8Payload() {
        return utf8Payload;
    }

    private static void writeUserProperty(ByteArrayOutputStream out, String key, String value) {
        out.write(MqttProperties.USER_PROPERTY);
        writeString(out, key);
        writeString(out, value);
    }

    private static void writeString(ByteArrayOutputStream out, String s) {
        writeBinary(out, s.getBytes(StandardCharsets.UTF_8));
    }

    private static void writeBinary(ByteArrayOutputStream out, byte[] b) {
        out.write(b.length >> 8);
        out.write(b.length & 0xFF);
        out.write(b, 0, b.length);
    }
}
