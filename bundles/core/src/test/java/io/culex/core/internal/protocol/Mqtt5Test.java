package io.culex.core.internal.protocol;

import static io.culex.core.internal.testing.Mqtt5Raw.props;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import io.culex.core.internal.testing.EmbeddedBroker;
import io.culex.core.internal.testing.LeakDetection;
import io.culex.core.internal.testing.Mqtt5Raw;
import io.culex.core.internal.testing.RawClient;

/** MQTT 5 packets byte by byte: properties, reason codes, options. */
@ExtendWith(LeakDetection.class)
class Mqtt5Test {

    private EmbeddedBroker broker;

    @BeforeEach
    void start() {
        broker = new EmbeddedBroker(Map.of("max_keepalive", 100, "max_inflight_messages", 10));
    }

    @AfterEach
    void stop() {
        broker.close();
    }

    private RawClient connect(String id, Mqtt5Raw.Props properties) throws Exception {
        RawClient c = new RawClient(broker.port());
        c.send(Mqtt5Raw.connect(id, true, 60, properties));
        RawClient.Packet connack = c.read();
        assertEquals(RawClient.CONNACK, connack.type);
        assertEquals(0, connack.body[1], "CONNACK reason code");
        return c;
    }

    private RawClient connect(String id) throws Exception {
        return connect(id, props());
    }

    private static void subscribe(RawClient c, String filter, int options, Mqtt5Raw.Props properties,
                                  int expectedReason) throws Exception {
        c.send(Mqtt5Raw.subscribe(1, filter, options, properties));
        RawClient.Packet suback = c.read();
        assertEquals(RawClient.SUBACK, suback.type);
        assertEquals(expectedReason, suback.body[suback.body.length - 1] & 0xFF);
    }

    @Test
    void connackAnnouncesCapabilitiesAndAssignsAnId() throws Exception {
        try (RawClient c = new RawClient(broker.port())) {
            c.send(Mqtt5Raw.connect("", true, 200, props()));
            RawClient.Packet connack = c.read();
            assertEquals(0, connack.body[1]);
            Map<Integer, Object> p = Mqtt5Raw.connackProperties(connack);
            assertTrue(((String) p.get(0x12)).startsWith("auto-"), "assigned client identifier " + p);
            assertEquals(100L, p.get(0x13), "server keep alive = max_keepalive");
            assertEquals(10L, p.get(0x21), "receive maximum = max_inflight_messages");
            assertEquals(10L, p.get(0x22), "topic alias maximum");
            assertNull(p.get(0x2A), "shared subscriptions available (the default)");
        }
    }

    @Test
    void forwardedPropertiesReachTheSubscriberInOrder() throws Exception {
        try (RawClient sub = connect("sub"); RawClient pub = connect("pub")) {
            subscribe(sub, "props", 1, props(), 1);
            pub.send(Mqtt5Raw.publish("props", "{}", 1, false, 3, props()
                    .byteProp(0x01, 1)
                    .stringProp(0x03, "application/json")
                    .stringProp(0x08, "reply/here")
                    .stringProp(0x09, "corr-1")
                    .userProperty("b", "2")
                    .userProperty("a", "1")
                    .userProperty("b", "3")));
            assertEquals(RawClient.PUBACK, pub.read().type);
            Mqtt5Raw.Publish m = Mqtt5Raw.readPublish(sub);
            assertEquals(1, m.payloadFormat);
            assertEquals("application/json", m.contentType);
            assertEquals("reply/here", m.responseTopic);
            assertEquals("corr-1", m.correlationData);
            assertEquals(List.of("b=2", "a=1", "b=3"), m.userProperties);
            assertEquals("{}", m.payload);
        }
    }

    @Test
    void pubackSaysNoMatchingSubscribers() throws Exception {
        try (RawClient pub = connect("pub")) {
            pub.send(Mqtt5Raw.publish("nobody/listens", "x", 1, false, 9, props()));
            RawClient.Packet puback = pub.read();
            assertEquals(RawClient.PUBACK, puback.type);
            assertEquals(0x10, puback.body[2] & 0xFF);
        }
    }

