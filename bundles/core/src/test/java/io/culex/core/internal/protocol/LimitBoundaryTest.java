package io.culex.core.internal.protocol;

import static io.culex.core.internal.testing.Mqtt5Raw.props;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import io.culex.core.internal.testing.EmbeddedBroker;
import io.culex.core.internal.testing.LeakDetection;
import io.culex.core.internal.testing.Mqtt5Raw;
import io.culex.core.internal.testing.RawClient;

/**
 * Issue 14, resource limits exactly at and one past the limit, where an off-by-one would hide. Already covered
 * elsewhere: {@code max_connections} ({@code LimitsTest}, {@code ListenerLimitsIT}: the last slot accepted, the next
 * connection closed), {@code max_keepalive} ({@code ConnectTest}: 30 of 30 accepted, 31 refused with CONNACK 2 in
 * 3.1.1; {@code Mqtt5Test}: MQTT 5 gets the maximum as Server Keep Alive).
 */
@ExtendWith(LeakDetection.class)
class LimitBoundaryTest {

    private static final int PUBACK_PACKET_TOO_LARGE = 0x95;
    private static final int DISCONNECT = 14;

    /**
     * Mosquitto: a payload longer than {@code message_size_limit} is dropped; the 3.1.1 publisher still gets its
     * PUBACK, an MQTT 5 publisher one with reason 0x95. A payload of exactly the limit is routed.
     */
    @Test
    void messageSizeLimitRoutesAPayloadOfExactlyTheLimitAndDropsOneByteMore() throws Exception {
        try (EmbeddedBroker broker = new EmbeddedBroker(Map.of("message_size_limit", 10));
             RawClient sub = new RawClient(broker.port());
             RawClient v3 = new RawClient(broker.port());
             RawClient v5 = new RawClient(broker.port())) {
            assertEquals(0, sub.connect("sub", true, 60));
            sub.subscribe(1, "size", 0);
            assertEquals(0, v3.connect("v3", true, 60));
            v5.send(Mqtt5Raw.connect("v5", true, 60, props()));
            assertEquals(RawClient.CONNACK, v5.read().type);

            v3.publish("size", "x".repeat(11), 1, false, 1);
            assertEquals(RawClient.PUBACK, v3.read().type);
            v3.publish("size", "3".repeat(10), 1, false, 2);
            assertEquals(RawClient.PUBACK, v3.read().type);

            v5.send(Mqtt5Raw.publish("size", "y".repeat(11), 1, false, 1, props()));
            RawClient.Packet refused = v5.read();
            assertEquals(RawClient.PUBACK, refused.type);
            assertEquals(PUBACK_PACKET_TOO_LARGE, refused.body[2] & 0xFF, "MQTT 5: PUBACK 0x95");
            v5.send(Mqtt5Raw.publish("size", "5".repeat(10), 1, false, 2, props()));
            RawClient.Packet accepted = v5.read();
            assertEquals(RawClient.PUBACK, accepted.type);
            assertTrue(accepted.body.length == 2 || (accepted.body[2] & 0xFF) == 0, "MQTT 5: success");

            assertEquals("3".repeat(10), sub.read().payloadText());
            assertEquals("5".repeat(10), sub.read().payloadText());
            assertNull(sub.poll(300), "the 11 byte payloads are not routed");
            assertEquals(2, broker.engine().statistics().publishDropped());
        }
    }

    /**
     * {@code max_packet_size} counts the whole packet, fixed header included (MQTT 5's Maximum Packet Size): a
     * PUBLISH of exactly that size is accepted, one byte more is a protocol error, DISCONNECT 0x95 in MQTT 5 and a
     * plain close in 3.1.1.
     */
    @Test
    void maxPacketSizeAcceptsAPacketOfExactlyTheLimitAndClosesOnOneByteMore() throws Exception {
        int limit = 200;
        try (EmbeddedBroker broker = new EmbeddedBroker(Map.of("max_packet_size", limit));
             RawClient v5 = new RawClient(broker.port());
             RawClient v3 = new RawClient(broker.port())) {
            v5.send(Mqtt5Raw.connect("v5", true, 60, props()));
            assertEquals(RawClient.CONNACK, v5.read().type);
            byte[] atLimit = v5Publish(limit, 1);
            assertEquals(limit, atLimit.length);
            v5.send(atLimit);
            assertEquals(RawClient.PUBACK, v5.read().type, "a packet of exactly max_packet_size is accepted");
            v5.send(v5Publish(limit + 1, 2));
            RawClient.Packet disconnect = v5.read();
            assertEquals(DISCONNECT, disconnect.type);
            assertEquals(PUBACK_PACKET_TOO_LARGE, disconnect.body[0] & 0xFF);
            assertTrue(v5.awaitClosed());

            assertEquals(0, v3.connect("v3", true, 60));
            byte[] v3AtLimit = v3Publish(limit, 1);
            v3.send(v3AtLimit);
            assertEquals(RawClient.PUBACK, v3.read().type);
            v3.send(v3Publish(limit + 1, 2));
            assertTrue(v3.awaitClosed(), "3.1.1: closed without a packet");
            assertEquals(0, broker.engine().stats().internalErrors());
        }
    }

    /**
     * {@code max_inflight_bytes} as Mosquitto applies it: another QoS 1 message goes out while the payload in flight
     * is below the limit, so 11 of 12 bytes take one more (then 12 in flight) and 12 of 12 take none.
     */
    @Test
    void maxInflightBytesSendsBelowTheLimitAndHoldsAtIt() throws Exception {
        try (EmbeddedBroker broker = new EmbeddedBroker(Map.of("max_inflight_bytes", 12));
             RawClient pub = new RawClient(broker.port());
             RawClient sub = new RawClient(broker.port())) {
            assertEquals(0, sub.connect("sub", true, 60));
            sub.subscribe(1, "b", 1);
            assertEquals(0, pub.connect("pub", true, 60));
            int packetId = 0;
            for (String payload : new String[] {"666666", "55555", "1", "held"}) {
                pub.publish("b", payload, 1, false, ++packetId);
                assertEquals(RawClient.PUBACK, pub.read().type);
            }
            RawClient.Packet six = sub.read();
            assertEquals("666666", six.payloadText());
            assertEquals("55555", sub.read().payloadText(), "6 of 12 bytes in flight");
            assertEquals("1", sub.read().payloadText(), "11 of 12 bytes in flight: still below the limit");
            assertNull(sub.poll(300), "12 of 12 bytes in flight: the next waits");
            sub.ack(RawClient.PUBACK, six.publishPacketId());
            assertEquals("held", sub.read().payloadText(), "6 of 12 after the acknowledgement");
        }
    }

    private static byte[] v5Publish(int packetSize, int packetId) {
        return sized(payload -> Mqtt5Raw.publish("big", payload, 1, false, packetId, props()), packetSize);
    }

    private static byte[] v3Publish(int packetSize, int packetId) {
        return sized(payload -> RawClient.publishPacket("big", payload.getBytes(java.nio.charset.StandardCharsets
                .UTF_8), 1, false, false, packetId), packetSize);
    }

    /** The packet whose payload makes it exactly {@code packetSize} bytes long. */
    private static byte[] sized(java.util.function.Function<String, byte[]> packet, int packetSize) {
        int payload = packetSize - packet.apply("").length;
        // a longer payload may take another byte of remaining length: correct once with the real overhead
        payload -= packet.apply("p".repeat(payload)).length - packetSize;
        byte[] bytes = packet.apply("p".repeat(payload));
        assertEquals(packetSize, bytes.length);
        return bytes;
    }
}
