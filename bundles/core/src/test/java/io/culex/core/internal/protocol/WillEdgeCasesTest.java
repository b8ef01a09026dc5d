package io.culex.core.internal.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import io.culex.api.Access;
import io.culex.api.Authorizer;
import io.culex.api.ClientInfo;
import io.culex.api.Decision;
import io.culex.core.internal.testing.EmbeddedBroker;
import io.culex.core.internal.testing.LeakDetection;
import io.culex.core.internal.testing.Mqtt5Raw;
import io.culex.core.internal.testing.RawClient;
import io.culex.core.internal.testing.TestServiceReference;

/**
 * Wills beyond the plain case ({@link WillTest}): one the ACL forbids, MQTT 5 will properties reaching the
 * subscriber, a will delay longer than the session expiry, and a QoS 2 will delivered exactly once.
 */
@ExtendWith(LeakDetection.class)
class WillEdgeCasesTest {

    private static final int SESSION_EXPIRY = 0x11;
    private static final int WILL_DELAY = 0x18;

    /** Denies publishing to wills/forbidden, allows everything else. */
    private static final class ForbiddenWillTopic implements Authorizer {
        @Override
        public Decision authorize(ClientInfo client, Access access, String topic, int qos, boolean retain) {
            return access == Access.PUBLISH && topic.equals("wills/forbidden") ? Decision.DENY : Decision.ALLOW;
        }
    }

    private static RawClient watcher(EmbeddedBroker broker, int qos) throws Exception {
        RawClient watcher = new RawClient(broker.port());
        watcher.send(Mqtt5Raw.connect("watcher", true, 60, Mqtt5Raw.props()));
        assertEquals(0, watcher.read().body[1]);
        watcher.send(Mqtt5Raw.subscribe(1, "wills/#", qos, Mqtt5Raw.props()));
        assertEquals(RawClient.SUBACK, watcher.read().type);
        return watcher;
    }

    /** Connects an MQTT 3.1.1 client with a QoS 1 will and drops its connection; returns the CONNACK code. */
    private static int connectWithWillAndDrop(EmbeddedBroker broker, String id, String willTopic) throws Exception {
        RawClient dying = new RawClient(broker.port());
        dying.send(RawClient.connectPacket("MQTT", 4, id, true, 60, willTopic, "gone " + id, 1, false, null, null));
        int code = dying.read().body[1];
        dying.close();
        EmbeddedBroker.await(id + "'s connection to end", () -> !broker.engine().connected().containsKey(id));
        return code;
    }

    @Test
    void aWillToATopicTheAclForbidsIsNotPublished() throws Exception {
        try (EmbeddedBroker broker = new EmbeddedBroker(Map.of("allow_anonymous", true))) {
            broker.extensions().authorizers.add(new TestServiceReference<>(), new ForbiddenWillTopic());
            try (RawClient watcher = watcher(broker, 1)) {
                int forbidden = connectWithWillAndDrop(broker, "forbidden", "wills/forbidden");
                assertTrue(forbidden == 0 || forbidden == 5, "accepted, or refused for its will: " + forbidden);
                assertEquals(0, connectWithWillAndDrop(broker, "allowed", "wills/allowed"));
                Mqtt5Raw.Publish first = Mqtt5Raw.readPublish(watcher);
                assertEquals("wills/allowed", first.topic, "the allowed will, and no forbidden one before it");
                watcher.ack(RawClient.PUBACK, first.packetId);
                assertNull(watcher.poll(200), "nor after it");
            }
        }
    }

    @Test
    void mqtt5WillPropertiesReachTheSubscriber() throws Exception {
        try (EmbeddedBroker broker = new EmbeddedBroker(); RawClient watcher = watcher(broker, 1)) {
            Mqtt5Raw.Props willProperties = Mqtt5Raw.props()
                    .byteProp(0x01, 1)
                    .intProp(0x02, 60)
                    .stringProp(0x03, "text/plain")
                    .stringProp(0x08, "replies/here")
                    .binaryProp(0x09, "corr-1".getBytes(java.nio.charset.StandardCharsets.UTF_8))
                    .userProperty("reason", "power");
            RawClient dying = new RawClient(broker.port());
            dying.send(Mqtt5Raw.connect("dying", true, 60, Mqtt5Raw.props(), "wills/dying", "bye", willProperties, 1));
            assertEquals(0, dying.read().body[1]);
            dying.close();
            Mqtt5Raw.Publish will = Mqtt5Raw.readPublish(watcher);
            assertEquals("wills/dying", will.topic);
            assertEquals("bye", will.payload);
            assertEquals(Integer.valueOf(1), will.payloadFormat);
            assertEquals("text/plain", will.contentType);
            assertEquals("replies/here", will.responseTopic);
            assertEquals("corr-1", will.correlationData);
            assertEquals(List.of("reason=power"), will.userProperties);
            assertNotNull(will.messageExpiry, "the message expiry is forwarded");
            assertTrue(will.messageExpiry > 0 && will.messageExpiry <= 60, "remaining expiry " + will.messageExpiry);
        }
    }

    /** [MQTT-3.1.3-9]: the will is published when the session ends, if that comes before the will delay. */
    @Test
    void aWillDelayLongerThanTheSessionExpiryEndsWithTheSession() throws Exception {
        try (EmbeddedBroker broker = new EmbeddedBroker(); RawClient watcher = watcher(broker, 0)) {
            RawClient dying = new RawClient(broker.port());
            dying.send(Mqtt5Raw.connect("brief", true, 60, Mqtt5Raw.props().intProp(SESSION_EXPIRY, 1), "wills/brief",
                    "session over", Mqtt5Raw.props().intProp(WILL_DELAY, 30), 0));
            assertEquals(0, dying.read().body[1]);
            long lost = System.nanoTime();
            dying.close();
            RawClient.Packet will = watcher.poll(4_000);
            long elapsed = (System.nanoTime() - lost) / 1_000_000;
            assertNotNull(will, "the will comes with the end of the 1 s session, not after the 30 s delay");
            assertEquals("session over", Mqtt5Raw.publishOf(will).payload);
            assertTrue(elapsed >= 900, "not before the session ended: " + elapsed + " ms");
        }
    }

    @Test
    void aQos2WillIsDeliveredAtQos2ExactlyOnce() throws Exception {
        try (EmbeddedBroker broker = new EmbeddedBroker(); RawClient watcher = watcher(broker, 2)) {
            RawClient dying = new RawClient(broker.port());
            dying.send(RawClient.connectPacket("MQTT", 4, "q2", true, 60, "wills/q2", "twice is wrong", 2, false,
                    null, null));
            assertEquals(0, dying.read().body[1]);
            dying.close();
            Mqtt5Raw.Publish will = Mqtt5Raw.readPublish(watcher);
            assertEquals(2, will.qos);
            assertEquals("twice is wrong", will.payload);
            watcher.ack(RawClient.PUBREC, will.packetId);
            assertEquals(RawClient.PUBREL, watcher.read().type);
            watcher.ack(RawClient.PUBCOMP, will.packetId);
            assertNull(watcher.poll(300), "no second copy");
        }
    }
}
