package io.culex.core.internal.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import io.culex.api.Access;
import io.culex.api.Authorizer;
import io.culex.api.Decision;
import io.culex.core.internal.testing.EmbeddedBroker;
import io.culex.core.internal.testing.LeakDetection;
import io.culex.core.internal.testing.RawClient;
import io.culex.core.internal.testing.TestServiceReference;

/**
 * Mosquitto's {@code try_private} on incoming connections: a bridge's CONNECT carries the high bit in its protocol
 * level; it is accepted, gets no echo of its own messages, receives retain flags as published, may report its state
 * on {@code $SYS/broker/connection/<id>/state}, and is authorized like any client.
 */
@ExtendWith(LeakDetection.class)
class BridgeClientTest {

    private static byte[] bridgeConnect(String clientId, int level) {
        byte[] connect = RawClient.connectPacket("MQTT", 4, clientId, true, 60, null, null, 0, false, null, null);
        connect[8] = (byte) level; // fixed header 2, name length 2, "MQTT" 4: the level follows
        return connect;
    }

    private static RawClient bridge(EmbeddedBroker broker, String clientId) throws Exception {
        RawClient client = new RawClient(broker.port());
        client.send(bridgeConnect(clientId, 0x84));
        RawClient.Packet connack = client.read();
        assertEquals(RawClient.CONNACK, connack.type);
        assertEquals(0, connack.body[1], "a bridge's CONNECT is accepted");
        return client;
    }

    @Test
    void aBridgeGetsNoEchoOfItsOwnMessagesAndRetainFlagsAsPublished() throws Exception {
        try (EmbeddedBroker broker = new EmbeddedBroker();
             RawClient bridge = bridge(broker, "edge-bridge");
             RawClient plain = new RawClient(broker.port())) {
            assertEquals(0, plain.connect("plain", true, 60));
            bridge.subscribe(1, "shared/#", 1);
            plain.subscribe(1, "shared/#", 1);

            bridge.publish("shared/from-bridge", "no echo", 0, false, 0);
            assertEquals("no echo", plain.read().payloadText());
            plain.publish("shared/from-plain", "crosses", 0, true, 0);
            RawClient.Packet crossed = bridge.read();
            assertEquals("crosses", crossed.payloadText(), "the bridge's first message is the other client's");
            assertTrue(crossed.retain(), "a bridge gets the retain flag as published");
            RawClient.Packet live = plain.read();
            assertEquals("crosses", live.payloadText());
            assertFalse(live.retain(), "an MQTT 3.1.1 client gets live messages without it");
            assertNull(bridge.poll(200), "still no echo");
        }
    }

    @Test
    void aBridgeMayReportItsStateInSysButNowhereElseThere() throws Exception {
        try (EmbeddedBroker broker = new EmbeddedBroker();
             RawClient bridge = bridge(broker, "edge-bridge");
             RawClient watcher = new RawClient(broker.port())) {
            assertEquals(0, watcher.connect("watcher", true, 60));
            watcher.subscribe(1, "$SYS/#", 0);
            bridge.publish("$SYS/broker/uptime", "forged", 0, false, 0);
            bridge.publish("$SYS/broker/connection/edge-bridge/state", "1", 0, true, 0);
            RawClient.Packet state = watcher.read();
            assertEquals("$SYS/broker/connection/edge-bridge/state", state.topic());
            assertEquals("1", state.payloadText());
        }
    }

    @Test
    void aBridgeIsAuthorizedLikeAnyClient() throws Exception {
        try (EmbeddedBroker broker = new EmbeddedBroker(Map.of("allow_anonymous", true))) {
            Authorizer noBridgePublish = (client, access, topic, qos, retain) ->
                    client.isBridge() && access == Access.PUBLISH ? Decision.DENY : Decision.ALLOW;
            broker.extensions().authorizers.add(new TestServiceReference<>(), noBridgePublish);
            try (RawClient bridge = bridge(broker, "edge-bridge"); RawClient plain = new RawClient(broker.port())) {
                assertEquals(0, plain.connect("plain", true, 60));
                plain.subscribe(1, "t", 0);
                bridge.publish("t", "denied", 0, false, 0);
                plain.publish("t", "marker", 0, false, 0);
                assertEquals("marker", plain.read().payloadText(), "the bit is no credential");
                assertNull(plain.poll(200), "the denied message does not come late either");
            }
        }
    }

    @Test
    void theBitOnAnMqtt5ConnectIsStillAnUnknownVersion() throws Exception {
        try (EmbeddedBroker broker = new EmbeddedBroker(); RawClient client = new RawClient(broker.port())) {
            client.send(bridgeConnect("v5-bridge", 0x85));
            RawClient.Packet connack = client.read();
            assertEquals(RawClient.CONNACK, connack.type);
            assertEquals(1, connack.body[1], "unacceptable protocol version, as Mosquitto answers");
        }
    }
}
