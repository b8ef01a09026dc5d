package io.culex.core.internal.validation;

/**
 * The MQTT 5 property table (specification section 2.2.2.2): each property's identifier, name, data type and the
 * packets that may carry it. A property not valid for its packet, or an unknown identifier, is a Malformed Packet;
 * a property other than User Property (and Subscription Identifier where the server sends several) given twice is a
 * Protocol Error; so are the values the specification rules out (a Receive Maximum of 0, a Payload Format Indicator
 * other than 0 or 1, ...).
 */
final class PropertyRules {

    /** What carries a property block; the will properties of a CONNECT are a block of their own. */
    enum Carrier {
        CONNECT, CONNACK, PUBLISH, WILL, PUBACK, PUBREC, PUBREL, PUBCOMP, SUBSCRIBE, SUBACK, UNSUBSCRIBE, UNSUBACK,
        DISCONNECT, AUTH;

        final int bit = 1 << ordinal();
    }

    enum Type { BYTE, TWO_BYTE_INTEGER, FOUR_BYTE_INTEGER, VARIABLE_BYTE_INTEGER, UTF8_STRING, BINARY, UTF8_PAIR }

    static final int PAYLOAD_FORMAT_INDICATOR = 0x01;
    static final int RESPONSE_TOPIC = 0x08;
    static final int SUBSCRIPTION_IDENTIFIER = 0x0B;
    static final int AUTHENTICATION_METHOD = 0x15;
    static final int AUTHENTICATION_DATA = 0x16;
    static final int RECEIVE_MAXIMUM = 0x21;
    static final int TOPIC_ALIAS = 0x23;
    static final int USER_PROPERTY = 0x26;
    static final int MAXIMUM_PACKET_SIZE = 0x27;

    private static final int HIGHEST = 0x2A;
    private static final String[] NAMES = new String[HIGHEST + 1];
    private static final Type[] TYPES = new Type[HIGHEST + 1];
    private static final int[] CARRIERS = new int[HIGHEST + 1];
    /** Byte properties whose only values are 0 and 1. */
    private static final long BOOLEANS;

    static {
        define(0x01, "Payload Format Indicator", Type.BYTE, Carrier.PUBLISH, Carrier.WILL);
        define(0x02, "Message Expiry Interval", Type.FOUR_BYTE_INTEGER, Carrier.PUBLISH, Carrier.WILL);
        define(0x03, "Content Type", Type.UTF8_STRING, Carrier.PUBLISH, Carrier.WILL);
        define(0x08, "Response Topic", Type.UTF8_STRING, Carrier.PUBLISH, Carrier.WILL);
        define(0x09, "Correlation Data", Type.BINARY, Carrier.PUBLISH, Carrier.WILL);
        define(0x0B, "Subscription Identifier", Type.VARIABLE_BYTE_INTEGER, Carrier.PUBLISH, Carrier.SUBSCRIBE);
        define(0x11, "Session Expiry Interval", Type.FOUR_BYTE_INTEGER, Carrier.CONNECT, Carrier.CONNACK,
                Carrier.DISCONNECT);
        define(0x12, "Assigned Client Identifier", Type.UTF8_STRING, Carrier.CONNACK);
        define(0x13, "Server Keep Alive", Type.TWO_BYTE_INTEGER, Carrier.CONNACK);
        define(0x15, "Authentication Method", Type.UTF8_STRING, Carrier.CONNECT, Carrier.CONNACK, Carrier.AUTH);
        define(0x16, "Authentication Data", Type.BINARY, Carrier.CONNECT, Carrier.CONNACK, Carrier.AUTH);
        define(0x17, "Request Problem Information", Type.BYTE, Carrier.CONNECT);
        define(0x18, "Will Delay Interval", Type.FOUR_BYTE_INTEGER, Carrier.WILL);
        define(0x19, "Request Response Information", Type.BYTE, Carrier.CONNECT);
        define(0x1A, "Response Information", Type.UTF8_STRING, Carrier.CONNACK);
        define(0x1C, "Server Reference", Type.UTF8_STRING, Carrier.CONNACK, Carrier.DISCONNECT);
        define(0x1F, "Reason String", Type.UTF8_STRING, Carrier.CONNACK, Carrier.PUBACK, Carrier.PUBREC,
                Carrier.PUBREL, Carrier.PUBCOMP, Carrier.SUBACK, Carrier.UNSUBACK, Carrier.DISCONNECT, Carrier.AUTH);
        define(0x21, "Receive Maximum", Type.TWO_BYTE_INTEGER, Carrier.CONNECT, Carrier.CONNACK);
        define(0x22, "Topic Alias Maximum", Type.TWO_BYTE_INTEGER, Carrier.CONNECT, Carrier.CONNACK);
        define(0x23, "Topic Alias", Type.TWO_BYTE_INTEGER, Carrier.PUBLISH);
        define(0x24, "Maximum QoS", Type.BYTE, Carrier.CONNACK);
        define(0x25, "Retain Available", Type.BYTE, Carrier.CONNACK);
        define(0x26, "User Property", Type.UTF8_PAIR, Carrier.values());
        define(0x27, "Maximum Packet Size", Type.FOUR_BYTE_INTEGER, Carrier.CONNECT, Carrier.CONNACK);
        define(0x28, "Wildcard Subscription Available", Type.BYTE, Carrier.CONNACK);
        define(0x29, "Subscription Identifier Available", Type.BYTE, Carrier.CONNACK);
        define(0x2A, "Shared Subscription Available", Type.BYTE, Carrier.CONNACK);
        BOOLEANS = bits(0x01, 0x17, 0x19, 0x24, 0x25, 0x28, 0x29, 0x2A);
    }

