package io.culex.core.internal.validation;

import static io.culex.core.internal.validation.Wire.bytes;
import static io.culex.core.internal.validation.Wire.connect;
import static io.culex.core.internal.validation.Wire.packet;
import static io.culex.core.internal.validation.Wire.prop;
import static io.culex.core.internal.validation.Wire.props;
import static io.culex.core.internal.validation.Wire.raw;
import static io.culex.core.internal.validation.Wire.str;
import static io.culex.core.internal.validation.Wire.u16;
import static io.culex.core.internal.validation.Wire.u32;
import static io.culex.core.internal.validation.Wire.vbi;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import io.culex.core.internal.testing.EmbeddedBroker;
import io.culex.core.internal.testing.LeakDetection;
import io.culex.core.internal.testing.RawClient;

/**
 * A structure-aware fuzzer of the inbound path (validator, decoder, CONNECT/PUBLISH/SUBSCRIBE handling): valid
 * packets of every type, MQTT 3.1.1 and 5, mutated (bit flips, boundary bytes, lengths off by one, cuts, splices,
 * repeats) and sent over real sockets, with Netty's leak detector at PARANOID. Every connection must end with only
 * well-formed server packets on the wire (a DISCONNECT only with a defined reason code), no exception may escape
 * the broker's handling, no buffer may leak, and the broker must still serve afterwards.
 *
 * <p>Bounded for the test command: {@code culex.fuzz.seconds} (default 15) and {@code culex.fuzz.seed} (default
 * random, printed) make a longer or repeated run: {@code itest/fuzz-inbound.sh 600}.
 */
@ExtendWith(LeakDetection.class)
class PacketFuzzTest {

    /** DISCONNECT reason codes a server may send (3.14.2.1). */
    private static final Set<Integer> SERVER_DISCONNECT_REASONS = Set.of(0x00, 0x80, 0x81, 0x82, 0x83, 0x87, 0x89,
            0x8B, 0x8D, 0x8E, 0x8F, 0x90, 0x93, 0x94, 0x95, 0x96, 0x97, 0x98, 0x99, 0x9A, 0x9B, 0x9C, 0x9D, 0x9E, 0x9F,
            0xA0, 0xA1, 0xA2);
    /** Packet types a server sends: CONNACK, PUBLISH, PUBACK..PUBCOMP, SUBACK, UNSUBACK, PINGRESP, DISCONNECT, AUTH. */
    private static final Set<Integer> SERVER_TYPES = Set.of(2, 3, 4, 5, 6, 7, 9, 11, 13, 14, 15);
    private static final int[] BOUNDARY_BYTES = {0x00, 0x01, 0x02, 0x03, 0x7F, 0x80, 0xBF, 0xC0, 0xFF, '+', '#', '/'};

    @Test
    void mutatedPacketsGetDefinedAnswersAndLeaveTheBrokerServing() throws Exception {
        long seconds = Long.getLong("culex.fuzz.seconds", 15);
        long seed = Long.getLong("culex.fuzz.seed", System.nanoTime());
        System.out.println("PacketFuzzTest: seed " + seed + " for " + seconds + " s (-Dculex.fuzz.seed=" + seed + ")");
        Random random = new Random(seed);
        try (EmbeddedBroker broker = new EmbeddedBroker(Map.of("max_packet_size", 4096, "max_topic_alias", 5))) {
            long deadline = System.nanoTime() + seconds * 1_000_000_000L;
            int runs = 0;
            while (System.nanoTime() < deadline) {
                runOne(broker, random, runs++);
            }
            assertEquals(0, broker.engine().stats().internalErrors(), "exceptions escaped the broker's handling");
            assertStillServes(broker);
            System.out.println("PacketFuzzTest: " + runs + " connections");
            assertTrue(runs > 100, "the fuzzer ran (" + runs + " connections)");
        }
    }

