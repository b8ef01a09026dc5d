package io.culex.core.internal.testing;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Builds and reads MQTT 5 packets byte by byte, for tests that must see exactly what the broker sends.
 */
public final class Mqtt5Raw {

    private Mqtt5Raw() {
    }

    /** A property list under construction, in wire form. */
    public static final class Props {
        private final ByteArrayOutputStream out = new ByteArrayOutputStream();

        public Props byteProp(int id, int value) {
            out.write(id);
            out.write(value);
            return this;
        }

        public Props shortProp(int id, int value) {
            out.write(id);
            out.write(value >> 8);
            out.write(value & 0xFF);
            return this;
        }

        public Props intProp(int id, long value) {
            out.write(id);
            out.write((int) (value >> 24));
            out.write((int) (value >> 16));
            out.write((int) (value >> 8));
            out.write((int) value);
            return this;
        }

        public Props varIntProp(int id, int value) {
            out.write(id);
            writeVarInt(out, value);
            return this;
        }

        public Props stringProp(int id, String value) {
            out.write(id);
            writeString(out, value);
            return this;
        }

        public Props binaryProp(int id, byte[] value) {
            out.write(id);
            out.write(value.length >> 8);
            out.write(value.length & 0xFF);
            out.write(value, 0, value.length);
            return this;
        }

        /** Authentication Method (0x15) and, if not {@code null}, Authentication Data (0x16) as UTF-8. */
        public Props authentication(String method, String data) {
            stringProp(0x15, method);
            return data == null ? this : binaryProp(0x16, data.getBytes(StandardCharsets.UTF_8));
        }

        public Props userProperty(String key, String value) {
            out.write(0x26);
            writeString(out, key);
            writeString(out, value);
            return this;
        }

        byte[] withLength() {
            ByteArrayOutputStream b = new ByteArrayOutputStream();
            byte[] bytes = out.toByteArray();
            writeVarInt(b, bytes.length);
            b.write(bytes, 0, bytes.length);
            return b.toByteArray();
        }
    }

    public static Props props() {
        return new Props();
    }

    /** @return an MQTT 5 CONNECT */
    public static byte[] connect(String clientId, boolean cleanStart, int keepAlive, Props properties) {
        return connect(clientId, cleanStart, keepAlive, properties, null, null, null, 0);
    }

