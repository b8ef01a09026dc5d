package io.culex.core.internal.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import io.culex.core.internal.testing.EmbeddedBroker;
import io.culex.core.internal.testing.LeakDetection;
import io.culex.core.internal.testing.PahoClient;
import io.culex.core.internal.testing.RawClient;

/** Session state across connections: persistence, redelivery, takeover, flow control, queue limits. */
@ExtendWith(LeakDetection.class)
class SessionTest {

    @Test
    void persistentSessionKeepsSubscriptionsAndQueuesWhileOffline() throws Exception {
        try (EmbeddedBroker broker = new EmbeddedBroker();
             PahoClient pub = PahoClient.connect(broker.uri(), "pub")) {
            PahoClient sub = new PahoClient(broker.uri(), "durable");
            sub.connect(false);
            sub.subscribe("jobs/#", 1);
            sub.disconnect();
            sub.close();
            pub.publish("jobs/1", "first", 1, false);
            pub.publish("jobs/2", "second", 2, false);
            pub.publish("jobs/3", "lost", 0, false); // QoS 0 is not queued for offline clients by default
            EmbeddedBroker.await("queued", () -> broker.engine().sessions().get("durable").pendingMessages() == 2);

            try (RawClient again = new RawClient(broker.port())) {
                RawClient.Packet connack;
                again.send(RawClient.connectPacket("MQTT", 4, "durable", false, 60, null, null, 0, false, null, null));
                connack = again.read();
                assertEquals(1, connack.body[0], "session present");
                RawClient.Packet first = again.read();
                assertEquals("first", first.payloadText());
                assertEquals(1, first.qos());
                again.ack(RawClient.PUBACK, first.publishPacketId());
                RawClient.Packet second = again.read();
                assertEquals("second", second.payloadText());
                assertEquals(1, second.qos(), "downgraded to the subscription's QoS");
                again.ack(RawClient.PUBACK, second.publishPacketId());
                assertNull(again.poll(300));
            }
        }
    }

    @Test
    void cleanSessionDiscardsState() throws Exception {
        try (EmbeddedBroker broker = new EmbeddedBroker()) {
            PahoClient sub = new PahoClient(broker.uri(), "c");
            sub.connect(false);
            sub.subscribe("t", 1);
            sub.disconnect();
            sub.close();
            try (RawClient again = new RawClient(broker.port())) {
                again.send(RawClient.connectPacket("MQTT", 4, "c", true, 60, null, null, 0, false, null, null));
                assertEquals(0, again.read().body[0], "no session present with clean session");
            }
            EmbeddedBroker.await("session gone", () -> broker.engine().sessions().get("c") == null);
            assertEquals(0, broker.engine().subscriptions().size());
        }
    }

    @Test
    void unacknowledgedMessagesAreRedeliveredWithDupAndSameId() throws Exception {
        try (EmbeddedBroker broker = new EmbeddedBroker();
             PahoClient pub = PahoClient.connect(broker.uri(), "pub")) {
            int packetId;
            try (RawClient sub = new RawClient(broker.port())) {
                assertEquals(0, sub.connect("forgetful", false, 60));
                sub.subscribe(1, "r", 2);
                pub.publish("r", "once", 2, false);
                RawClient.Packet p = sub.read();
                assertFalse(p.dup());
                packetId = p.publishPacketId();
            } // closed without PUBREC
            try (RawClient sub = new RawClient(broker.port())) {
                assertEquals(0, sub.connect("forgetful", false, 60));
                RawClient.Packet again = sub.read();
                assertEquals(RawClient.PUBLISH, again.type);
                assertTrue(again.dup());
                assertEquals(packetId, again.publishPacketId());
                assertEquals("once", again.payloadText());
                sub.ack(RawClient.PUBREC, packetId);
                RawClient.Packet pubrel = sub.read();
                assertEquals(RawClient.PUBREL, pubrel.type);
                assertEquals(2, pubrel.flags);
            } // closed without PUBCOMP: the PUBREL is resent
            try (RawClient sub = new RawClient(broker.port())) {
                assertEquals(0, sub.connect("forgetful", false, 60));
                RawClient.Packet pubrel = sub.read();
                assertEquals(RawClient.PUBREL, pubrel.type);
                assertEquals(packetId, pubrel.u16(0));
                sub.ack(RawClient.PUBCOMP, packetId);
                assertNull(sub.poll(300));
            }
        }
    }

    @Test
    void incomingQos2RetransmissionIsRoutedOnce() throws Exception {
        try (EmbeddedBroker broker = new EmbeddedBroker();
             PahoClient sub = PahoClient.connect(broker.uri(), "sub");
             RawClient pub = new RawClient(broker.port())) {
            sub.subscribe("q2", 2);
            assertEquals(0, pub.connect("pub", true, 60));
            pub.publish("q2", "exactly once", 2, false, 7);
            assertEquals(RawClient.PUBREC, pub.read().type);
            pub.send(RawClient.publishPacket("q2", "exactly once".getBytes(), 2, false, true, 7));
            assertEquals(RawClient.PUBREC, pub.read().type);
            pub.ack(RawClient.PUBREL, 7);
            RawClient.Packet pubcomp = pub.read();
            assertEquals(RawClient.PUBCOMP, pubcomp.type);
            assertEquals(7, pubcomp.u16(0));
            assertEquals("exactly once", sub.next().text());
            assertNull(sub.poll(300));
        }
    }

