package io.culex.core.internal.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import io.culex.core.internal.testing.EmbeddedBroker;
import io.culex.core.internal.testing.LeakDetection;
import io.culex.core.internal.testing.PahoClient;
import io.culex.core.internal.testing.RawClient;

/** Broker-wide and listener limits from the configuration. */
@ExtendWith(LeakDetection.class)
class LimitsTest {

    @Test
    void maxConnectionsRefusesTheConnectionOverTheLimit() throws Exception {
        try (EmbeddedBroker broker = new EmbeddedBroker(Map.of(), Map.of("max_connections", 1));
             RawClient first = new RawClient(broker.port())) {
            assertEquals(0, first.connect("first", true, 60));
            try (RawClient second = new RawClient(broker.port())) {
                assertTrue(second.awaitClosed(), "the second connection is closed at once");
            }
            first.send(0xC0, 0);
            assertEquals(RawClient.PINGRESP, first.read().type, "the first is unaffected");
        }
    }

    @Test
    void messageSizeLimitDropsLargerPayloadsButKeepsTheConnection() throws Exception {
        try (EmbeddedBroker broker = new EmbeddedBroker(Map.of("message_size_limit", 10));
             PahoClient sub = PahoClient.connect(broker.uri(), "sub");
             RawClient pub = new RawClient(broker.port())) {
            sub.subscribe("size", 1);
            assertEquals(0, pub.connect("pub", true, 60));
            pub.publish("size", "this payload is too long", 1, false, 1);
            RawClient.Packet ack = pub.read();
            assertEquals(RawClient.PUBACK, ack.type, "acknowledged, as Mosquitto does");
            pub.publish("size", "short", 1, false, 2);
            assertEquals(RawClient.PUBACK, pub.read().type);
            assertEquals("short", sub.next().text(), "only the short one is routed");
            assertEquals(1, broker.engine().statistics().publishDropped());
        }
    }

    @Test
    void retainUnavailableDisconnectsARetainingPublisher() throws Exception {
        try (EmbeddedBroker broker = new EmbeddedBroker(Map.of("retain_available", false));
             RawClient pub = new RawClient(broker.port())) {
            assertEquals(0, pub.connect("pub", true, 60));
            pub.publish("r", "keep me", 0, true, 0);
            assertTrue(pub.awaitClosed());
            assertEquals(0, broker.engine().retained().size());
        }
    }

    @Test
    void upgradeOutgoingQosDeliversAtTheSubscriptionQos() throws Exception {
        try (EmbeddedBroker broker = new EmbeddedBroker(Map.of("upgrade_outgoing_qos", true));
             PahoClient sub = PahoClient.connect(broker.uri(), "sub");
             PahoClient pub = PahoClient.connect(broker.uri(), "pub")) {
            sub.subscribe("up", 2);
            pub.publish("up", "x", 0, false);
            assertEquals(2, sub.next().message.getQos());
        }
    }

    @Test
    void withoutUpgradeTheMessageQosIsKept() throws Exception {
        try (EmbeddedBroker broker = new EmbeddedBroker();
             PahoClient sub = PahoClient.connect(broker.uri(), "sub");
             PahoClient pub = PahoClient.connect(broker.uri(), "pub")) {
            sub.subscribe("up", 2);
            pub.publish("up", "x", 1, false);
            assertEquals(1, sub.next().message.getQos());
        }
    }

    @Test
    void clientsCannotPublishToSys() throws Exception {
        try (EmbeddedBroker broker = new EmbeddedBroker();
             PahoClient sub = PahoClient.connect(broker.uri(), "sub");
             PahoClient pub = PahoClient.connect(broker.uri(), "pub")) {
            sub.subscribe("$SYS/#", 0);
            sub.subscribe("marker", 0);
            pub.publish("$SYS/broker/fake", "x", 0, false);
            pub.publish("marker", "m", 0, false);
            assertEquals("marker", sub.next().topic, "the $SYS publish was not routed");
            assertNull(sub.poll(200), "not later either");
        }
    }
}
