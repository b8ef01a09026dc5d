package io.culex.core.internal.validation;

import io.culex.core.internal.validation.PropertyRules.Carrier;
import io.netty.buffer.ByteBuf;

/**
 * The specification's rules for each packet a client may send, checked on the framed bytes before Netty's decoder
 * sees them: fixed header flags, the exact length of every field, the properties a packet may carry (MQTT 5), the
 * values a field may take, and packets only a server may send. What depends on the broker's state or configuration
 * (topic aliases in use, authentication, session expiry on DISCONNECT, ...) is checked where that state lives.
 *
 * <p>The answers follow the specification's split: bytes that cannot be parsed as the packet are a Malformed
 * Packet (0x81); a packet that parses but breaks a rule is a Protocol Error (0x82). MQTT 3.1 and 3.1.1 have no
 * reason codes: there the connection just closes.
 */
final class PacketRules {

    static final int CONNECT = 1;
    static final int PUBLISH = 3;
    static final int PUBREL = 6;
    static final int SUBSCRIBE = 8;
    static final int UNSUBSCRIBE = 10;
    static final int PINGREQ = 12;
    static final int DISCONNECT = 14;
    static final int AUTH = 15;

    private static final String[] TYPE_NAMES = {"reserved packet type 0", "CONNECT", "CONNACK", "PUBLISH", "PUBACK",
        "PUBREC", "PUBREL", "PUBCOMP", "SUBSCRIBE", "SUBACK", "UNSUBSCRIBE", "UNSUBACK", "PINGREQ", "PINGRESP",
        "DISCONNECT", "AUTH"};
    private static final Carrier[] REPLY_CARRIERS = {Carrier.PUBACK, Carrier.PUBREC, Carrier.PUBREL, Carrier.PUBCOMP};
    /** Reason codes of PUBACK and PUBREC (3.4.2.1, 3.5.2.1). */
    private static final long[] PUBACK_REASONS = reasons(0x00, 0x10, 0x80, 0x83, 0x87, 0x90, 0x91, 0x97, 0x99);
    /** Reason codes of PUBREL and PUBCOMP (3.6.2.1, 3.7.2.1). */
    private static final long[] PUBREL_REASONS = reasons(0x00, 0x92);
    /** Reason codes of DISCONNECT (3.14.2.1), whichever side may send them. */
    private static final long[] DISCONNECT_REASONS = reasons(0x00, 0x04, 0x80, 0x81, 0x82, 0x83, 0x87, 0x89, 0x8B,
            0x8D, 0x8E, 0x8F, 0x90, 0x93, 0x94, 0x95, 0x96, 0x97, 0x98, 0x99, 0x9A, 0x9B, 0x9C, 0x9D, 0x9E, 0x9F, 0xA0,
            0xA1, 0xA2);
    /** Reason codes of AUTH (3.15.2.1). */
    private static final long[] AUTH_REASONS = reasons(0x00, 0x18, 0x19);
    private static final byte[] MQTT = {'M', 'Q', 'T', 'T'};
    private static final byte[] MQISDP = {'M', 'Q', 'I', 's', 'd', 'p'};
    private static final byte[] SHARE_PREFIX = {'$', 's', 'h', 'a', 'r', 'e', '/'};

    private PacketRules() {
    }

    static String typeName(int type) {
        return TYPE_NAMES[type];
    }

