package io.culex.core.internal.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import io.culex.core.internal.testing.EmbeddedBroker;
import io.culex.core.internal.testing.LeakDetection;
import io.culex.core.internal.testing.RawClient;

/** CONNECT validation and CONNACK return codes, MQTT 3.1 and 3.1.1. */
@ExtendWith(LeakDetection.class)
class ConnectTest {

    @Test
    void mqtt31IsAccepted() throws Exception {
        try (EmbeddedBroker broker = new EmbeddedBroker(); RawClient c = new RawClient(broker.port())) {
            c.send(RawClient.connectPacket("MQIsdp", 3, "old-client", true, 60, null, null, 0, false, null, null));
            RawClient.Packet connack = c.read();
            assertEquals(RawClient.CONNACK, connack.type);
            assertEquals(0, connack.body[0], "MQTT 3.1 has no session present flag");
            assertEquals(0, connack.body[1]);
            c.subscribe(1, "x", 0);
        }
    }

    @Test
    void mqtt31RejectsEmptyClientId() throws Exception {
        try (EmbeddedBroker broker = new EmbeddedBroker(); RawClient c = new RawClient(broker.port())) {
            c.send(RawClient.connectPacket("MQIsdp", 3, "", true, 60, null, null, 0, false, null, null));
            assertEquals(2, c.read().body[1]);
            assertTrue(c.awaitClosed());
        }
    }

    @Test
    void emptyClientIdIsAssignedWithCleanSession() throws Exception {
        try (EmbeddedBroker broker = new EmbeddedBroker(Map.of("auto_id_prefix", "gen-"));
             RawClient c = new RawClient(broker.port())) {
            assertEquals(0, c.connect("", true, 60));
            EmbeddedBroker.await("assigned id", () -> !broker.engine().connected().isEmpty());
            String id = broker.engine().connected().keys().nextElement();
            assertTrue(id.startsWith("gen-"), id);
        }
    }

    @Test
    void emptyClientIdIsRejectedWithoutCleanSession() throws Exception {
        try (EmbeddedBroker broker = new EmbeddedBroker(); RawClient c = new RawClient(broker.port())) {
            assertEquals(2, c.connect("", false, 60));
            assertTrue(c.awaitClosed());
        }
    }

    @Test
    void emptyClientIdIsRejectedWhenNotAllowed() throws Exception {
        try (EmbeddedBroker broker = new EmbeddedBroker(Map.of("allow_zero_length_clientid", false));
             RawClient c = new RawClient(broker.port())) {
            assertEquals(2, c.connect("", true, 60));
        }
    }

    @Test
    void keepaliveAboveMaximumIsRejected() throws Exception {
        try (EmbeddedBroker broker = new EmbeddedBroker(Map.of("max_keepalive", 30));
             RawClient ok = new RawClient(broker.port()); RawClient tooLong = new RawClient(broker.port())) {
            assertEquals(0, ok.connect("ok", true, 30));
            assertEquals(2, tooLong.connect("long", true, 31));
        }
    }

    @Test
    void anonymousRefusedWhenNotAllowed() throws Exception {
        try (EmbeddedBroker broker = new EmbeddedBroker(Map.of("allow_anonymous", false));
             RawClient c = new RawClient(broker.port())) {
            assertEquals(5, c.connect("anon", true, 60));
            assertTrue(c.awaitClosed());
        }
    }

    @Test
    void localOnlyModeAllowsAnonymousEvenWhenTheFileSaysNo() throws Exception {
        // Mosquitto 2.0: with no listener configured it listens on loopback only and lets anyone in
        try (EmbeddedBroker broker = new EmbeddedBroker(Map.of("local_only", true, "allow_anonymous", false));
             RawClient c = new RawClient(broker.port())) {
            assertEquals(0, c.connect("anon", true, 60));
        }
    }

    @Test
    void anonymousIsRefusedWhenAllowAnonymousIsUnsetOutsideLocalOnlyMode() throws Exception {
        try (EmbeddedBroker broker = new EmbeddedBroker(Map.of("local_only", false));
             RawClient c = new RawClient(broker.port())) {
            assertEquals(5, c.connect("anon", true, 60));
        }
    }
}
