package io.culex.core.internal.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import io.culex.core.internal.testing.EmbeddedBroker;
import io.culex.core.internal.testing.LeakDetection;
import io.culex.core.internal.testing.Mqtt5Raw;
import io.culex.core.internal.testing.RawClient;

/**
 * Issue 20's outgoing cases, over real sockets with raw MQTT 5 packets: a QoS 1/2 message larger than the client's
 * Maximum Packet Size is not sent to it and does not hold up the ones after it; a queued QoS 1 message that expires
 * behind a full in-flight window costs no packet identifier. In both, the client sees consecutive packet ids.
 */
@ExtendWith(LeakDetection.class)
class OutgoingPacketLimitsTest {

    private static final int MESSAGE_EXPIRY = 0x02;
    private static final int SESSION_EXPIRY = 0x11;
    private static final int RECEIVE_MAXIMUM = 0x21;
    private static final int MAXIMUM_PACKET_SIZE = 0x27;
    private static final String BIG = "x".repeat(300);

    private static RawClient subscriber(EmbeddedBroker broker, Mqtt5Raw.Props properties, int qos) throws Exception {
        RawClient sub = new RawClient(broker.port());
        sub.send(Mqtt5Raw.connect("limited", true, 60, properties));
        assertEquals(0, sub.read().body[1], "CONNACK");
        sub.send(Mqtt5Raw.subscribe(1, "limits/#", qos, Mqtt5Raw.props()));
        assertEquals(RawClient.SUBACK, sub.read().type);
        return sub;
    }

    private static RawClient publisher(EmbeddedBroker broker) throws Exception {
        RawClient pub = new RawClient(broker.port());
        assertEquals(0, pub.connect("limits-publisher", true, 60));
        return pub;
    }

    /** Publish at QoS 1 (the PUBACK is the caller's to read). */
    private static void publish(RawClient pub, int packetId, String payload, Mqtt5Raw.Props properties)
            throws Exception {
        pub.send(Mqtt5Raw.publish("limits/t", payload, 1, false, packetId, properties));
    }

    private static void expect(RawClient sub, String payload, int packetId, int qos) throws Exception {
        Mqtt5Raw.Publish p = Mqtt5Raw.readPublish(sub);
        assertEquals(payload, p.payload, "payload");
        assertEquals(packetId, p.packetId, "packet id of '" + payload + "'");
        assertEquals(qos, p.qos);
    }

    @Test
    void aMessageTooLargeForTheClientDoesNotHoldUpTheNextOnes() throws Exception {
        for (int qos : new int[] {1, 2}) {
            try (EmbeddedBroker broker = new EmbeddedBroker();
                 RawClient sub = subscriber(broker, Mqtt5Raw.props().intProp(MAXIMUM_PACKET_SIZE, 100), qos);
                 RawClient pub = new RawClient(broker.port())) {
                pub.send(Mqtt5Raw.connect("limits-publisher", true, 60, Mqtt5Raw.props()));
                assertEquals(RawClient.CONNACK, pub.read().type);
                for (int i = 1; i <= 3; i++) {
                    pub.send(Mqtt5Raw.publish("limits/t", i == 2 ? BIG : "m" + i, qos, false, i, Mqtt5Raw.props()));
                }
                expect(sub, "m1", 1, qos);
                expect(sub, "m3", 2, qos);
                completeFlow(sub, qos, 1);
                completeFlow(sub, qos, 2);
                pub.send(Mqtt5Raw.publish("limits/t", "m4", qos, false, 4, Mqtt5Raw.props()));
                expect(sub, "m4", 3, qos);
            }
        }
    }

    @Test
    void aMessageTooLargeForTheClientQueuedBehindAFullWindowIsSkipped() throws Exception {
        try (EmbeddedBroker broker = new EmbeddedBroker();
             RawClient sub = subscriber(broker, Mqtt5Raw.props().intProp(MAXIMUM_PACKET_SIZE, 100)
                     .shortProp(RECEIVE_MAXIMUM, 1), 1);
             RawClient pub = publisher(broker)) {
            pub.publish("limits/t", "m1", 1, false, 1);
            expect(sub, "m1", 1, 1);
            pub.publish("limits/t", BIG, 1, false, 2);
            pub.publish("limits/t", "m3", 1, false, 3);
            awaitPubacks(pub, 3);
            sub.ack(RawClient.PUBACK, 1);
            expect(sub, "m3", 2, 1);
            sub.ack(RawClient.PUBACK, 2);
            pub.publish("limits/t", "m4", 1, false, 4);
            expect(sub, "m4", 3, 1);
        }
    }