    private PropertyRules() {
    }

    private static void define(int id, String name, Type type, Carrier... carriers) {
        NAMES[id] = name;
        TYPES[id] = type;
        for (Carrier c : carriers) {
            CARRIERS[id] |= c.bit;
        }
    }

    private static long bits(int... ids) {
        long result = 0;
        for (int id : ids) {
            result |= 1L << id;
        }
        return result;
    }

    /** @return whether the identifier names a property of MQTT 5 */
    static boolean isKnown(int id) {
        return id > 0 && id <= HIGHEST && TYPES[id] != null;
    }

    static boolean isAllowed(int id, Carrier carrier) {
        return isKnown(id) && (CARRIERS[id] & carrier.bit) != 0;
    }

    static String name(int id) {
        return isKnown(id) ? NAMES[id] : String.format("unknown property 0x%02X", id);
    }

    static Type type(int id) {
        return TYPES[id];
    }

    /**
     * Read a property block (its length and the properties) and check it against the table.
     *
     * @return a bit set of the identifiers present ({@code 1L << id})
     * @throws PacketViolation when the block breaks a rule
     */
    static long check(PacketReader packet, Carrier carrier) {
        int level = packet.level();
        String what = carrier == Carrier.WILL ? "will properties" : carrier + " properties";
        int length = packet.variableInteger(what + " length");
        PacketReader block = packet.region(length, what);
        long seen = 0;
        while (block.hasMore()) {
            int id = block.variableInteger("property identifier");
            if (!isKnown(id)) {
                throw PacketViolation.malformed(level, String.format("unknown property identifier 0x%02X in %s",
                        id, what));
            }
            if (!isAllowed(id, carrier)) {
                throw PacketViolation.malformed(level, NAMES[id] + " is not allowed in " + what);
            }
            long bit = 1L << id;
            if ((seen & bit) != 0 && id != USER_PROPERTY) {
                throw PacketViolation.protocolError(level, NAMES[id] + " given twice in " + what);
            }
            seen |= bit;
            readValue(block, id, level);
        }
        return seen;
    }

    private static void readValue(PacketReader block, int id, int level) {
        String name = NAMES[id];
        switch (TYPES[id]) {
            case BYTE:
                int b = block.u8(name);
                if ((BOOLEANS & (1L << id)) != 0 && b > 1) {
                    throw PacketViolation.protocolError(level, name + " of " + b + " (only 0 and 1 are defined)");
                }
                break;
            case TWO_BYTE_INTEGER:
                if (block.u16(name) == 0 && id == RECEIVE_MAXIMUM) {
                    throw PacketViolation.protocolError(level, "Receive Maximum of 0");
                }
                break;
            case FOUR_BYTE_INTEGER:
                if (block.u32(name) == 0 && id == MAXIMUM_PACKET_SIZE) {
                    throw PacketViolation.protocolError(level, "Maximum Packet Size of 0");
                }
                break;
            case VARIABLE_BYTE_INTEGER:
                if (block.variableInteger(name) == 0 && id == SUBSCRIPTION_IDENTIFIER) {
                    throw PacketViolation.protocolError(level, "Subscription Identifier of 0");
                }
                break;
            case UTF8_STRING:
                int start = block.string(name);
                if (id == RESPONSE_TOPIC && hasWildcard(block, start, block.lastLength())) {
                    throw PacketViolation.protocolError(level, "Response Topic with a wildcard");
                }
                break;
            case BINARY:
                block.binary(name);
                break;
            case UTF8_PAIR:
                block.string(name + " name");
                block.string(name + " value");
                break;
            default:
                throw new AssertionError(TYPES[id]);
        }
    }

    static boolean hasWildcard(PacketReader reader, int start, int length) {
        for (int i = start; i < start + length; i++) {
            byte c = reader.bytes().getByte(i);
            if (c == '+' || c == '#') {
                return true;
            }
        }
        return false;
    }
}