    /**
     * Check one whole packet.
     *
     * @param packet    the bytes, not consumed
     * @param start     index of the fixed header's first byte
     * @param bodyStart index after the remaining length
     * @param end       index after the packet
     * @param level     the connection's protocol level: 3, 4 or 5, or 0 before its CONNECT
     * @return the connection's protocol level after this packet (a CONNECT sets it)
     * @throws PacketViolation when the packet breaks a rule
     */
    static int check(ByteBuf packet, int start, int bodyStart, int end, int level) {
        int header = packet.getUnsignedByte(start);
        int type = header >>> 4;
        int flags = header & 0x0F;
        if (type == CONNECT) {
            return level == 0 ? connect(packet, bodyStart, end, flags) : level; // a second CONNECT: the session's
        }
        if (level == 0) {
            return 0; // anything before CONNECT is refused by the connection, whatever its bytes
        }
        checkFlags(type, flags, level);
        PacketReader body = new PacketReader(packet, bodyStart, end, level);
        switch (type) {
            case PUBLISH:
                publish(body, (flags >>> 1) & 3);
                break;
            case 4: // PUBACK
            case 5: // PUBREC
                reply(body, type, PUBACK_REASONS);
                break;
            case PUBREL:
            case 7: // PUBCOMP
                reply(body, type, PUBREL_REASONS);
                break;
            case SUBSCRIBE:
                subscribe(body);
                break;
            case UNSUBSCRIBE:
                unsubscribe(body);
                break;
            case PINGREQ:
                body.expectEnd("PINGREQ");
                break;
            case DISCONNECT:
                reasonAndProperties(body, "DISCONNECT", DISCONNECT_REASONS, Carrier.DISCONNECT);
                break;
            case AUTH:
                if (level < 5) {
                    throw PacketViolation.protocolError(level, "AUTH is an MQTT 5 packet");
                }
                reasonAndProperties(body, "AUTH", AUTH_REASONS, Carrier.AUTH);
                break;
            default: // 0, CONNACK, SUBACK, UNSUBACK, PINGRESP
                throw PacketViolation.protocolError(level, TYPE_NAMES[type]
                        + (type == 0 ? "" : " is sent by servers, not clients"));
        }
        return level;
    }

    /** Fixed header flags (2.1.3): PUBREL, SUBSCRIBE and UNSUBSCRIBE carry 0010, other packets but PUBLISH 0000. */
    private static void checkFlags(int type, int flags, int level) {
        if (type == PUBLISH) {
            int qos = (flags >>> 1) & 3;
            if (qos == 3) {
                throw PacketViolation.malformed(level, "PUBLISH with QoS 3");
            }
            if (qos == 0 && (flags & 0x08) != 0) {
                throw PacketViolation.malformed(level, "PUBLISH with QoS 0 and the DUP flag");
            }
            return;
        }
        int expected = type == PUBREL || type == SUBSCRIBE || type == UNSUBSCRIBE ? 0b0010 : 0;
        if (flags != expected && type > 0 && type < TYPE_NAMES.length) {
            throw PacketViolation.malformed(level, TYPE_NAMES[type] + " with fixed header flags "
                    + Integer.toBinaryString(flags | 0x10).substring(1));
        }
    }

    // ---------------------------------------------------------------- CONNECT

    /**
     * CONNECT (3.1). A protocol name or level that is not MQTT 3.1, 3.1.1 or 5 is left to the connection, which
     * answers it with the CONNACK the specification gives.
     */
    private static int connect(ByteBuf packet, int bodyStart, int end, int flags) {
        int level = protocolLevel(packet, bodyStart, end);
        if (level == 0) {
            return 0;
        }
        if (flags != 0) {
            throw PacketViolation.malformed(level, "CONNECT with fixed header flags " + flags);
        }
        PacketReader body = new PacketReader(packet, bodyStart, end, level);
        body.string("protocol name");
        body.u8("protocol level");
        int connectFlags = body.u8("connect flags");
        body.u16("keep alive");
        boolean userName = (connectFlags & 0x80) != 0;
        boolean password = (connectFlags & 0x40) != 0;
        boolean willRetain = (connectFlags & 0x20) != 0;
        int willQos = (connectFlags >>> 3) & 3;
        boolean will = (connectFlags & 0x04) != 0;
        if ((connectFlags & 0x01) != 0) {
            throw PacketViolation.malformed(level, "CONNECT with the reserved flag set"); // [MQTT-3.1.2-3]
        }
        if (willQos == 3) {
            throw PacketViolation.malformed(level, "CONNECT with will QoS 3"); // [MQTT-3.1.2-12]
        }
        if (!will && (willQos != 0 || willRetain)) {
            throw PacketViolation.malformed(level, "CONNECT with will QoS or retain but no will"); // [MQTT-3.1.2-11, -13]
        }
        if (level < 5 && password && !userName) {
            throw PacketViolation.malformed(level, "CONNECT with a password but no user name"); // [MQTT-3.1.2-22]
        }
        if (level == 5) {
            PropertyRules.check(body, Carrier.CONNECT);
        }
        body.string("client identifier");
        if (will) {
            if (level == 5) {
                PropertyRules.check(body, Carrier.WILL);
            }
            body.string("will topic");
            body.binary("will payload");
        }
        if (userName) {
            body.string("user name");
        }
        if (password) {
            body.binary("password");
        }
        body.expectEnd("CONNECT");
        return level;
    }

