package io.culex.core.internal.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import io.culex.core.internal.testing.EmbeddedBroker;
import io.culex.core.internal.testing.LeakDetection;
import io.culex.core.internal.testing.Mqtt5Raw;
import io.culex.core.internal.testing.RawClient;

/**
 * Sessions that outlive their connection for a while, as a client sees them: kept (session present, queued
 * messages delivered) when it comes back in time, gone (session present 0, nothing delivered) when it comes back
 * late. The expiry is awaited on the registry, then checked with a client; its timing has both bounds.
 */
@ExtendWith(LeakDetection.class)
class SessionExpiryOverSocketsTest {

    private static final int SESSION_EXPIRY = 0x11;
    /** Earliest end of a 1 s session: measured from the client's DISCONNECT, which the broker handles after. */
    private static final long EARLIEST_EXPIRY_MILLIS = 900;
    private static final long LATEST_EXPIRY_MILLIS = 3_000;

    private static boolean sessionPresent(RawClient.Packet connack) {
        assertEquals(RawClient.CONNACK, connack.type);
        assertEquals(0, connack.body[1], "connection accepted");
        return (connack.body[0] & 1) == 1;
    }

    private static boolean connect5(RawClient c, String id) throws Exception {
        c.send(Mqtt5Raw.connect(id, false, 60, Mqtt5Raw.props().intProp(SESSION_EXPIRY, 1)));
        return sessionPresent(c.read());
    }

    private static boolean connect3(RawClient c, String id) throws Exception {
        c.send(RawClient.connectPacket("MQTT", 4, id, false, 60, null, null, 0, false, null, null));
        return sessionPresent(c.read());
    }

    private static void publishQos1(EmbeddedBroker broker, String topic, String payload) throws Exception {
        try (RawClient pub = new RawClient(broker.port())) {
            assertEquals(0, pub.connect("pub", true, 60));
            pub.send(RawClient.publishPacket(topic, payload.getBytes(StandardCharsets.UTF_8), 1, false, false, 1));
            assertEquals(RawClient.PUBACK, pub.read().type);
        }
    }

    /** Waits for the session to end and returns how long after {@code sinceNanos} that was. */
    private static long awaitExpiry(EmbeddedBroker broker, String id, long sinceNanos) throws Exception {
        EmbeddedBroker.await("session " + id + " to expire", () -> broker.engine().sessions().get(id) == null);
        long elapsed = (System.nanoTime() - sinceNanos) / 1_000_000;
        assertTrue(elapsed >= EARLIEST_EXPIRY_MILLIS && elapsed <= LATEST_EXPIRY_MILLIS,
                "session " + id + " ended " + elapsed + " ms after its client left, expected about 1000 ms");
        return elapsed;
    }

    @Test
    void anMqtt5SessionWithExpiryOneSecondIsKeptThenExpires() throws Exception {
        try (EmbeddedBroker broker = new EmbeddedBroker()) {
            try (RawClient c = new RawClient(broker.port())) {
                assertEquals(false, connect5(c, "sleeper"));
                c.send(Mqtt5Raw.subscribe(1, "expiry/t", 1, Mqtt5Raw.props()));
                assertEquals(RawClient.SUBACK, c.read().type);
                c.send(Mqtt5Raw.disconnect(0, Mqtt5Raw.props()));
                assertTrue(c.awaitClosed());
            }
            publishQos1(broker, "expiry/t", "kept");
            try (RawClient back = new RawClient(broker.port())) {
                assertEquals(true, connect5(back, "sleeper"), "back within the expiry: session present");
                Mqtt5Raw.Publish queued = Mqtt5Raw.readPublish(back);
                assertEquals("kept", queued.payload, "the message queued while away");
                back.ack(RawClient.PUBACK, queued.packetId);
                back.send(Mqtt5Raw.disconnect(0, Mqtt5Raw.props()));
                assertTrue(back.awaitClosed());
            }
            long left = System.nanoTime();
            publishQos1(broker, "expiry/t", "lost with the session");
            awaitExpiry(broker, "sleeper", left);
            try (RawClient late = new RawClient(broker.port())) {
                assertEquals(false, connect5(late, "sleeper"), "back after the expiry: a new session");
                assertNull(late.poll(200), "nothing of the old session is delivered");
            }
        }
    }

    /** {@code persistent_client_expiration} ends an MQTT 3.1.1 clean-session-false session, as Mosquitto. */
    @Test
    void persistentClientExpirationEndsAnMqtt311PersistentSession() throws Exception {
        try (EmbeddedBroker broker = new EmbeddedBroker(Map.of("persistent_client_expiration", 1))) {
            try (RawClient c = new RawClient(broker.port())) {
                assertEquals(false, connect3(c, "durable"));
                c.subscribe(1, "expiry/t", 1);
                c.send(0xE0, 0);
                assertTrue(c.awaitClosed());
            }
            try (RawClient back = new RawClient(broker.port())) {
                assertEquals(true, connect3(back, "durable"), "back within the expiration: session present");
                back.send(0xE0, 0);
                assertTrue(back.awaitClosed());
            }
            long left = System.nanoTime();
            publishQos1(broker, "expiry/t", "lost with the session");
            awaitExpiry(broker, "durable", left);
            try (RawClient late = new RawClient(broker.port())) {
                assertEquals(false, connect3(late, "durable"), "back after the expiration: a new session");
                assertNull(late.poll(200), "nothing of the old session is delivered");
            }
        }
    }
}
