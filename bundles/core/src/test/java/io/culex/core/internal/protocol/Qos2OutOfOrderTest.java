package io.culex.core.internal.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import io.culex.core.internal.testing.EmbeddedBroker;
import io.culex.core.internal.testing.LeakDetection;
import io.culex.core.internal.testing.Mqtt5Raw;
import io.culex.core.internal.testing.RawClient;

/**
 * Acknowledgements out of order from a subscribing MQTT 5 client (issue 18): a PUBCOMP before the PUBREC, or a
 * PUBACK for a QoS 2 message, is ignored (as Mosquitto does), a PUBREC for a QoS 1 message is answered with PUBREL
 * 0x92 (Packet Identifier not found); none of them ends or stalls the flow: the proper acknowledgements still
 * complete it and the next message follows.
 */
@ExtendWith(LeakDetection.class)
class Qos2OutOfOrderTest {

    @Test
    void outOfOrderAcknowledgementsNeitherCompleteNorStallTheFlow() throws Exception {
        try (EmbeddedBroker broker = new EmbeddedBroker();
             RawClient sub = new RawClient(broker.port());
             RawClient pub = new RawClient(broker.port())) {
            sub.send(Mqtt5Raw.connect("out-of-order", true, 60, Mqtt5Raw.props()));
            assertEquals(0, sub.read().body[1]);
            sub.send(Mqtt5Raw.subscribe(1, "order/#", 2, Mqtt5Raw.props()));
            assertEquals(RawClient.SUBACK, sub.read().type);
            assertEquals(0, pub.connect("order-publisher", true, 60));

            pub.publish("order/two", "exactly once", 2, false, 1);
            Mqtt5Raw.Publish first = Mqtt5Raw.readPublish(sub);
            assertEquals(2, first.qos);
            sub.ack(RawClient.PUBCOMP, first.packetId); // before PUBREC: not the end of the exchange
            sub.ack(RawClient.PUBACK, first.packetId); // QoS 1's acknowledgement for a QoS 2 message
            sub.ack(RawClient.PUBREC, first.packetId);
            RawClient.Packet pubrel = sub.read();
            assertEquals(RawClient.PUBREL, pubrel.type, "the exchange was still open: " + pubrel);
            assertEquals(first.packetId, pubrel.u16(0));
            assertEquals(2, pubrel.body.length, "PUBREL with success (no reason code)");
            sub.ack(RawClient.PUBCOMP, first.packetId);

            pub.publish("order/one", "at least once", 1, false, 2);
            Mqtt5Raw.Publish second = Mqtt5Raw.readPublish(sub);
            assertEquals(1, second.qos);
            assertEquals(first.packetId + 1, second.packetId);
            sub.ack(RawClient.PUBREC, second.packetId); // QoS 2's acknowledgement for a QoS 1 message
            RawClient.Packet notFound = sub.read();
            assertEquals(RawClient.PUBREL, notFound.type);
            assertEquals(0x92, notFound.body[2] & 0xFF, "Packet Identifier not found");
            sub.ack(RawClient.PUBACK, second.packetId);

            pub.publish("order/next", "next", 1, false, 3);
            Mqtt5Raw.Publish third = Mqtt5Raw.readPublish(sub);
            assertEquals("next", third.payload);
            assertEquals(second.packetId + 1, third.packetId);
            sub.ack(RawClient.PUBACK, third.packetId);
            assertNull(sub.poll(200), "nothing resent or left over");
        }
    }
}