    /** @return 3, 4 or 5 for the names and levels of MQTT 3.1, 3.1.1 and 5, otherwise 0 */
    private static int protocolLevel(ByteBuf packet, int bodyStart, int end) {
        if (end - bodyStart < 2) {
            return 0;
        }
        int nameLength = packet.getUnsignedShort(bodyStart);
        int levelAt = bodyStart + 2 + nameLength;
        if (levelAt >= end) {
            return 0;
        }
        int level = packet.getUnsignedByte(levelAt);
        if (level == 3 && matches(packet, bodyStart + 2, nameLength, MQISDP)
                || (level == 4 || level == 5) && matches(packet, bodyStart + 2, nameLength, MQTT)) {
            return level;
        }
        return 0;
    }

    // ---------------------------------------------------------------- PUBLISH and its replies

    private static void publish(PacketReader body, int qos) {
        int level = body.level();
        int topicStart = body.string("topic name");
        int topicLength = body.lastLength();
        if (PropertyRules.hasWildcard(body, topicStart, topicLength)) {
            throw PacketViolation.malformed(level, "PUBLISH topic name with a wildcard"); // [MQTT-3.3.2-2]
        }
        if (qos > 0 && body.u16("packet identifier") == 0) {
            throw PacketViolation.protocolError(level, "PUBLISH with packet identifier 0"); // [MQTT-2.2.1-3]
        }
        if (level < 5) {
            if (topicLength == 0) {
                throw PacketViolation.malformed(level, "PUBLISH with an empty topic name"); // [MQTT-4.7.3-1]
            }
            return;
        }
        long properties = PropertyRules.check(body, Carrier.PUBLISH);
        if ((properties & (1L << PropertyRules.SUBSCRIPTION_IDENTIFIER)) != 0) {
            throw PacketViolation.protocolError(level, "Subscription Identifier in a client's PUBLISH"); // [MQTT-3.3.4-6]
        }
        if (topicLength == 0 && (properties & (1L << PropertyRules.TOPIC_ALIAS)) == 0) {
            throw PacketViolation.protocolError(level, "PUBLISH with neither a topic name nor a topic alias");
        }
    }

    /** PUBACK, PUBREC, PUBREL, PUBCOMP: a packet identifier, then (MQTT 5) an optional reason code and properties. */
    private static void reply(PacketReader body, int type, long[] reasons) {
        int level = body.level();
        String name = TYPE_NAMES[type];
        if (body.u16("packet identifier") == 0) {
            throw PacketViolation.protocolError(level, name + " with packet identifier 0");
        }
        if (level < 5) {
            body.expectEnd(name);
            return;
        }
        if (body.hasMore()) {
            int reason = body.u8("reason code");
            if (!contains(reasons, reason)) {
                throw PacketViolation.protocolError(level, String.format("%s with reason code 0x%02X", name, reason));
            }
            if (body.hasMore()) {
                PropertyRules.check(body, REPLY_CARRIERS[type - 4]);
            }
        }
        body.expectEnd(name);
    }