    @Test
    void takeoverClosesTheOldConnectionAndKeepsTheSession() throws Exception {
        try (EmbeddedBroker broker = new EmbeddedBroker();
             PahoClient watcher = PahoClient.connect(broker.uri(), "watcher")) {
            watcher.subscribe("wills/#", 1);
            try (RawClient first = new RawClient(broker.port()); RawClient second = new RawClient(broker.port())) {
                first.send(RawClient.connectPacket("MQTT", 4, "twin", false, 60, "wills/twin", "gone", 1, false,
                        null, null));
                assertEquals(0, first.read().body[1]);
                first.subscribe(1, "for/twin", 1);
                assertEquals(0, second.connect("twin", false, 60));
                assertTrue(first.awaitClosed(), "the old connection is closed");
                assertEquals("gone", watcher.next().text(), "the old connection's will is published");
                assertTrue(broker.engine().subscriptions().size() >= 2);
                watcher.publish("for/twin", "still subscribed", 1, false);
                assertEquals("still subscribed", second.read().payloadText());
            }
        }
    }

    @Test
    void inflightWindowLimitsUnacknowledgedMessages() throws Exception {
        try (EmbeddedBroker broker = new EmbeddedBroker(Map.of("max_inflight_messages", 2));
             PahoClient pub = PahoClient.connect(broker.uri(), "pub");
             RawClient sub = new RawClient(broker.port())) {
            assertEquals(0, sub.connect("slow", true, 60));
            sub.subscribe(1, "w", 1);
            for (int i = 0; i < 4; i++) {
                pub.publish("w", "m" + i, 1, false);
            }
            RawClient.Packet a = sub.read();
            RawClient.Packet b = sub.read();
            assertEquals("m0", a.payloadText());
            assertEquals("m1", b.payloadText());
            assertNull(sub.poll(300), "a third message would exceed max_inflight_messages");
            sub.ack(RawClient.PUBACK, a.publishPacketId());
            assertEquals("m2", sub.read().payloadText());
            sub.ack(RawClient.PUBACK, b.publishPacketId());
            assertEquals("m3", sub.read().payloadText());
        }
    }

    @Test
    void queueLimitDropsOldestQos0First() throws Exception {
        try (EmbeddedBroker broker = new EmbeddedBroker(Map.of("max_queued_messages", 3, "queue_qos0_messages",
                true));
             PahoClient pub = PahoClient.connect(broker.uri(), "pub")) {
            PahoClient sub = new PahoClient(broker.uri(), "offline");
            sub.connect(false);
            sub.subscribe("q", 1);
            sub.disconnect();
            sub.close();
            pub.publish("q", "zero-a", 0, false);
            pub.publish("q", "one-a", 1, false);
            pub.publish("q", "zero-b", 0, false);
            pub.publish("q", "one-b", 1, false); // full: drops zero-a
            pub.publish("q", "one-c", 1, false); // full: drops zero-b
            pub.publish("q", "one-d", 1, false); // full, no QoS 0 left: dropped itself
            EmbeddedBroker.await("publishes processed", () -> broker.engine().statistics().publishDropped() == 3);
            try (RawClient again = new RawClient(broker.port())) {
                assertEquals(0, again.connect("offline", false, 60));
                List<String> got = new ArrayList<>();
                RawClient.Packet p;
                while ((p = again.poll(300)) != null) {
                    got.add(p.payloadText());
                    again.ack(RawClient.PUBACK, p.publishPacketId());
                }
                assertEquals(List.of("one-a", "one-b", "one-c"), got);
            }
        }
    }

    @Test
    void queuedBytesLimitBoundsTheQueue() throws Exception {
        try (EmbeddedBroker broker = new EmbeddedBroker(Map.of("max_queued_bytes", 10));
             PahoClient pub = PahoClient.connect(broker.uri(), "pub")) {
            PahoClient sub = new PahoClient(broker.uri(), "bytes");
            sub.connect(false);
            sub.subscribe("b", 1);
            sub.disconnect();
            sub.close();
            pub.publish("b", "12345", 1, false);
            pub.publish("b", "67890", 1, false);
            pub.publish("b", "overflow", 1, false);
            EmbeddedBroker.await("dropped", () -> broker.engine().statistics().publishDropped() == 1);
            assertEquals(2, broker.engine().sessions().get("bytes").pendingMessages());
        }
    }

    @Test
    void expiredPersistentSessionIsRemoved() throws Exception {
        try (EmbeddedBroker broker = new EmbeddedBroker(Map.of("persistent_client_expiration", 1))) {
            PahoClient sub = new PahoClient(broker.uri(), "expiring");
            sub.connect(false);
            sub.subscribe("e", 1);
            sub.disconnect();
            sub.close();
            assertNotNull(broker.engine().sessions().get("expiring"));
            EmbeddedBroker.await("expiry", () -> broker.engine().sessions().get("expiring") == null);
            assertEquals(0, broker.engine().subscriptions().size());
        }
    }
}
