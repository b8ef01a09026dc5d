package io.culex.core.internal.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.charset.StandardCharsets;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import io.culex.api.Access;
import io.culex.api.Authorizer;
import io.culex.api.ClientInfo;
import io.culex.api.Decision;
import io.culex.core.internal.testing.EmbeddedBroker;
import io.culex.core.internal.testing.LeakDetection;
import io.culex.core.internal.testing.RawClient;
import io.culex.core.internal.testing.TestServiceReference;

/**
 * A QoS 2 publisher whose connection drops in the middle of the exchange and who comes back with clean session
 * false: whatever it resends, the message is delivered exactly once. Culex routes a QoS 2 message when its PUBLISH
 * arrives and keeps only the packet id until PUBREL, so a retransmission after the reconnect must be recognised by
 * that id, whoever the client authenticates as the second time.
 */
@ExtendWith(LeakDetection.class)
class Qos2PublisherReconnectTest {

    private static final int PACKET_ID = 7;

    /** Only user "writer" may publish to exact/t; everything else is allowed to everyone. */
    private static final class WriterOnly implements Authorizer {
        @Override
        public Decision authorize(ClientInfo client, Access access, String topic, int qos, boolean retain) {
            if (access == Access.PUBLISH && topic.equals("exact/t")) {
                return "writer".equals(client.username()) ? Decision.ALLOW : Decision.DENY;
            }
            return Decision.ALLOW;
        }
    }

    private static EmbeddedBroker broker() {
        EmbeddedBroker broker = new EmbeddedBroker(Map.of("allow_anonymous", true));
        broker.extensions().authorizers.add(new TestServiceReference<>(), new WriterOnly());
        return broker;
    }

    private static RawClient subscriber(EmbeddedBroker broker) throws Exception {
        RawClient sub = new RawClient(broker.port());
        assertEquals(0, sub.connect("sub", true, 60));
        sub.subscribe(1, "exact/#", 2);
        return sub;
    }

    /** Connects the publisher with clean session false; returns the CONNACK's session-present flag. */
    private static boolean connectPublisher(RawClient pub, String username) throws Exception {
        pub.send(RawClient.connectPacket("MQTT", 4, "pub", false, 60, null, null, 0, false, username, null));
        RawClient.Packet connack = pub.read();
        assertEquals(RawClient.CONNACK, connack.type);
        assertEquals(0, connack.body[1], "connection accepted");
        return (connack.body[0] & 1) == 1;
    }

    /** PUBLISH QoS 2 of "once" to exact/t, PUBREC awaited, then the connection is dropped without PUBREL. */
    private static void publishAndDropAfterPubrec(EmbeddedBroker broker, String username) throws Exception {
        RawClient pub = new RawClient(broker.port());
        connectPublisher(pub, username);
        pub.send(RawClient.publishPacket("exact/t", bytes("once"), 2, false, false, PACKET_ID));
        RawClient.Packet pubrec = pub.read();
        assertEquals(RawClient.PUBREC, pubrec.type);
        assertEquals(PACKET_ID, pubrec.u16(0));
        pub.close();
        EmbeddedBroker.await("the dropped connection is gone", () -> !broker.engine().connected().containsKey("pub"));
    }

    /** Receives one QoS 2 PUBLISH at the subscriber and completes its exchange; returns the payload. */
    private static String receiveOne(RawClient sub) throws Exception {
        RawClient.Packet publish = sub.read();
        assertEquals(RawClient.PUBLISH, publish.type, "expected a PUBLISH");
        sub.ack(RawClient.PUBREC, publish.publishPacketId());
        assertEquals(RawClient.PUBREL, sub.read().type);
        sub.ack(RawClient.PUBCOMP, publish.publishPacketId());
        return publish.payloadText();
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void publishResentWithDupAndPubrelAfterTheReconnectIsDeliveredOnce() throws Exception {
        try (EmbeddedBroker broker = broker(); RawClient sub = subscriber(broker)) {
            publishAndDropAfterPubrec(broker, "writer");
            assertEquals("once", receiveOne(sub));
            try (RawClient pub = new RawClient(broker.port())) {
                assertEquals(true, connectPublisher(pub, "writer"), "the session is kept");
                publishQos2(pub, "exact/t", "once", true, PACKET_ID); // the retransmission, acknowledged
                publishSentinel(pub);
            }
            assertEquals("end", receiveOne(sub), "the sentinel, and no second copy before it");
            assertNull(sub.poll(200), "no second copy after it either");
        }
    }

    @Test
    void pubrelAloneAfterTheReconnectCompletesTheExchangeWithoutASecondDelivery() throws Exception {
        try (EmbeddedBroker broker = broker(); RawClient sub = subscriber(broker)) {
            publishAndDropAfterPubrec(broker, "writer");
            assertEquals("once", receiveOne(sub));
            try (RawClient pub = new RawClient(broker.port())) {
                assertEquals(true, connectPublisher(pub, "writer"));
                releaseQos2(pub, PACKET_ID);
                // the id is free again: a new message with it is a new message, delivered
                publishQos2(pub, "exact/t", "next", false, PACKET_ID);
            }
            assertEquals("next", receiveOne(sub), "the next message, and no second copy of the first before it");
            assertNull(sub.poll(200));
        }
    }

    /**
     * The same client id comes back as a user the ACL denies: the retransmission of the half-finished exchange is
     * not routed again under the new identity, and a new message from it is checked against the new identity.
     */
    @Test
    void afterAReconnectAsADeniedUserNeitherTheRetransmissionNorANewMessageIsDelivered() throws Exception {
        try (EmbeddedBroker broker = broker(); RawClient sub = subscriber(broker)) {
            publishAndDropAfterPubrec(broker, "writer");
            assertEquals("once", receiveOne(sub));
            try (RawClient pub = new RawClient(broker.port())) {
                assertEquals(true, connectPublisher(pub, "reader"));
                publishQos2(pub, "exact/t", "once", true, PACKET_ID);
                publishQos2(pub, "exact/t", "denied", false, PACKET_ID + 1); // MQTT 3.1.1 cannot refuse
                publishSentinel(pub);
            }
            assertEquals("end", receiveOne(sub), "only the sentinel: no copy, no denied message before it");
            assertNull(sub.poll(200), "and none after it");
        }
    }

    /**
     * A QoS 2 "end" to exact/sentinel on the publisher's own connection, completed: a copy routed before it from
     * the same connection would reach the subscriber first.
     */
    private static void publishSentinel(RawClient pub) throws Exception {
        publishQos2(pub, "exact/sentinel", "end", false, 99);
    }

    /** A whole QoS 2 exchange from the publisher's side: PUBLISH, PUBREC for its id, PUBREL, PUBCOMP. */
    private static void publishQos2(RawClient pub, String topic, String payload, boolean dup, int packetId)
            throws Exception {
        pub.send(RawClient.publishPacket(topic, bytes(payload), 2, false, dup, packetId));
        RawClient.Packet pubrec = pub.read();
        assertEquals(RawClient.PUBREC, pubrec.type);
        assertEquals(packetId, pubrec.u16(0));
        releaseQos2(pub, packetId);
    }

    private static void releaseQos2(RawClient pub, int packetId) throws Exception {
        pub.ack(RawClient.PUBREL, packetId);
        RawClient.Packet pubcomp = pub.read();
        assertEquals(RawClient.PUBCOMP, pubcomp.type);
        assertEquals(packetId, pubcomp.u16(0));
    }
}
