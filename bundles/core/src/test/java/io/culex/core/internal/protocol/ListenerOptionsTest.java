package io.culex.core.internal.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import io.culex.core.internal.settings.ListenerSettings;
import io.culex.core.internal.testing.EmbeddedBroker;
import io.culex.core.internal.testing.LeakDetection;
import io.culex.core.internal.testing.PahoClient;
import io.culex.core.internal.testing.RawClient;

/** Per-listener options, and refusal of the ones this version cannot honour. */
@ExtendWith(LeakDetection.class)
class ListenerOptionsTest {

    @Test
    void optionsNotSupportedYetAreRefusedNotIgnored() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ListenerSettings.from(
                Map.of("port", 8883, "psk_hint", "hint", "culex.source", "f:3")));
        assertTrue(e.getMessage().contains("psk_hint not supported yet"), e.getMessage());
        assertTrue(e.getMessage().contains("(f:3)"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> ListenerSettings.from(
                Map.of("port", 1883, "mount_point", "wild/+/")));
        assertThrows(IllegalArgumentException.class, () -> ListenerSettings.from(
                Map.of("port", 8080, "protocol", "http")));
    }

    @Test
    void bindInterfaceListensOnTheInterfacesAddresses() throws Exception {
        try (EmbeddedBroker broker = new EmbeddedBroker()) {
            io.culex.core.internal.listener.MqttListener onLoopback = new io.culex.core.internal.listener.MqttListener(
                    ListenerSettings.from(Map.of("port", 0, "bind_interface", "lo", "socket_domain", "ipv4")),
                    broker.engine());
            onLoopback.start();
            try (RawClient c = new RawClient(onLoopback.boundPort())) {
                assertEquals(0, c.connect("via-lo", true, 60));
            } finally {
                onLoopback.stop();
            }
            io.culex.core.internal.listener.MqttListener unknown = new io.culex.core.internal.listener.MqttListener(
                    ListenerSettings.from(Map.of("port", 0, "bind_interface", "no-such-if0")), broker.engine());
            assertThrows(RuntimeException.class, unknown::start);
        }
    }

    @Test
    void mountPointIsolatesTheListenersClients() throws Exception {
        try (EmbeddedBroker broker = new EmbeddedBroker(Map.of(), Map.of("mount_point", "tenant-a/"));
             RawClient sub = new RawClient(broker.port()); RawClient pub = new RawClient(broker.port())) {
            assertEquals(0, sub.connect("sub", true, 60));
            sub.subscribe(1, "sensors/#", 0);
            assertEquals(0, pub.connect("pub", true, 60));
            pub.publish("sensors/t", "21", 0, false, 0);
            RawClient.Packet p = sub.read();
            assertEquals("sensors/t", p.topic(), "the client sees topics without the mount point");
            EmbeddedBroker.await("mounted subscription", () -> broker.engine().subscriptions().size() == 1);
            assertTrue(broker.engine().sessions().get("sub").subscriptionSnapshot().containsKey("tenant-a/sensors/#"));
            java.util.List<io.culex.core.internal.routing.Message> retained = new java.util.ArrayList<>();
            pub.publish("kept", "r", 0, true, 0);
            EmbeddedBroker.await("retained", () -> broker.engine().retained().size() == 1);
            broker.engine().retained().match("tenant-a/kept", retained);
            assertEquals(1, retained.size(), "stored under the mount point");
            retained.forEach(io.culex.core.internal.routing.Message::release);
        }
    }

    @Test
    void maxQosDowngradesSubscriptionsAndRefusesHigherPublishes() throws Exception {
        try (EmbeddedBroker broker = new EmbeddedBroker(Map.of(), Map.of("max_qos", 1));
             RawClient c = new RawClient(broker.port())) {
            assertEquals(0, c.connect("limited", true, 60));
            c.send(0x82, 6, 0, 1, 0, 1, 't', 2);
            RawClient.Packet suback = c.read();
            assertEquals(1, suback.body[2], "granted QoS is max_qos");
            c.publish("t", "x", 2, false, 5);
            assertTrue(c.awaitClosed());
        }
    }

    @Test
    void usernameBecomesClientId() throws Exception {
        try (EmbeddedBroker broker = new EmbeddedBroker(Map.of(), Map.of("use_username_as_clientid", true));
             RawClient named = new RawClient(broker.port()); RawClient anonymous = new RawClient(broker.port())) {
            named.send(RawClient.connectPacket("MQTT", 4, "ignored", true, 60, null, null, 0, false, "alice", null));
            assertEquals(0, named.read().body[1]);
            EmbeddedBroker.await("alice", () -> broker.engine().connected().containsKey("alice"));
            assertTrue(!broker.engine().connected().containsKey("ignored"));
            assertEquals(5, anonymous.connect("nobody", true, 60));
        }
    }

    @Test
    void maxInflightBytesLimitsUnacknowledgedPayload() throws Exception {
        try (EmbeddedBroker broker = new EmbeddedBroker(Map.of("max_inflight_bytes", 8));
             PahoClient pub = PahoClient.connect(broker.uri(), "pub");
             RawClient sub = new RawClient(broker.port())) {
            assertEquals(0, sub.connect("bytes", true, 60));
            sub.subscribe(1, "b", 1);
            pub.publish("b", "123456", 1, false);
            pub.publish("b", "789012", 1, false);
            pub.publish("b", "345678", 1, false);
            RawClient.Packet first = sub.read();
            RawClient.Packet second = sub.read();
            assertEquals("789012", second.payloadText(), "6 bytes in flight are below the 8 byte limit");
            assertNull(sub.poll(300), "12 bytes in flight: the third waits");
            sub.ack(RawClient.PUBACK, first.publishPacketId());
            assertEquals("345678", sub.read().payloadText());
        }
    }
}