    /** @return an MQTT 5 CONNECT (clean start, keepalive 60) with user name and password */
    public static byte[] connectWithCredentials(String clientId, String username, String password,
                                                Props properties) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        writeString(body, "MQTT");
        body.write(5);
        body.write(0x80 | 0x40 | 0x02);
        body.write(0);
        body.write(60);
        body.writeBytes(properties.withLength());
        writeString(body, clientId);
        writeString(body, username);
        writeString(body, password);
        return RawClient.packet(0x10, body.toByteArray());
    }

    /** @return an MQTT 5 CONNECT with a will */
    public static byte[] connect(String clientId, boolean cleanStart, int keepAlive, Props properties,
                                 String willTopic, String willMessage, Props willProperties, int willQos) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        writeString(body, "MQTT");
        body.write(5);
        body.write((cleanStart ? 0x02 : 0) | (willTopic != null ? 0x04 | (willQos << 3) : 0));
        body.write(keepAlive >> 8);
        body.write(keepAlive & 0xFF);
        body.writeBytes(properties.withLength());
        writeString(body, clientId);
        if (willTopic != null) {
            body.writeBytes((willProperties == null ? props() : willProperties).withLength());
            writeString(body, willTopic);
            writeString(body, willMessage);
        }
        return RawClient.packet(0x10, body.toByteArray());
    }

    /** @return an MQTT 5 SUBSCRIBE of one filter; options = QoS | noLocal 0x04 | RAP 0x08 | retainHandling << 4 */
    public static byte[] subscribe(int packetId, String filter, int options, Props properties) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.write(packetId >> 8);
        body.write(packetId & 0xFF);
        body.writeBytes(properties.withLength());
        writeString(body, filter);
        body.write(options);
        return RawClient.packet(0x82, body.toByteArray());
    }

    /** @return an MQTT 5 PUBLISH */
    public static byte[] publish(String topic, String payload, int qos, boolean retain, int packetId,
                                 Props properties) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        writeString(body, topic);
        if (qos > 0) {
            body.write(packetId >> 8);
            body.write(packetId & 0xFF);
        }
        body.writeBytes(properties.withLength());
        body.writeBytes(payload.getBytes(StandardCharsets.UTF_8));
        return RawClient.packet(0x30 | (qos << 1) | (retain ? 1 : 0), body.toByteArray());
    }

    /** @return an MQTT 5 DISCONNECT with a reason code and properties */
    public static byte[] disconnect(int reasonCode, Props properties) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.write(reasonCode);
        body.writeBytes(properties.withLength());
        return RawClient.packet(0xE0, body.toByteArray());
    }

    /** @return an MQTT 5 AUTH packet: 0x18 continue authentication, 0x19 re-authenticate */
    public static byte[] auth(int reasonCode, Props properties) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.write(reasonCode);
        body.writeBytes(properties.withLength());
        return RawClient.packet(0xF0, body.toByteArray());
    }

    /**
     * @return the properties of an MQTT 5 AUTH or DISCONNECT packet from the broker (reason code first), decoded as
     *     {@link #connackProperties}
     */
    public static java.util.Map<Integer, Object> authProperties(RawClient.Packet packet) {
        return properties(packet.body, 1);
    }

    /** An MQTT 5 PUBLISH read from the broker, with its properties decoded. */
    public static final class Publish {
        public final String topic;
        public final int qos;
        public final boolean retain;
        public final boolean dup;
        public final int packetId;
        public final String payload;
        public final List<Integer> subscriptionIds = new ArrayList<>();
        public final List<String> userProperties = new ArrayList<>();
        public Long messageExpiry;
        public String contentType;
        public String responseTopic;
        public String correlationData;
        public Integer payloadFormat;

        Publish(RawClient.Packet p) {
            byte[] b = p.body;
            int pos = 0;
            int topicLength = ((b[0] & 0xFF) << 8) | (b[1] & 0xFF);
            topic = new String(b, 2, topicLength, StandardCharsets.UTF_8);
            pos = 2 + topicLength;
            qos = p.qos();
            retain = p.retain();
            dup = p.dup();
            if (qos > 0) {
                packetId = ((b[pos] & 0xFF) << 8) | (b[pos + 1] & 0xFF);
                pos += 2;
            } else {
                packetId = 0;
            }
            int[] length = readVarInt(b, pos);
            pos = length[1];
            int end = pos + length[0];
            while (pos < end) {
                int id = b[pos++] & 0xFF;
                switch (id) {
                    case 0x01:
                        payloadFormat = (int) b[pos++];
                        break;
                    case 0x02:
                        messageExpiry = ((long) (b[pos] & 0xFF) << 24) | ((b[pos + 1] & 0xFF) << 16)
                                | ((b[pos + 2] & 0xFF) << 8) | (b[pos + 3] & 0xFF);
                        pos += 4;
                        break;
                    case 0x03:
                    case 0x08:
                    case 0x09: {
                        int n = ((b[pos] & 0xFF) << 8) | (b[pos + 1] & 0xFF);
                        String v = new String(b, pos + 2, n, StandardCharsets.UTF_8);
                        pos += 2 + n;
                        if (id == 0x03) {
                            contentType = v;
                        } else if (id == 0x08) {
                            responseTopic = v;
                        } else {
                            correlationData = v;
                        }
                        break;
                    }
                    case 0x0B: {
                        int[] v = readVarInt(b, pos);
                        subscriptionIds.add(v[0]);
                        pos = v[1];
                        break;
                    }
                    case 0x26: {
                        int n = ((b[pos] & 0xFF) << 8) | (b[pos + 1] & 0xFF);
                        String k = new String(b, pos + 2, n, StandardCharsets.UTF_8);
                        pos += 2 + n;
                        int m = ((b[pos] & 0xFF) << 8) | (b[pos + 1] & 0xFF);
                        String v = new String(b, pos + 2, m, StandardCharsets.UTF_8);
                        pos += 2 + m;
                        userProperties.add(k + "=" + v);
                        break;
                    }
                    default:
                        throw new AssertionError("unexpected property " + id + " in PUBLISH");
                }
            }
            payload = new String(b, end, b.length - end, StandardCharsets.UTF_8);
        }
    }

    /**
     * @return the properties of an MQTT 5 CONNACK: byte, two- and four-byte integers as Long, strings as String
     */
    /** @return the properties of a packet whose property section starts at {@code start} of its body */
    public static java.util.Map<Integer, Object> propertiesAt(RawClient.Packet packet, int start) {
        return properties(packet.body, start);
    }

    public static java.util.Map<Integer, Object> connackProperties(RawClient.Packet connack) {
        return properties(connack.body, 2);
    }

    /** Binary properties (authentication data) are decoded as UTF-8 text, for readable assertions. */
    private static java.util.Map<Integer, Object> properties(byte[] b, int start) {
        if (b.length <= start) {
            return java.util.Map.of();
        }
        int[] length = readVarInt(b, start);
        int pos = length[1];
        int end = pos + length[0];
        java.util.Map<Integer, Object> props = new java.util.HashMap<>();
        while (pos < end) {
            int id = b[pos++] & 0xFF;
            switch (id) {
                case 0x24: case 0x25: case 0x28: case 0x29: case 0x2A:
                    props.put(id, (long) (b[pos++] & 0xFF));
                    break;
                case 0x13: case 0x21: case 0x22:
                    props.put(id, (long) (((b[pos] & 0xFF) << 8) | (b[pos + 1] & 0xFF)));
                    pos += 2;
                    break;
                case 0x11: case 0x27:
                    props.put(id, ((long) (b[pos] & 0xFF) << 24) | ((b[pos + 1] & 0xFF) << 16)
                            | ((b[pos + 2] & 0xFF) << 8) | (b[pos + 3] & 0xFF));
                    pos += 4;
                    break;
                case 0x12: case 0x1F: case 0x15: case 0x16: {
                    int n = ((b[pos] & 0xFF) << 8) | (b[pos + 1] & 0xFF);
                    props.put(id, new String(b, pos + 2, n, StandardCharsets.UTF_8));
                    pos += 2 + n;
                    break;
                }
                default:
                    throw new AssertionError("unexpected property " + id);
            }
        }
        return props;
    }

    /** Decode a packet already read (by {@link RawClient#poll}, say) as an MQTT 5 PUBLISH. */
    public static Publish publishOf(RawClient.Packet p) {
        if (p.type != RawClient.PUBLISH) {
            throw new AssertionError("expected PUBLISH, got " + p);
        }
        return new Publish(p);
    }

    /** Read the next packet and decode it as an MQTT 5 PUBLISH. */
    public static Publish readPublish(RawClient client) throws java.io.IOException {
        RawClient.Packet p = client.read();
        if (p.type != RawClient.PUBLISH) {
            throw new AssertionError("expected PUBLISH, got " + p);
        }
        return new Publish(p);
    }

    private static int[] readVarInt(byte[] b, int pos) {
        int value = 0;
        int multiplier = 1;
        int digit;
        do {
            digit = b[pos++] & 0xFF;
            value += (digit & 127) * multiplier;
            multiplier *= 128;
        } while ((digit & 128) != 0);
        return new int[] {value, pos};
    }

    private static void writeVarInt(ByteArrayOutputStream out, int value) {
        do {
            int digit = value % 128;
            value /= 128;
            out.write(value > 0 ? digit | 0x80 : digit);
        } while (value > 0);
    }

    private static void writeString(ByteArrayOutputStream out, String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        out.write(b.length >> 8);
        out.write(b.length & 0xFF);
        out.write(b, 0, b.length);
    }
}