    @Test
    void invalidUtf8WithPayloadFormatIndicatorIsRefused() throws Exception {
        try (RawClient sub = connect("sub"); RawClient pub = connect("pub")) {
            subscribe(sub, "text", 1, props(), 1);
            byte[] packet = Mqtt5Raw.publish("text", "ab", 1, false, 4, props().byteProp(0x01, 1));
            packet[packet.length - 1] = (byte) 0xC3; // a lone lead byte: not UTF-8
            pub.send(packet);
            RawClient.Packet puback = pub.read();
            assertEquals(0x99, puback.body[2] & 0xFF);
            assertNull(sub.poll(300));
        }
    }

    @Test
    void messageExpiryIsForwardedDecrementedAndEnforced() throws Exception {
        try (RawClient pub = connect("pub")) {
            try (RawClient sub = new RawClient(broker.port())) {
                sub.send(Mqtt5Raw.connect("away", true, 60, props().intProp(0x11, 300)));
                sub.read();
                subscribe(sub, "exp/#", 1, props(), 1);
            }
            // messages that had started onward delivery may be redelivered after expiry: wait for offline
            EmbeddedBroker.await("offline", () -> !broker.engine().sessions().get("away").isOnline());
            pub.send(Mqtt5Raw.publish("exp/short", "gone", 1, false, 1, props().intProp(0x02, 1)));
            pub.read();
            pub.send(Mqtt5Raw.publish("exp/long", "kept", 1, false, 2, props().intProp(0x02, 100)));
            pub.read();
            Thread.sleep(1500); // the scenario: a subscriber that stays away longer than the first expiry
            try (RawClient sub = new RawClient(broker.port())) {
                sub.send(Mqtt5Raw.connect("away", false, 60, props().intProp(0x11, 300)));
                assertEquals(1, sub.read().body[0], "session present");
                Mqtt5Raw.Publish m = Mqtt5Raw.readPublish(sub);
                assertEquals("kept", m.payload, "the expired message is not delivered");
                assertTrue(m.messageExpiry != null && m.messageExpiry < 100 && m.messageExpiry > 90,
                        "remaining expiry " + m.messageExpiry);
            }
        }
    }

    @Test
    void sessionExpiryZeroEndsTheSessionAtDisconnect() throws Exception {
        try (RawClient c = new RawClient(broker.port())) {
            c.send(Mqtt5Raw.connect("short-lived", false, 60, props()));
            c.read();
            subscribe(c, "s", 1, props(), 1);
        }
        EmbeddedBroker.await("session removed", () -> broker.engine().sessions().get("short-lived") == null);
    }

    @Test
    void disconnectCanShortenSessionExpiry() throws Exception {
        try (RawClient c = new RawClient(broker.port())) {
            c.send(Mqtt5Raw.connect("changing", false, 60, props().intProp(0x11, 3600)));
            c.read();
            c.send(Mqtt5Raw.disconnect(0, props().intProp(0x11, 0)));
            assertTrue(c.awaitClosed());
        }
        EmbeddedBroker.await("session removed", () -> broker.engine().sessions().get("changing") == null);
    }

    @Test
    void noLocalSuppressesOwnMessages() throws Exception {
        try (RawClient c = connect("self"); RawClient other = connect("other")) {
            subscribe(c, "chat", 0x04 | 1, props(), 1);
            c.send(Mqtt5Raw.publish("chat", "mine", 0, false, 0, props()));
            other.send(Mqtt5Raw.publish("chat", "theirs", 0, false, 0, props()));
            assertEquals("theirs", Mqtt5Raw.readPublish(c).payload);
        }
    }

    @Test
    void retainAsPublishedAndRetainHandling() throws Exception {
        try (RawClient pub = connect("pub")) {
            pub.send(Mqtt5Raw.publish("r/a", "stored", 0, true, 0, props()));
            try (RawClient never = connect("never"); RawClient rap = connect("rap")) {
                subscribe(never, "r/#", 2 << 4, props(), 0); // retain handling 2: no retained messages
                subscribe(rap, "r/#", 0x08, props(), 0);
                assertTrue(Mqtt5Raw.readPublish(rap).retain, "retained on subscribe");
                pub.send(Mqtt5Raw.publish("r/a", "live", 0, true, 0, props()));
                Mqtt5Raw.Publish live = Mqtt5Raw.readPublish(rap);
                assertEquals("live", live.payload);
                assertTrue(live.retain, "retain as published keeps the flag on live messages");
                Mqtt5Raw.Publish plain = Mqtt5Raw.readPublish(never);
                assertEquals("live", plain.payload, "no retained message was sent before the live one");
                assertFalse(plain.retain);
                subscribe(never, "r/#", 1 << 4, props(), 0); // retain handling 1: existing subscription
                assertNull(never.poll(300));
            }
        }
    }