    @Test
    void anUnacknowledgedMessageTooLargeForTheReconnectedClientIsNotResent() throws Exception {
        try (EmbeddedBroker broker = new EmbeddedBroker(); RawClient pub = publisher(broker)) {
            try (RawClient first = new RawClient(broker.port())) {
                first.send(Mqtt5Raw.connect("resumed", true, 60, Mqtt5Raw.props().intProp(SESSION_EXPIRY, 60)));
                assertEquals(0, first.read().body[1], "CONNACK");
                first.send(Mqtt5Raw.subscribe(1, "limits/#", 1, Mqtt5Raw.props()));
                assertEquals(RawClient.SUBACK, first.read().type);
                pub.publish("limits/t", BIG, 1, false, 1);
                expect(first, BIG, 1, 1); // not acknowledged: in flight when the connection drops
            }
            EmbeddedBroker.await("the first connection is gone",
                    () -> !broker.engine().connected().containsKey("resumed"));
            try (RawClient back = new RawClient(broker.port())) {
                back.send(Mqtt5Raw.connect("resumed", false, 60, Mqtt5Raw.props().intProp(SESSION_EXPIRY, 60)
                        .intProp(MAXIMUM_PACKET_SIZE, 100)));
                RawClient.Packet connack = back.read();
                assertEquals(1, connack.body[0], "session present");
                pub.publish("limits/t", "small", 1, false, 2);
                expect(back, "small", 2, 1); // the first thing it gets: the big one was not resent
                back.ack(RawClient.PUBACK, 2);
                pub.publish("limits/t", "next", 1, false, 3);
                expect(back, "next", 3, 1);
            }
        }
    }

    @Test
    void aQos1MessageThatExpiresInTheQueueCostsNoPacketId() throws Exception {
        try (EmbeddedBroker broker = new EmbeddedBroker();
             RawClient sub = subscriber(broker, Mqtt5Raw.props().shortProp(RECEIVE_MAXIMUM, 1), 1);
             RawClient pub = new RawClient(broker.port())) {
            pub.send(Mqtt5Raw.connect("limits-publisher", true, 60, Mqtt5Raw.props()));
            assertEquals(RawClient.CONNACK, pub.read().type);
            publish(pub, 1, "m1", Mqtt5Raw.props());
            expect(sub, "m1", 1, 1);
            publish(pub, 2, "m2 expires", Mqtt5Raw.props().intProp(MESSAGE_EXPIRY, 1));
            publish(pub, 3, "m3", Mqtt5Raw.props());
            awaitPubacks(pub, 3);
            // the expiry interval is wall-clock time: the queued m2 must outlive it
            Thread.sleep(1_100);
            sub.ack(RawClient.PUBACK, 1);
            expect(sub, "m3", 2, 1);
            sub.ack(RawClient.PUBACK, 2);
            publish(pub, 4, "m4", Mqtt5Raw.props());
            expect(sub, "m4", 3, 1);
            assertTrue(broker.engine().connected().containsKey("limited"));
        }
    }

    private static void awaitPubacks(RawClient pub, int count) throws Exception {
        for (int i = 0; i < count; i++) {
            assertEquals(RawClient.PUBACK, pub.read().type);
        }
    }

    private static void completeFlow(RawClient sub, int qos, int packetId) throws Exception {
        if (qos == 1) {
            sub.ack(RawClient.PUBACK, packetId);
            return;
        }
        sub.ack(RawClient.PUBREC, packetId);
        RawClient.Packet pubrel = sub.read();
        assertEquals(RawClient.PUBREL, pubrel.type);
        assertEquals(packetId, pubrel.u16(0));
        sub.ack(RawClient.PUBCOMP, packetId);
    }
}