    private static void runOne(EmbeddedBroker broker, Random random, int run) throws IOException {
        int level = random.nextInt(10) == 0 ? 3 : random.nextBoolean() ? 4 : 5;
        ByteArrayOutputStream sent = new ByteArrayOutputStream();
        byte[] connect = connect(level, 0x02, props(), "fuzz-" + run);
        sent.writeBytes(random.nextInt(6) == 0 ? mutate(connect, random) : connect);
        int packets = 1 + random.nextInt(3);
        List<byte[]> seeds = seeds(level == 5);
        for (int i = 0; i < packets; i++) {
            byte[] p = seeds.get(random.nextInt(seeds.size()));
            if (random.nextInt(5) == 0) {
                p = Wire.concat(p, seeds.get(random.nextInt(seeds.size()))); // two packets, mutated across both
            }
            sent.writeBytes(random.nextInt(8) == 0 ? p : mutate(p, random));
        }
        sent.writeBytes(bytes(0xC0, 0)); // PINGREQ: answered if the connection is still up
        byte[] input = sent.toByteArray();
        byte[] answer;
        try (Socket socket = new Socket("127.0.0.1", broker.port())) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(input);
            socket.shutdownOutput(); // the end of the input closes the connection: every case ends
            answer = readToEnd(socket.getInputStream());
        }
        String context = "seed run " + run + ", sent " + HexFormat.of().formatHex(input);
        checkServerPackets(answer, context);
    }

    private static byte[] readToEnd(InputStream in) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buf = new byte[4096];
        try {
            for (int n; (n = in.read(buf)) >= 0; ) {
                out.write(buf, 0, n);
            }
        } catch (SocketTimeoutException e) {
            fail("the broker neither answered nor closed within 10 s");
        } catch (IOException reset) {
            // closed with unread input: RST, as a broker closing on garbage may
        }
        return out.toByteArray();
    }

    /** What the broker wrote parses as whole server packets; a DISCONNECT has a defined reason code. */
    private static void checkServerPackets(byte[] answer, String context) {
        int i = 0;
        while (i < answer.length) {
            int type = (answer[i] & 0xFF) >>> 4;
            assertTrue(SERVER_TYPES.contains(type), "server packet type " + type + " (" + context + ")");
            int length = 0;
            int position = i + 1;
            for (int digit = 0; ; digit++) {
                assertTrue(position < answer.length && digit < 4, "remaining length (" + context + ")");
                int b = answer[position++] & 0xFF;
                length |= (b & 0x7F) << (7 * digit);
                if ((b & 0x80) == 0) {
                    break;
                }
            }
            assertTrue(position + length <= answer.length, "whole packet (" + context + ")");
            if (type == 14 && length > 0) {
                int reason = answer[position] & 0xFF;
                assertTrue(SERVER_DISCONNECT_REASONS.contains(reason),
                        String.format("DISCONNECT reason 0x%02X (%s)", reason, context));
            }
            i = position + length;
        }
    }

    private static void assertStillServes(EmbeddedBroker broker) throws Exception {
        try (RawClient sub = new RawClient(broker.port()); RawClient pub = new RawClient(broker.port())) {
            assertEquals(0, sub.connect("after-fuzz-sub", true, 60));
            sub.subscribe(1, "after/fuzz", 1);
            assertEquals(0, pub.connect("after-fuzz-pub", true, 60));
            pub.publish("after/fuzz", "still here", 1, false, 1);
            RawClient.Packet p = sub.read();
            assertEquals(RawClient.PUBLISH, p.type);
            assertEquals("still here", p.payloadText());
        }
    }

    // ---------------------------------------------------------------- seeds and mutations

    private static List<byte[]> seeds(boolean mqtt5) {
        byte[] none = mqtt5 ? props() : new byte[0];
        byte[] publishProps = mqtt5 ? props(prop(0x01, bytes(1)), prop(0x02, u32(30)), prop(0x03, str("t/p")),
                prop(0x08, str("fuzz/reply")), prop(0x09, raw(bytes(1, 2))), prop(0x23, u16(2)),
                prop(0x26, Wire.concat(str("k"), str("v")))) : new byte[0];
        byte[] reasonProps = mqtt5 ? Wire.concat(bytes(0), props(prop(0x1F, str("r")))) : new byte[0];
        return List.of(
                packet(0x30, str("fuzz/a"), none, bytes('x')),
                packet(0x32, str("fuzz/b"), u16(7), publishProps, bytes('y', 'z')),
                packet(0x35, str("fuzz/c"), u16(8), none, bytes('q')),
                packet(0x40, u16(7), reasonProps),
                packet(0x50, u16(8), reasonProps),
                packet(0x62, u16(8), reasonProps),
                packet(0x70, u16(9), reasonProps),
                packet(0x82, u16(3), mqtt5 ? props(prop(0x0B, vbi(5))) : new byte[0], str("fuzz/#"), bytes(0x01),
                        str("$share/g/fuzz/+"), bytes(0x02)),
                packet(0xA2, u16(4), none, str("fuzz/#")),
                packet(0xC0),
                packet(0xE0, mqtt5 ? Wire.concat(bytes(0), props(prop(0x11, u32(0)))) : new byte[0]),
                mqtt5 ? packet(0xF0, bytes(0x19), props(prop(0x15, str("SCRAM")))) : packet(0xC0),
                connect(mqtt5 ? 5 : 4, 0xEE, props(prop(0x11, u32(10)), prop(0x21, u16(5))), "fuzz-again",
                        mqtt5 ? props(prop(0x18, u32(1))) : new byte[0], str("fuzz/will"), raw(bytes('w')),
                        str("user"), raw(bytes('p'))));
    }

    private static byte[] mutate(byte[] original, Random random) {
        byte[] p = original.clone();
        int mutations = 1 + random.nextInt(3);
        for (int m = 0; m < mutations && p.length > 0; m++) {
            int at = random.nextInt(p.length);
            switch (random.nextInt(8)) {
                case 0:
                    p[at] ^= (byte) (1 << random.nextInt(8));
                    break;
                case 1:
                    p[at] = (byte) BOUNDARY_BYTES[random.nextInt(BOUNDARY_BYTES.length)];
                    break;
                case 2: // the remaining length off by a little
                    if (p.length > 1) {
                        p[1] = (byte) ((p[1] & 0xFF) + random.nextInt(5) - 2);
                    }
                    break;
                case 3: // cut
                    p = Arrays.copyOf(p, at);
                    break;
                case 4: // delete a run
                    int end = Math.min(p.length, at + 1 + random.nextInt(4));
                    p = Wire.concat(Arrays.copyOfRange(p, 0, at), Arrays.copyOfRange(p, end, p.length));
                    break;
                case 5: // insert random bytes
                    byte[] noise = new byte[1 + random.nextInt(4)];
                    random.nextBytes(noise);
                    p = Wire.concat(Arrays.copyOfRange(p, 0, at), noise, Arrays.copyOfRange(p, at, p.length));
                    break;
                case 6: // repeat a run
                    int to = Math.min(p.length, at + 1 + random.nextInt(6));
                    p = Wire.concat(Arrays.copyOfRange(p, 0, to), Arrays.copyOfRange(p, at, p.length));
                    break;
                default: // a fixed header type or flags changed
                    p[0] = (byte) random.nextInt(256);
                    break;
            }
        }
        return p;
    }
}