    /** DISCONNECT and AUTH: (MQTT 5) an optional reason code and properties; nothing at all before MQTT 5. */
    private static void reasonAndProperties(PacketReader body, String name, long[] reasons, Carrier carrier) {
        int level = body.level();
        if (level == 5 && body.hasMore()) {
            int reason = body.u8("reason code");
            if (!contains(reasons, reason)) {
                throw PacketViolation.protocolError(level, String.format("%s with reason code 0x%02X", name, reason));
            }
            if (body.hasMore()) {
                PropertyRules.check(body, carrier);
            }
        }
        body.expectEnd(name);
    }

    // ---------------------------------------------------------------- SUBSCRIBE, UNSUBSCRIBE

    private static void subscribe(PacketReader body) {
        int level = body.level();
        filterListHeader(body, "SUBSCRIBE", Carrier.SUBSCRIBE); // [MQTT-3.8.3-2]
        while (body.hasMore()) {
            int filterStart = topicFilter(body, "SUBSCRIBE");
            int filterLength = body.lastLength();
            int options = body.u8("subscription options");
            if (level < 5 && (options & 0xFC) != 0) {
                throw PacketViolation.malformed(level, "SUBSCRIBE with reserved bits set in the requested QoS");
            }
            if ((options & 0xC0) != 0) {
                throw PacketViolation.malformed(level, "SUBSCRIBE options with reserved bits set"); // [MQTT-3.8.3-5]
            }
            if ((options & 3) == 3) {
                throw PacketViolation.protocolError(level, "SUBSCRIBE with maximum QoS 3");
            }
            if ((options >>> 4 & 3) == 3) {
                throw PacketViolation.protocolError(level, "SUBSCRIBE with retain handling 3");
            }
            if ((options & 0x04) != 0 && matches(body.bytes(), filterStart, Math.min(filterLength,
                    SHARE_PREFIX.length), SHARE_PREFIX)) {
                throw PacketViolation.protocolError(level, "No Local on a shared subscription"); // [MQTT-3.8.3-4]
            }
        }
    }

    private static void unsubscribe(PacketReader body) {
        filterListHeader(body, "UNSUBSCRIBE", Carrier.UNSUBSCRIBE); // [MQTT-3.10.3-2]
        while (body.hasMore()) {
            topicFilter(body, "UNSUBSCRIBE");
        }
    }

    /** SUBSCRIBE, UNSUBSCRIBE: a non-zero packet identifier, (MQTT 5) properties, then at least one filter. */
    private static void filterListHeader(PacketReader body, String name, Carrier carrier) {
        int level = body.level();
        if (body.u16("packet identifier") == 0) {
            throw PacketViolation.protocolError(level, name + " with packet identifier 0");
        }
        if (level == 5) {
            PropertyRules.check(body, carrier);
        }
        if (!body.hasMore()) {
            throw PacketViolation.protocolError(level, name + " without a topic filter");
        }
    }

    /** A topic filter is at least one character long [MQTT-4.7.3-1]; its syntax is the subscription's to judge. */
    private static int topicFilter(PacketReader body, String packet) {
        int start = body.string("topic filter");
        if (body.lastLength() == 0) {
            throw PacketViolation.malformed(body.level(), packet + " with an empty topic filter");
        }
        return start;
    }

    // ---------------------------------------------------------------- helpers

    private static boolean matches(ByteBuf bytes, int from, int length, byte[] expected) {
        if (length != expected.length) {
            return false;
        }
        for (int i = 0; i < length; i++) {
            if (bytes.getByte(from + i) != expected[i]) {
                return false;
            }
        }
        return true;
    }

    private static long[] reasons(int... codes) {
        long[] set = new long[4];
        for (int code : codes) {
            set[code >>> 6] |= 1L << (code & 63);
        }
        return set;
    }

    private static boolean contains(long[] set, int code) {
        return (set[code >>> 6] & (1L << (code & 63))) != 0;
    }
}
