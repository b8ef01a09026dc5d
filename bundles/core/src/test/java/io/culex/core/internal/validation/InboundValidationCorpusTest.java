package io.culex.core.internal.validation;

import static io.culex.core.internal.validation.Wire.bytes;
import static io.culex.core.internal.validation.Wire.concat;
import static io.culex.core.internal.validation.Wire.connect;
import static io.culex.core.internal.validation.Wire.packet;
import static io.culex.core.internal.validation.Wire.prop;
import static io.culex.core.internal.validation.Wire.props;
import static io.culex.core.internal.validation.Wire.raw;
import static io.culex.core.internal.validation.Wire.str;
import static io.culex.core.internal.validation.Wire.u16;
import static io.culex.core.internal.validation.Wire.u32;
import static io.culex.core.internal.validation.Wire.vbi;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.EOFException;
import java.io.IOException;
import java.net.SocketException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import io.culex.core.internal.testing.EmbeddedBroker;
import io.culex.core.internal.testing.LeakDetection;
import io.culex.core.internal.testing.RawClient;

/**
 * The corpus of issue 18: for every packet a client may send, in MQTT 3.1.1 and 5, the malformed and out-of-place
 * forms and the answer the specification gives, sent over a real socket. MQTT 5 connections get a DISCONNECT (or,
 * for a bad CONNECT, a CONNACK) with the reason code and are closed; MQTT 3.1.1 connections are closed without a
 * word. Well-formed packets with every property their type allows are in the corpus too: the checks must not
 * refuse what the specification allows.
 *
 * <p>The property table here is typed from the specification (section 2.2.2.2) independently of the broker's.
 */
@ExtendWith(LeakDetection.class)
class InboundValidationCorpusTest {

    private static final int MALFORMED = 0x81;
    private static final int PROTOCOL_ERROR = 0x82;
    private static final AtomicInteger CLIENT_IDS = new AtomicInteger();

    private static EmbeddedBroker broker;

    @BeforeAll
    static void start() {
        broker = new EmbeddedBroker(Map.of("max_packet_size", 100_000));
    }

    @AfterAll
    static void stop() {
        broker.close();
    }

    // ---------------------------------------------------------------- the runner

    /** What the broker must answer. */
    static final class Answer {
        enum Kind { DISCONNECT, CONNACK, CLOSE, ACCEPT, CONNECTED }

        final Kind kind;
        final int code;
        final byte[] reply;

        private Answer(Kind kind, int code, byte[] reply) {
            this.kind = kind;
            this.code = code;
            this.reply = reply;
        }

        static Answer disconnect(int code) {
            return new Answer(Kind.DISCONNECT, code, null);
        }

        static Answer connack(int code) {
            return new Answer(Kind.CONNACK, code, null);
        }

        static Answer close() {
            return new Answer(Kind.CLOSE, 0, null);
        }

        /** A CONNECT accepted: CONNACK 0, then the connection serves. */
        static Answer connected() {
            return new Answer(Kind.CONNECTED, 0, null);
        }

        /** The connection stays open: the broker sends {@code reply} first (if not null), then answers a PINGREQ. */
        static Answer accept(byte[] reply) {
            return new Answer(Kind.ACCEPT, 0, reply);
        }

        @Override
        public String toString() {
            return kind == Kind.CLOSE || kind == Kind.ACCEPT || kind == Kind.CONNECTED ? kind.name().toLowerCase()
                    : kind.name().toLowerCase() + String.format(" 0x%02X", code);
        }
    }

    static final class Case {
        final String name;
        final int level;
        /** {@code true}: the bytes are the CONNECT itself; otherwise they follow an accepted CONNECT. */
        final boolean isConnect;
        final byte[] bytes;
        final Answer answer;

        Case(String name, int level, boolean isConnect, byte[] bytes, Answer answer) {
            this.name = name;
            this.level = level;
            this.isConnect = isConnect;
            this.bytes = bytes;
            this.answer = answer;
        }

        @Override
        public String toString() {
            return "v" + level + " " + name + " -> " + answer;
        }
    }

    /** After an accepted CONNECT: MQTT 5 answers a violation with DISCONNECT, 3.1.1 closes. */
    private static Case after(int level, String name, byte[] bytes, int reason) {
        return new Case(name, level, false, bytes, level == 5 ? Answer.disconnect(reason) : Answer.close());
    }

    /** A CONNECT: MQTT 5 answers a violation with a refusing CONNACK, 3.1.1 closes. */
    private static Case connectCase(int level, String name, byte[] bytes, int reason) {
        return new Case(name, level, true, bytes, level == 5 ? Answer.connack(reason) : Answer.close());
    }