    @Test
    void overlappingSubscriptionsDeliverOneCopyWithEveryIdentifier() throws Exception {
        try (RawClient sub = connect("sub"); RawClient pub = connect("pub")) {
            subscribe(sub, "a/+", 1, props().varIntProp(0x0B, 7), 1);
            subscribe(sub, "a/#", 0, props().varIntProp(0x0B, 300), 0);
            pub.send(Mqtt5Raw.publish("a/b", "x", 1, false, 1, props()));
            Mqtt5Raw.Publish m = Mqtt5Raw.readPublish(sub);
            assertEquals(1, m.qos, "the highest QoS of the two");
            assertEquals(2, m.subscriptionIds.size());
            assertTrue(m.subscriptionIds.containsAll(List.of(7, 300)), m.subscriptionIds.toString());
            sub.ack(RawClient.PUBACK, m.packetId);
            assertNull(sub.poll(300), "one copy only");
        }
    }

    @Test
    void topicAliasesFromTheClient() throws Exception {
        try (RawClient sub = connect("sub"); RawClient pub = connect("pub")) {
            subscribe(sub, "long/topic/name", 0, props(), 0);
            pub.send(Mqtt5Raw.publish("long/topic/name", "first", 0, false, 0, props().shortProp(0x23, 1)));
            pub.send(Mqtt5Raw.publish("", "second", 0, false, 0, props().shortProp(0x23, 1)));
            assertEquals("first", Mqtt5Raw.readPublish(sub).payload);
            Mqtt5Raw.Publish second = Mqtt5Raw.readPublish(sub);
            assertEquals("long/topic/name", second.topic);
            assertEquals("second", second.payload);
            pub.send(Mqtt5Raw.publish("x", "bad", 0, false, 0, props().shortProp(0x23, 11)));
            RawClient.Packet disconnect = pub.read();
            assertEquals(14, disconnect.type, "DISCONNECT");
            assertEquals(0x94, disconnect.body[0] & 0xFF, "topic alias invalid");
        }
    }

    @Test
    void receiveMaximumOfTheClientLimitsInflightMessages() throws Exception {
        try (RawClient sub = connect("slow", props().shortProp(0x21, 2)); RawClient pub = connect("pub")) {
            subscribe(sub, "w", 1, props(), 1);
            for (int i = 0; i < 3; i++) {
                pub.send(Mqtt5Raw.publish("w", "m" + i, 1, false, i + 1, props()));
                pub.read();
            }
            Mqtt5Raw.Publish first = Mqtt5Raw.readPublish(sub);
            Mqtt5Raw.readPublish(sub);
            assertNull(sub.poll(300), "a third would exceed the client's receive maximum");
            sub.ack(RawClient.PUBACK, first.packetId);
            assertEquals("m2", Mqtt5Raw.readPublish(sub).payload);
        }
    }

    @Test
    void maximumPacketSizeOfTheClientDropsLargerMessages() throws Exception {
        try (RawClient sub = connect("small", props().intProp(0x27, 40)); RawClient pub = connect("pub")) {
            subscribe(sub, "m", 0, props(), 0);
            pub.send(Mqtt5Raw.publish("m", "x".repeat(100), 0, false, 0, props()));
            pub.send(Mqtt5Raw.publish("m", "fits", 0, false, 0, props()));
            assertEquals("fits", Mqtt5Raw.readPublish(sub).payload);
        }
    }

    @Test
    void takeoverSendsDisconnectSessionTakenOver() throws Exception {
        try (RawClient first = connect("twin"); RawClient second = connect("twin")) {
            RawClient.Packet disconnect = first.read();
            assertEquals(14, disconnect.type);
            assertEquals(0x8E, disconnect.body[0] & 0xFF);
        }
    }

    @Test
    void keepAliveTimeoutSendsDisconnect0x8D() throws Exception {
        try (RawClient c = new RawClient(broker.port())) {
            c.send(Mqtt5Raw.connect("sleepy", true, 1, props()));
            assertEquals(0, c.read().body[1]);
            RawClient.Packet disconnect = c.read();
            assertEquals(14, disconnect.type);
            assertEquals(0x8D, disconnect.body[0] & 0xFF);
        }
    }

