package io.culex.core.internal.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import io.culex.core.internal.testing.EmbeddedBroker;
import io.culex.core.internal.testing.LeakDetection;
import io.culex.core.internal.testing.RawClient;

/**
 * Bad input closes the offending connection and nothing else: each case is followed by a check that a healthy
 * client still gets its messages, and the class fails if any buffer leaked.
 */
@ExtendWith(LeakDetection.class)
class MalformedInputTest {

    private static EmbeddedBroker broker;

    @BeforeAll
    static void start() {
        broker = new EmbeddedBroker(Map.of("max_packet_size", 10_000));
    }

    @AfterAll
    static void stop() {
        broker.close();
    }

    @AfterEach
    void brokerStillServes() throws Exception {
        try (RawClient sub = new RawClient(broker.port()); RawClient pub = new RawClient(broker.port())) {
            assertEquals(0, sub.connect("healthy-sub", true, 60));
            sub.subscribe(1, "health", 1);
            assertEquals(0, pub.connect("healthy-pub", true, 60));
            pub.publish("health", "ok", 0, false, 0);
            RawClient.Packet p = sub.read();
            assertEquals(RawClient.PUBLISH, p.type);
            assertEquals("ok", p.payloadText());
        }
    }

    private RawClient connected(String id) throws Exception {
        RawClient c = new RawClient(broker.port());
        assertEquals(0, c.connect(id, true, 60));
        return c;
    }

    @Test
    void remainingLengthOfFiveBytes() throws Exception {
        try (RawClient c = connected("rl")) {
            c.send(0x30, 0xFF, 0xFF, 0xFF, 0xFF, 0x7F);
            assertTrue(c.awaitClosed());
        }
    }

    @Test
    void subscribeWithReservedFlagsClear() throws Exception {
        try (RawClient c = connected("flags")) {
            c.send(0x80, 6, 0, 1, 0, 1, 'a', 0); // SUBSCRIBE must have flags 0b0010
            assertTrue(c.awaitClosed());
        }
    }

    @Test
    void invalidUtf8InTopic() throws Exception {
        try (RawClient c = connected("utf8")) {
            c.send(0x30, 5, 0, 2, 0xC3, 0x28, 'x'); // 0xC3 0x28 is not UTF-8
            assertTrue(c.awaitClosed());
        }
    }

    @Test
    void nulCharacterInTopic() throws Exception {
        try (RawClient c = connected("nul")) {
            c.send(RawClient.publishPacket("a\u0000b", new byte[0], 0, false, false, 0));
            assertTrue(c.awaitClosed());
        }
    }

    @Test
    void publishBeforeConnect() throws Exception {
        try (RawClient c = new RawClient(broker.port())) {
            c.publish("t", "x", 0, false, 0);
            assertTrue(c.awaitClosed());
        }
    }

    @Test
    void secondConnect() throws Exception {
        try (RawClient c = connected("twice")) {
            c.send(RawClient.connectPacket("MQTT", 4, "twice", true, 60, null, null, 0, false, null, null));
            assertTrue(c.awaitClosed());
        }
    }

    @Test
    void wildcardInPublishTopic() throws Exception {
        try (RawClient c = connected("wild")) {
            c.publish("a/+/b", "x", 0, false, 0);
            assertTrue(c.awaitClosed());
        }
    }

    @Test
    void invalidSubscriptionFilter() throws Exception {
        try (RawClient c = connected("badfilter")) {
            c.send(0x82, 7, 0, 1, 0, 2, 'a', '#', 0);
            assertTrue(c.awaitClosed());
        }
    }

    @Test
    void oversizePacket() throws Exception {
        try (RawClient c = connected("big")) {
            c.send(RawClient.publishPacket("big", new byte[20_000], 1, false, false, 1));
            assertTrue(c.awaitClosed());
        }
    }

    @Test
    void qos3Publish() throws Exception {
        try (RawClient c = connected("q3")) {
            c.send(0x36, 5, 0, 1, 't', 0, 1);
            assertTrue(c.awaitClosed());
        }
    }

    @Test
    void connectWithReservedFlagSet() throws Exception {
        try (RawClient c = new RawClient(broker.port())) {
            byte[] connect = RawClient.connectPacket("MQTT", 4, "r", true, 60, null, null, 0, false, null, null);
            connect[9] |= 0x01; // the reserved connect flag
            c.send(connect);
            assertTrue(c.awaitClosed());
        }
    }

    @Test
    void passwordWithoutUserName() throws Exception {
        try (RawClient c = new RawClient(broker.port())) {
            c.send(RawClient.connectPacket("MQTT", 4, "p", true, 60, null, null, 0, false, null, "secret"));
            assertTrue(c.awaitClosed());
        }
    }

    @Test
    void unknownProtocolNameGetsConnackOne() throws Exception {
        try (RawClient c = new RawClient(broker.port())) {
            c.send(RawClient.connectPacket("MQTX", 4, "p", true, 60, null, null, 0, false, null, null));
            RawClient.Packet connack = c.read();
            assertEquals(RawClient.CONNACK, connack.type);
            assertEquals(1, connack.body[1]);
            assertTrue(c.awaitClosed());
        }
    }

    @Test
    void unknownProtocolLevelGetsConnackOne() throws Exception {
        try (RawClient c = new RawClient(broker.port())) {
            c.send(RawClient.connectPacket("MQTT", 7, "p", true, 60, null, null, 0, false, null, null));
            assertEquals(1, c.read().body[1]);
            assertTrue(c.awaitClosed());
        }
    }

    @Test
    void garbageInsteadOfConnect() throws Exception {
        try (RawClient c = new RawClient(broker.port())) {
            c.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            assertTrue(c.awaitClosed());
        }
    }

    @Test
    void willFlagsWithoutWill() throws Exception {
        try (RawClient c = new RawClient(broker.port())) {
            byte[] connect = RawClient.connectPacket("MQTT", 4, "w", true, 60, null, null, 0, false, null, null);
            connect[9] |= 0x20; // will retain without will flag
            c.send(connect);
            assertTrue(c.awaitClosed());
        }
    }

    @Test
    void pubrelWithWrongFlags() throws Exception {
        try (RawClient c = connected("pubrel")) {
            c.send(0x60, 2, 0, 1); // PUBREL must have flags 0b0010
            assertTrue(c.awaitClosed());
        }
    }
}
