package io.culex.core.internal.protocol;

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
 * Issue 20's will cases, over real sockets with raw MQTT 5 packets: a client that comes back before its will delay
 * passed has no will published, also with a clean start [MQTT-3.1.3-9]; a will larger than message_size_limit is
 * refused at CONNECT, as Mosquitto does.
 */
@ExtendWith(LeakDetection.class)
class WillDelayAndLimitTest {

    private static final int SESSION_EXPIRY = 0x11;
    private static final int WILL_DELAY = 0x18;

    /** A client with a 2 s will delay whose connection is lost. */
    private static void loseConnectionWithDelayedWill(EmbeddedBroker broker) throws Exception {
        RawClient dying = new RawClient(broker.port());
        dying.send(Mqtt5Raw.connect("flaky", true, 60, Mqtt5Raw.props().intProp(SESSION_EXPIRY, 60), "wills/flaky",
                "gone", Mqtt5Raw.props().intProp(WILL_DELAY, 2), 0));
        assertEquals(RawClient.CONNACK, dying.read().type);
        dying.close();
        EmbeddedBroker.await("the connection is gone", () -> !broker.engine().connected().containsKey("flaky"));
    }

    private static void comeBack(EmbeddedBroker broker, boolean cleanStart) throws Exception {
        try (RawClient back = new RawClient(broker.port())) {
            back.send(Mqtt5Raw.connect("flaky", cleanStart, 60, Mqtt5Raw.props().intProp(SESSION_EXPIRY, 60)));
            assertEquals(RawClient.CONNACK, back.read().type);
            back.send(Mqtt5Raw.disconnect(0, Mqtt5Raw.props()));
            assertTrue(back.awaitClosed());
        }
    }

    @Test
    void aClientBackBeforeItsWillDelayHasNoWillEvenWithACleanStart() throws Exception {
        for (boolean cleanStart : new boolean[] {false, true}) {
            try (EmbeddedBroker broker = new EmbeddedBroker(); RawClient watcher = new RawClient(broker.port())) {
                assertEquals(0, watcher.connect("watcher", true, 60));
                watcher.subscribe(1, "wills/#", 0);
                loseConnectionWithDelayedWill(broker);
                comeBack(broker, cleanStart);
                assertNull(watcher.poll(3_000), "no will after the delay (clean start " + cleanStart + ")");
            }
        }
    }

    @Test
    void theWillGoesWhenTheClientStaysAway() throws Exception {
        try (EmbeddedBroker broker = new EmbeddedBroker(); RawClient watcher = new RawClient(broker.port())) {
            assertEquals(0, watcher.connect("watcher", true, 60));
            watcher.subscribe(1, "wills/#", 0);
            loseConnectionWithDelayedWill(broker);
            assertEquals("gone", watcher.read().payloadText());
        }
    }

    @Test
    void aWillLargerThanMessageSizeLimitIsRefusedAtConnect() throws Exception {
        String big = "x".repeat(64);
        try (EmbeddedBroker broker = new EmbeddedBroker(Map.of("message_size_limit", 32))) {
            try (RawClient v5 = new RawClient(broker.port())) {
                v5.send(Mqtt5Raw.connect("big5", true, 60, Mqtt5Raw.props(), "wills/big", big, Mqtt5Raw.props(), 0));
                RawClient.Packet connack = v5.read();
                assertEquals(0x95, connack.body[1] & 0xFF, "packet too large");
                assertTrue(v5.awaitClosed());
            }
            try (RawClient v3 = new RawClient(broker.port())) {
                v3.send(RawClient.connectPacket("MQTT", 4, "big3", true, 60, "wills/big", big, 0, false, null, null));
                assertEquals(5, v3.read().body[1], "MQTT 3.1.1: not authorized, as Mosquitto answers");
            }
            try (RawClient small = new RawClient(broker.port())) {
                small.send(RawClient.connectPacket("MQTT", 4, "small", true, 60, "wills/small", "ok", 0, false, null,
                        null));
                assertEquals(0, small.read().body[1], "a will within the limit is accepted");
            }
        }
    }
}