    @Test
    void packetTooLargeSendsDisconnect0x95() throws Exception {
        try (EmbeddedBroker small = new EmbeddedBroker(Map.of("max_packet_size", 200));
             RawClient c = new RawClient(small.port())) {
            c.send(Mqtt5Raw.connect("big", true, 60, props()));
            RawClient.Packet connack = c.read();
            assertEquals(200L, Mqtt5Raw.connackProperties(connack).get(0x27), "maximum packet size announced");
            c.send(Mqtt5Raw.publish("t", "x".repeat(500), 0, false, 0, props()));
            RawClient.Packet disconnect = c.read();
            assertEquals(14, disconnect.type);
            assertEquals(0x95, disconnect.body[0] & 0xFF);
        }
    }

    @Test
    void aClientsDisconnectIsNotAnsweredWithADisconnect() throws Exception {
        try (RawClient c = connect("leaving")) {
            c.send(Mqtt5Raw.disconnect(0, props()));
            // the broker closes the connection without a packet of its own (MQTT 5: only the sender of
            // DISCONNECT speaks; a DISCONNECT back, 0x80, made Paho report "Server Disconnected the client")
            assertThrows(java.io.EOFException.class, c::read);
        }
    }

    @Test
    void disconnectWithWillMessagePublishesTheWill() throws Exception {
        try (RawClient watcher = connect("watcher")) {
            subscribe(watcher, "wills/#", 0, props(), 0);
            try (RawClient c = new RawClient(broker.port())) {
                c.send(Mqtt5Raw.connect("leaving", true, 60, props(), "wills/leaving", "bye", props(), 0));
                c.read();
                c.send(Mqtt5Raw.disconnect(0x04, props()));
                assertTrue(c.awaitClosed());
            }
            assertEquals("bye", Mqtt5Raw.readPublish(watcher).payload);
        }
    }

    @Test
    void willDelayIsCancelledByReconnectingInTime() throws Exception {
        try (RawClient watcher = connect("watcher")) {
            subscribe(watcher, "wills/#", 0, props(), 0);
            RawClient first = new RawClient(broker.port());
            first.send(Mqtt5Raw.connect("delayed", false, 60, props().intProp(0x11, 60), "wills/delayed", "late",
                    props().intProp(0x18, 1), 0));
            first.read();
            first.close();
            try (RawClient back = new RawClient(broker.port())) {
                back.send(Mqtt5Raw.connect("delayed", false, 60, props().intProp(0x11, 60)));
                back.read();
                assertNull(watcher.poll(1500), "reconnected within the delay: no will");
            }
        }
    }

    @Test
    void delayedWillIsPublishedAfterTheDelay() throws Exception {
        try (RawClient watcher = connect("watcher")) {
            subscribe(watcher, "wills/#", 0, props(), 0);
            RawClient dying = new RawClient(broker.port());
            dying.send(Mqtt5Raw.connect("dying", false, 60, props().intProp(0x11, 60), "wills/dying", "late",
                    props().intProp(0x18, 1), 0));
            dying.read();
            long start = System.nanoTime();
            dying.close();
            assertEquals("late", Mqtt5Raw.readPublish(watcher).payload);
            assertTrue(System.nanoTime() - start >= 900_000_000L, "not before the will delay");
        }
    }

    @Test
    void enhancedAuthWithoutAnAuthenticatorForTheMethodIsRefused() throws Exception {
        try (RawClient c = new RawClient(broker.port())) {
            c.send(Mqtt5Raw.connect("auth", true, 60, props().stringProp(0x15, "SCRAM-SHA-1")));
            assertEquals(0x8C, c.read().body[1] & 0xFF);
        }
    }

    @Test
    void unsubackReasonCodes() throws Exception {
        try (RawClient c = connect("u")) {
            subscribe(c, "t", 0, props(), 0);
            byte[] body = {0, 5, 0, 0, 1, 't', 0, 1, 'x'};
            c.send(RawClient.packet(0xA2, body));
            RawClient.Packet unsuback = c.read();
            assertEquals(RawClient.UNSUBACK, unsuback.type);
            assertEquals(0x00, unsuback.body[3] & 0xFF);
            assertEquals(0x11, unsuback.body[4] & 0xFF, "no subscription existed");
        }
    }
}