    private static Case accepted(int level, String name, byte[] bytes, byte[] reply) {
        return new Case(name, level, false, bytes, Answer.accept(reply));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("corpus")
    void answersAsTheSpecificationSays(Case c) throws Exception {
        try (RawClient client = new RawClient(broker.port())) {
            if (!c.isConnect) {
                client.send(connect(c.level, 0x02, props(), "corpus-" + CLIENT_IDS.incrementAndGet()));
                RawClient.Packet connack = client.read();
                assertEquals(RawClient.CONNACK, connack.type);
                assertEquals(0, connack.body[1], "CONNACK code of the set-up CONNECT");
            }
            client.send(c.bytes);
            switch (c.answer.kind) {
                case DISCONNECT:
                    expectPacketThenClose(client, 0xE0, c.answer.code);
                    break;
                case CONNACK:
                    expectPacketThenClose(client, 0x20, c.answer.code);
                    break;
                case CLOSE:
                    RawClient.Packet unexpected = readOrNullIfClosed(client);
                    assertNull(unexpected, "the broker closes without answering");
                    break;
                case CONNECTED:
                    RawClient.Packet connack = client.read();
                    assertEquals(RawClient.CONNACK, connack.type);
                    assertEquals(0, connack.body[1], "CONNACK code");
                    expectPingAnswered(client);
                    break;
                case ACCEPT:
                    if (c.answer.reply != null) {
                        RawClient.Packet reply = client.read();
                        assertEquals(HexFormat.of().formatHex(c.answer.reply),
                                HexFormat.of().formatHex(RawClient.packet((reply.type << 4) | reply.flags,
                                        reply.body)));
                    }
                    expectPingAnswered(client);
                    break;
                default:
                    fail();
            }
        }
    }

    private static void expectPingAnswered(RawClient client) throws IOException {
        client.send(0xC0, 0);
        RawClient.Packet pong = client.read();
        assertEquals(RawClient.PINGRESP, pong.type, "the connection still serves: " + pong);
    }

    private static void expectPacketThenClose(RawClient client, int firstByte, int code) throws IOException {
        RawClient.Packet p = readOrNullIfClosed(client);
        if (p == null) {
            fail(String.format("closed without the expected packet 0x%02X with code 0x%02X", firstByte, code));
        }
        assertEquals(firstByte, (p.type << 4) | p.flags, "packet type");
        int codeAt = firstByte == 0x20 ? 1 : 0;
        assertEquals(String.format("0x%02X", code), String.format("0x%02X", p.body[codeAt] & 0xFF), "reason code");
        assertNull(readOrNullIfClosed(client), "closed after the answer");
    }

    private static RawClient.Packet readOrNullIfClosed(RawClient client) throws IOException {
        try {
            return client.read();
        } catch (EOFException | SocketException e) {
            return null;
        }
    }

    // ---------------------------------------------------------------- the corpus

    static Stream<Case> corpus() {
        List<Case> all = new ArrayList<>();
        propertiesNotAllowed(all);
        propertiesGivenTwice(all);
        everyAllowedPropertyOnce(all);
        truncated(all);
        overLong(all);
        serverPackets(all);
        fixedHeaderFlags(all);
        connectRules(all);
        reasonCodes(all);
        fieldValues(all);
        utf8(all);
        return all.stream();
    }

    /** The specification's property table: identifier, data type, the packets that may carry it. */
    enum Carrier { CONNECT, PUBLISH, WILL, PUBACK, PUBREC, PUBREL, PUBCOMP, SUBSCRIBE, UNSUBSCRIBE, DISCONNECT, AUTH,
        CONNACK, SUBACK, UNSUBACK }

    enum Type { BYTE, TWO, FOUR, VBI, UTF8, BINARY, PAIR }

    static final class Property {
        final int id;
        final Type type;
        final List<Carrier> carriers;

        Property(int id, Type type, Carrier... carriers) {
            this.id = id;
            this.type = type;
            this.carriers = List.of(carriers);
        }

        /** A value the specification allows for the property. */
        byte[] encoded() {
            switch (type) {
                case BYTE: return prop(id, bytes(1));
                case TWO: return prop(id, u16(10));
                case FOUR: return prop(id, u32(10));
                case VBI: return prop(id, vbi(7));
                case UTF8: return prop(id, str("v"));
                case BINARY: return prop(id, raw(bytes(1, 2)));
                default: return prop(id, concat(str("k"), str("v")));
            }
        }
    }

    private static final List<Property> TABLE = List.of(
            new Property(0x01, Type.BYTE, Carrier.PUBLISH, Carrier.WILL),
            new Property(0x02, Type.FOUR, Carrier.PUBLISH, Carrier.WILL),
            new Property(0x03, Type.UTF8, Carrier.PUBLISH, Carrier.WILL),
            new Property(0x08, Type.UTF8, Carrier.PUBLISH, Carrier.WILL),
            new Property(0x09, Type.BINARY, Carrier.PUBLISH, Carrier.WILL),
            new Property(0x0B, Type.VBI, Carrier.PUBLISH, Carrier.SUBSCRIBE),
            new Property(0x11, Type.FOUR, Carrier.CONNECT, Carrier.CONNACK, Carrier.DISCONNECT),
            new Property(0x12, Type.UTF8, Carrier.CONNACK),
            new Property(0x13, Type.TWO, Carrier.CONNACK),
            new Property(0x15, Type.UTF8, Carrier.CONNECT, Carrier.CONNACK, Carrier.AUTH),
            new Property(0x16, Type.BINARY, Carrier.CONNECT, Carrier.CONNACK, Carrier.AUTH),
            new Property(0x17, Type.BYTE, Carrier.CONNECT),
            new Property(0x18, Type.FOUR, Carrier.WILL),
            new Property(0x19, Type.BYTE, Carrier.CONNECT),
            new Property(0x1A, Type.UTF8, Carrier.CONNACK),
            new Property(0x1C, Type.UTF8, Carrier.CONNACK, Carrier.DISCONNECT),
            new Property(0x1F, Type.UTF8, Carrier.CONNACK, Carrier.PUBACK, Carrier.PUBREC, Carrier.PUBREL,
                    Carrier.PUBCOMP, Carrier.SUBACK, Carrier.UNSUBACK, Carrier.DISCONNECT, Carrier.AUTH),
            new Property(0x21, Type.TWO, Carrier.CONNECT, Carrier.CONNACK),
            new Property(0x22, Type.TWO, Carrier.CONNECT, Carrier.CONNACK),
            new Property(0x23, Type.TWO, Carrier.PUBLISH),
            new Property(0x24, Type.BYTE, Carrier.CONNACK),
            new Property(0x25, Type.BYTE, Carrier.CONNACK),
            new Property(0x26, Type.PAIR, Carrier.values()),
            new Property(0x27, Type.FOUR, Carrier.CONNECT, Carrier.CONNACK),
            new Property(0x28, Type.BYTE, Carrier.CONNACK),
            new Property(0x29, Type.BYTE, Carrier.CONNACK),
            new Property(0x2A, Type.BYTE, Carrier.CONNACK));

    /** The carriers a client sends. */
    private static final List<Carrier> CLIENT_CARRIERS = List.of(Carrier.CONNECT, Carrier.WILL, Carrier.PUBLISH,
            Carrier.PUBACK, Carrier.PUBREC, Carrier.PUBREL, Carrier.PUBCOMP, Carrier.SUBSCRIBE, Carrier.UNSUBSCRIBE,
            Carrier.DISCONNECT, Carrier.AUTH);

    /** A packet of the carrier's kind with this property block (MQTT 5). */
    private static byte[] carrying(Carrier carrier, byte[] properties) {
        switch (carrier) {
            case CONNECT: return connect(5, 0x02, properties, "c-" + CLIENT_IDS.incrementAndGet());
            case WILL: return connect(5, 0x06, props(), "w-" + CLIENT_IDS.incrementAndGet(), properties, str("will"),
                    raw(bytes('x')));
            case PUBLISH: return packet(0x30, str("corpus/t"), properties, bytes('x'));
            case PUBACK: return packet(0x40, u16(1), bytes(0), properties);
            case PUBREC: return packet(0x50, u16(1), bytes(0), properties);
            case PUBREL: return packet(0x62, u16(1), bytes(0), properties);
            case PUBCOMP: return packet(0x70, u16(1), bytes(0), properties);
            case SUBSCRIBE: return packet(0x82, u16(1), properties, str("corpus/s"), bytes(0));
            case UNSUBSCRIBE: return packet(0xA2, u16(1), properties, str("corpus/s"));
            case DISCONNECT: return packet(0xE0, bytes(0), properties);
            case AUTH: return packet(0xF0, bytes(0x18), properties);
            default: throw new IllegalArgumentException(carrier.name());
        }
    }

    private static Case violation(Carrier carrier, String name, byte[] properties, int reason) {
        byte[] packet = carrying(carrier, properties);
        return carrier == Carrier.CONNECT || carrier == Carrier.WILL ? connectCase(5, name, packet, reason)
                : after(5, name, packet, reason);
    }

    /** Every property on every packet that may not carry it, and identifiers MQTT 5 does not define. */
    private static void propertiesNotAllowed(List<Case> all) {
        for (Carrier carrier : CLIENT_CARRIERS) {
            for (Property p : TABLE) {
                if (!p.carriers.contains(carrier)) {
                    all.add(violation(carrier, String.format("%s with property 0x%02X", carrier, p.id),
                            props(p.encoded()), MALFORMED));
                }
            }
            for (int unknown : new int[] {0x00, 0x04, 0x10, 0x2B, 0x7F}) {
                all.add(violation(carrier, String.format("%s with unknown property 0x%02X", carrier, unknown),
                        props(prop(unknown, bytes(0))), MALFORMED));
            }
        }
    }

    /** Every property a packet may carry once, given twice. */
    private static void propertiesGivenTwice(List<Case> all) {
        for (Carrier carrier : CLIENT_CARRIERS) {
            for (Property p : TABLE) {
                if (p.carriers.contains(carrier) && p.id != 0x26) {
                    all.add(violation(carrier, String.format("%s with property 0x%02X twice", carrier, p.id),
                            props(p.encoded(), p.encoded()), PROTOCOL_ERROR));
                }
            }
        }
    }

    /** Well-formed packets with all the properties they may carry (and two user properties) are served. */
    private static void everyAllowedPropertyOnce(List<Case> all) {
        byte[] pair = prop(0x26, concat(str("k"), str("v")));
        byte[] publishProps = props(prop(0x01, bytes(1)), prop(0x02, u32(60)), prop(0x03, str("text/plain")),
                prop(0x08, str("corpus/reply")), prop(0x09, raw(bytes(7))), prop(0x23, u16(1)), pair, pair);
        all.add(accepted(5, "PUBLISH with every client property", packet(0x30, str("corpus/t"), publishProps,
                bytes('x')), null));
        byte[] replyProps = props(prop(0x1F, str("why")), pair, pair);
        all.add(accepted(5, "PUBACK with reason string and user properties",
                packet(0x40, u16(1), bytes(0x10), replyProps), null));
        all.add(accepted(5, "PUBREC with reason string and user properties",
                packet(0x50, u16(1), bytes(0), replyProps), bytes(0x62, 3, 0, 1, 0x92)));
        all.add(accepted(5, "PUBREL with reason string and user properties",
                packet(0x62, u16(1), bytes(0), replyProps), bytes(0x70, 3, 0, 1, 0x92)));
        all.add(accepted(5, "PUBCOMP with reason string and user properties",
                packet(0x70, u16(1), bytes(0), replyProps), null));
        all.add(accepted(5, "SUBSCRIBE with a subscription identifier and user properties",
                packet(0x82, u16(1), props(prop(0x0B, vbi(300)), pair), str("corpus/s"), bytes(0x2E)),
                bytes(0x90, 4, 0, 1, 0, 2)));
        all.add(accepted(5, "UNSUBSCRIBE with user properties",
                packet(0xA2, u16(2), props(pair, pair), str("corpus/none")), bytes(0xB0, 4, 0, 2, 0, 0x11)));
        all.add(accepted(4, "PUBLISH with an empty payload", packet(0x30, str("corpus/t")), null));
        all.add(accepted(5, "PUBACK of two bytes", packet(0x40, u16(9)), null));
        all.add(accepted(5, "PUBACK with a reason code alone", packet(0x40, u16(9), bytes(0)), null));
        all.add(new Case("CONNECT with every property but authentication", 5, true,
                connect(5, 0x02, props(prop(0x11, u32(0)), prop(0x21, u16(5)), prop(0x27, u32(5000)),
                        prop(0x22, u16(3)), prop(0x17, bytes(0)), prop(0x19, bytes(1)), pair, pair), "c-all"),
                Answer.connected()));
        all.add(new Case("CONNECT with a will with every property", 5, true,
                connect(5, 0x2E, props(), "w-all", props(prop(0x18, u32(0)), prop(0x01, bytes(1)),
                        prop(0x02, u32(60)), prop(0x03, str("text/plain")), prop(0x08, str("corpus/reply")),
                        prop(0x09, raw(bytes(7))), pair), str("corpus/will"), raw(bytes('x'))), Answer.connected()));
        all.add(new Case("CONNECT with a password and no user name", 5, true,
                connect(5, 0x42, props(), "c-password", raw(bytes('p', 'w'))), Answer.connected()));
        all.add(new Case("CONNECT of MQTT 3.1", 3, true, connect(3, 0x02, null, "c-31"), Answer.connected()));
    }

    /** Fields that run past the end of the packet. */
    private static void truncated(List<Case> all) {
        for (int level : new int[] {4, 5}) {
            byte[] p = level == 5 ? props() : new byte[0];
            all.add(after(level, "PUBLISH whose topic length runs past the end",
                    packet(0x30, u16(9), bytes('a', 'b')), MALFORMED));
            all.add(after(level, "QoS 1 PUBLISH without packet identifier", packet(0x32, str("t")), MALFORMED));
            for (int type : new int[] {0x40, 0x50, 0x62, 0x70}) {
                all.add(after(level, String.format("0x%02X of one byte", type), packet(type, bytes(0)), MALFORMED));
                all.add(after(level, String.format("0x%02X of no byte", type), packet(type), MALFORMED));
            }
            all.add(after(level, "SUBSCRIBE without options", packet(0x82, u16(1), p, str("a")), MALFORMED));
            all.add(after(level, "SUBSCRIBE whose filter runs past the end",
                    packet(0x82, u16(1), p, u16(9), bytes('a')), MALFORMED));
            all.add(after(level, "SUBSCRIBE without packet identifier", packet(0x82, bytes(0)), MALFORMED));
            all.add(after(level, "UNSUBSCRIBE whose filter runs past the end",
                    packet(0xA2, u16(1), p, u16(4), bytes('a')), MALFORMED));
            all.add(connectCase(level, "CONNECT that ends after its flags",
                    packet(0x10, str("MQTT"), bytes(level, 2)), MALFORMED));
            all.add(connectCase(level, "CONNECT whose client identifier runs past the end",
                    packet(0x10, str("MQTT"), bytes(level, 2), u16(60), p, u16(20), bytes('c')), MALFORMED));
            all.add(connectCase(level, "CONNECT with the will flag but no will",
                    connect(level, 0x06, props(), "c-no-will"), MALFORMED));
            all.add(connectCase(level, "CONNECT with the will flag and a will topic but no payload",
                    connect(level, 0x06, props(), "c-no-will", level == 5 ? props() : new byte[0], str("w")),
                    MALFORMED));
            all.add(connectCase(level, "CONNECT with the user name flag but no user name",
                    connect(level, 0x82, props(), "c-no-user"), MALFORMED));
            all.add(connectCase(level, "CONNECT with the password flag but no password",
                    connect(level, 0xC2, props(), "c-no-password", str("user")), MALFORMED));
        }
        all.add(after(5, "PUBLISH without property length", packet(0x30, str("t")), MALFORMED));
        all.add(after(5, "PUBLISH whose property length runs past the end",
                packet(0x30, str("t"), vbi(30), prop(0x02, u32(1))), MALFORMED));
        all.add(after(5, "PUBLISH with a truncated Message Expiry Interval",
                packet(0x30, str("t"), vbi(3), bytes(0x02, 0, 0)), MALFORMED));
        all.add(after(5, "PUBLISH with a User Property without its value",
                packet(0x30, str("t"), props(prop(0x26, str("k")))), MALFORMED));
        all.add(after(5, "PUBLISH with a Content Type whose length runs past the block",
                packet(0x30, str("t"), vbi(3), bytes(0x03, 0, 9), bytes('x', 'y')), MALFORMED));
        all.add(after(5, "PUBACK whose property length runs past the end",
                packet(0x40, u16(1), bytes(0), vbi(10), prop(0x1F, str("a"))), MALFORMED));
        all.add(after(5, "PUBLISH with a property length of five bytes",
                packet(0x30, str("t"), bytes(0xFF, 0xFF, 0xFF, 0xFF, 0x7F)), MALFORMED));
        all.add(after(5, "SUBSCRIBE with a Subscription Identifier of five bytes",
                packet(0x82, u16(1), vbi(6), bytes(0x0B, 0xFF, 0xFF, 0xFF, 0xFF, 0x7F), str("a"), bytes(0)),
                MALFORMED));
        all.add(after(5, "DISCONNECT whose properties run past the end",
                packet(0xE0, bytes(0), vbi(5), prop(0x11, bytes(0))), MALFORMED));
        all.add(after(5, "remaining length of five bytes", bytes(0x30, 0xFF, 0xFF, 0xFF, 0xFF, 0x7F), MALFORMED));
        all.add(after(5, "a packet over the maximum packet size", concat(bytes(0x30), vbi(200_000)),
                0x95));
    }

    /** Bytes beyond a packet's fields. */
    private static void overLong(List<Case> all) {
        for (int level : new int[] {4, 5}) {
            all.add(after(level, "PINGREQ with a byte", packet(0xC0, bytes(0)), MALFORMED));
            all.add(connectCase(level, "CONNECT with bytes after its payload",
                    connect(level, 0x02, props(), "c-extra", bytes(1, 2)), MALFORMED));
        }
        all.add(after(4, "DISCONNECT with a byte", packet(0xE0, bytes(0)), MALFORMED));
        all.add(after(4, "PUBACK of three bytes", packet(0x40, u16(1), bytes(0)), MALFORMED));
        all.add(after(4, "PUBCOMP of four bytes", packet(0x70, u16(1), bytes(0, 0)), MALFORMED));
        all.add(after(5, "PUBACK with a byte after its properties",
                packet(0x40, u16(1), bytes(0), props(), bytes(0x55)), MALFORMED));
        all.add(after(5, "DISCONNECT with a byte after its properties",
                packet(0xE0, bytes(0), props(), bytes(0x55)), MALFORMED));
        all.add(after(5, "AUTH with a byte after its properties",
                packet(0xF0, bytes(0x18), props(prop(0x15, str("m"))), bytes(0x55)), MALFORMED));
    }

    /** Packets only a server sends, the reserved type 0, and AUTH before MQTT 5. */
    private static void serverPackets(List<Case> all) {
        for (int level : new int[] {4, 5}) {
            byte[] p = level == 5 ? props() : new byte[0];
            all.add(after(level, "CONNACK from a client", packet(0x20, bytes(0, 0), p), PROTOCOL_ERROR));
            all.add(after(level, "SUBACK from a client", packet(0x90, u16(1), p, bytes(0)), PROTOCOL_ERROR));
            all.add(after(level, "UNSUBACK from a client", packet(0xB0, u16(1), p, bytes(0)), PROTOCOL_ERROR));
            all.add(after(level, "PINGRESP from a client", packet(0xD0), PROTOCOL_ERROR));
            all.add(after(level, "reserved packet type 0", packet(0x00), PROTOCOL_ERROR));
        }
        all.add(after(4, "AUTH in MQTT 3.1.1", packet(0xF0), PROTOCOL_ERROR));
    }

    /** Fixed header flags other than the specification's for each packet type. */
    private static void fixedHeaderFlags(List<Case> all) {
        for (int level : new int[] {4, 5}) {
            all.add(after(level, "PUBACK with flags 0001", packet(0x41, u16(1)), MALFORMED));
            all.add(after(level, "PUBREC with flags 1000", packet(0x58, u16(1)), MALFORMED));
            all.add(after(level, "PUBREL with flags 0000", packet(0x60, u16(1)), MALFORMED));
            all.add(after(level, "PUBCOMP with flags 0010", packet(0x72, u16(1)), MALFORMED));
            all.add(after(level, "SUBSCRIBE with flags 0000",
                    packet(0x80, u16(1), level == 5 ? props() : new byte[0], str("a"), bytes(0)), MALFORMED));
            all.add(after(level, "UNSUBSCRIBE with flags 0000",
                    packet(0xA0, u16(1), level == 5 ? props() : new byte[0], str("a")), MALFORMED));
            all.add(after(level, "PINGREQ with flags 0001", packet(0xC1), MALFORMED));
            all.add(after(level, "DISCONNECT with flags 0010", packet(0xE2), MALFORMED));
            all.add(after(level, "PUBLISH with QoS 3",
                    packet(0x36, str("t"), u16(1), level == 5 ? props() : new byte[0]), MALFORMED));
            all.add(after(level, "QoS 0 PUBLISH with DUP",
                    packet(0x38, str("t"), level == 5 ? props() : new byte[0]), MALFORMED));
            byte[] connect = connect(level, 0x02, props(), "c-flags");
            connect[0] = 0x11;
            all.add(connectCase(level, "CONNECT with flags 0001", connect, MALFORMED));
        }
        all.add(after(5, "AUTH with flags 0001", packet(0xF1, bytes(0x18), props(prop(0x15, str("m")))),
                MALFORMED));
    }

    private static void connectRules(List<Case> all) {
        for (int level : new int[] {4, 5}) {
            all.add(connectCase(level, "CONNECT with the reserved flag", connect(level, 0x03, props(), "c-r"),
                    MALFORMED));
            all.add(connectCase(level, "CONNECT with will QoS 3",
                    connect(level, 0x1E, props(), "c-q3", level == 5 ? props() : new byte[0], str("w"),
                            raw(bytes('x'))), MALFORMED));
            all.add(connectCase(level, "CONNECT with will QoS but no will flag", connect(level, 0x0A, props(),
                    "c-wq"), MALFORMED));
            all.add(connectCase(level, "CONNECT with will retain but no will flag", connect(level, 0x22, props(),
                    "c-wr"), MALFORMED));
            all.add(connectCase(level, "CONNECT with invalid UTF-8 in the client identifier",
                    packet(0x10, str("MQTT"), bytes(level, 2), u16(60), level == 5 ? props() : new byte[0],
                            raw(bytes('c', 0xC0, 0xAF))), MALFORMED));
            all.add(new Case("CONNECT with protocol name mqtt", level, true,
                    packet(0x10, str("mqtt"), bytes(level, 2), u16(60), str("c-name")),
                    Answer.connack(level == 5 ? 0x01 : 0x01)));
        }
        all.add(connectCase(4, "CONNECT with a password but no user name",
                connect(4, 0x42, null, "c-pw", raw(bytes('p'))), MALFORMED));
        for (String id : new String[] {"a\u0001b", "a\u007Fb", "a\u0085b", "tab\there"}) {
            all.add(new Case("CONNECT with control character U+" + String.format("%04X", (int) id.charAt(id.length()
                    == 8 ? 3 : 1)) + " in the client identifier", 5, true, connect(5, 0x02, props(), id),
                    Answer.connack(0x85)));
            all.add(new Case("CONNECT with control character U+" + String.format("%04X", (int) id.charAt(id.length()
                    == 8 ? 3 : 1)) + " in the client identifier", 4, true, connect(4, 0x02, null, id),
                    Answer.connack(0x02)));
        }
        all.add(connectCase(5, "CONNECT with Receive Maximum 0", connect(5, 0x02, props(prop(0x21, u16(0))),
                "c-rm"), PROTOCOL_ERROR));
        all.add(connectCase(5, "CONNECT with Maximum Packet Size 0", connect(5, 0x02, props(prop(0x27, u32(0))),
                "c-mp"), PROTOCOL_ERROR));
        all.add(connectCase(5, "CONNECT with Request Problem Information 2",
                connect(5, 0x02, props(prop(0x17, bytes(2))), "c-rp"), PROTOCOL_ERROR));
        all.add(connectCase(5, "CONNECT with Request Response Information 2",
                connect(5, 0x02, props(prop(0x19, bytes(2))), "c-rr"), PROTOCOL_ERROR));
        all.add(connectCase(5, "CONNECT with Authentication Data but no method",
                connect(5, 0x02, props(prop(0x16, raw(bytes(1)))), "c-ad"), PROTOCOL_ERROR));
        all.add(connectCase(5, "will with Payload Format Indicator 2",
                connect(5, 0x06, props(), "c-wpf", props(prop(0x01, bytes(2))), str("w"), raw(bytes('x'))),
                PROTOCOL_ERROR));
        all.add(connectCase(5, "will with a wildcard Response Topic",
                connect(5, 0x06, props(), "c-wrt", props(prop(0x08, str("r/#"))), str("w"), raw(bytes('x'))),
                PROTOCOL_ERROR));
        all.add(after(5, "a second CONNECT", connect(5, 0x02, props(), "c-second"), PROTOCOL_ERROR));
    }

    /** Reason codes the packet type does not define. */
    private static void reasonCodes(List<Case> all) {
        all.add(after(5, "PUBACK with reason code 0x20", packet(0x40, u16(1), bytes(0x20)), PROTOCOL_ERROR));
        all.add(after(5, "PUBREC with reason code 0x01", packet(0x50, u16(1), bytes(0x01)), PROTOCOL_ERROR));
        all.add(after(5, "PUBREL with reason code 0x10", packet(0x62, u16(1), bytes(0x10)), PROTOCOL_ERROR));
        all.add(after(5, "PUBCOMP with reason code 0x80", packet(0x70, u16(1), bytes(0x80)), PROTOCOL_ERROR));
        all.add(after(5, "DISCONNECT with reason code 0x03", packet(0xE0, bytes(0x03)), PROTOCOL_ERROR));
        all.add(after(5, "AUTH with reason code 0x01", packet(0xF0, bytes(0x01)), PROTOCOL_ERROR));
    }

    /** Values of well-formed fields that the specification rules out. */
    private static void fieldValues(List<Case> all) {
        for (int level : new int[] {4, 5}) {
            byte[] p = level == 5 ? props() : new byte[0];
            all.add(after(level, "QoS 1 PUBLISH with packet identifier 0", packet(0x32, str("t"), u16(0), p),
                    PROTOCOL_ERROR));
            all.add(after(level, "PUBACK with packet identifier 0", packet(0x40, u16(0)), PROTOCOL_ERROR));
            all.add(after(level, "SUBSCRIBE with packet identifier 0", packet(0x82, u16(0), p, str("a"), bytes(0)),
                    PROTOCOL_ERROR));
            all.add(after(level, "UNSUBSCRIBE with packet identifier 0", packet(0xA2, u16(0), p, str("a")),
                    PROTOCOL_ERROR));
            all.add(after(level, "SUBSCRIBE without a topic filter", packet(0x82, u16(1), p), PROTOCOL_ERROR));
            all.add(after(level, "UNSUBSCRIBE without a topic filter", packet(0xA2, u16(1), p), PROTOCOL_ERROR));
            all.add(after(level, "SUBSCRIBE with an empty topic filter", packet(0x82, u16(1), p, str(""), bytes(0)),
                    MALFORMED));
            all.add(after(level, "UNSUBSCRIBE with an empty topic filter", packet(0xA2, u16(1), p, str("")),
                    MALFORMED));
            all.add(after(level, "SUBSCRIBE with QoS 3", packet(0x82, u16(1), p, str("a"), bytes(3)),
                    PROTOCOL_ERROR));
            all.add(after(level, "PUBLISH topic with a wildcard", packet(0x30, str("a/+"), p), MALFORMED));
        }
        all.add(after(4, "SUBSCRIBE with reserved bits in the requested QoS",
                packet(0x82, u16(1), str("a"), bytes(0x04)), MALFORMED));
        all.add(after(4, "PUBLISH with an empty topic", packet(0x30, str("")), MALFORMED));
        for (int options : new int[] {0x40, 0x80, 0xC0}) {
            all.add(after(5, String.format("SUBSCRIBE with options 0x%02X (reserved bits)", options),
                    packet(0x82, u16(1), props(), str("a"), bytes(options)), MALFORMED));
        }
        all.add(after(5, "SUBSCRIBE with retain handling 3", packet(0x82, u16(1), props(), str("a"), bytes(0x30)),
                PROTOCOL_ERROR));
        all.add(after(5, "SUBSCRIBE with No Local on a shared subscription",
                packet(0x82, u16(1), props(), str("$share/g/a"), bytes(0x04)), PROTOCOL_ERROR));
        all.add(after(5, "SUBSCRIBE with Subscription Identifier 0",
                packet(0x82, u16(1), props(prop(0x0B, vbi(0))), str("a"), bytes(0)), PROTOCOL_ERROR));
        all.add(after(5, "PUBLISH with a Subscription Identifier",
                packet(0x30, str("t"), props(prop(0x0B, vbi(1)))), PROTOCOL_ERROR));
        all.add(after(5, "PUBLISH with Payload Format Indicator 2",
                packet(0x30, str("t"), props(prop(0x01, bytes(2)))), PROTOCOL_ERROR));
        all.add(after(5, "PUBLISH with a wildcard Response Topic",
                packet(0x30, str("t"), props(prop(0x08, str("r/+")))), PROTOCOL_ERROR));
        all.add(after(5, "PUBLISH with neither topic nor topic alias", packet(0x30, str(""), props()),
                PROTOCOL_ERROR));
    }

    /** Byte sequences that are not well-formed UTF-8, or U+0000, in every kind of string field. */
    private static void utf8(List<Case> all) {
        byte[][] bad = {bytes(0xC0, 0xAF), bytes(0xE0, 0x80, 0xAF), bytes(0xED, 0xA0, 0x80), bytes(0x80),
            bytes(0xE2, 0x82), bytes(0xF4, 0x90, 0x80, 0x80), bytes(0xF8, 0x88, 0x80, 0x80, 0x80), bytes(0x00),
            bytes(0xFF)};
        for (byte[] b : bad) {
            String hex = HexFormat.ofDelimiter(" ").formatHex(b);
            byte[] text = concat(bytes('a'), b);
            for (int level : new int[] {4, 5}) {
                byte[] p = level == 5 ? props() : new byte[0];
                all.add(after(level, "topic name with " + hex, packet(0x30, raw(text), p), MALFORMED));
                all.add(after(level, "topic filter with " + hex, packet(0x82, u16(1), p, raw(text), bytes(0)),
                        MALFORMED));
                all.add(after(level, "unsubscribe filter with " + hex, packet(0xA2, u16(1), p, raw(text)),
                        MALFORMED));
                all.add(connectCase(level, "will topic with " + hex,
                        connect(level, 0x06, props(), "c-wt", p, raw(text), raw(bytes('x'))), MALFORMED));
                all.add(connectCase(level, "user name with " + hex,
                        connect(level, 0x82, props(), "c-un", raw(text)), MALFORMED));
            }
            all.add(after(5, "User Property with " + hex,
                    packet(0x30, str("t"), props(prop(0x26, concat(str("k"), raw(text))))), MALFORMED));
            all.add(after(5, "Reason String with " + hex,
                    packet(0x40, u16(1), bytes(0), props(prop(0x1F, raw(text)))), MALFORMED));
        }
        all.add(accepted(5, "topic with a four-byte character and a BOM",
                packet(0x30, str("corpus/\uD83D\uDE00\uFEFF"), props()), null));
    }
}
