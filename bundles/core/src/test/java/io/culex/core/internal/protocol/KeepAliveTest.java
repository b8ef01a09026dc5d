package io.culex.core.internal.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import io.culex.core.internal.testing.EmbeddedBroker;
import io.culex.core.internal.testing.LeakDetection;
import io.culex.core.internal.testing.RawClient;

/**
 * Keep-alive as a client sees it [MQTT-3.1.2-24]: the broker closes a connection that sent nothing for one and a
 * half keep-alive periods, any packet from the client counts, and keep-alive 0 turns the mechanism off.
 */
@ExtendWith(LeakDetection.class)
class KeepAliveTest {

    /** The broker's last read is the CONNECT, which precedes the CONNACK the clock starts from. */
    private static final long EARLIEST_CLOSE_MILLIS = 1_300;
    /** 1.5 s plus scheduling slack on a loaded two-core machine. */
    private static final long LATEST_CLOSE_MILLIS = 2_700;

    /** @return how long after its CONNACK a silent client with keep-alive 1 s was closed */
    private static long millisUntilClosed(RawClient silent, long connackNanos) throws Exception {
        assertTrue(silent.awaitClosed(), "the silent client is closed");
        return (System.nanoTime() - connackNanos) / 1_000_000;
    }

    @Test
    void aSilentClientIsClosedAfterOneAndAHalfKeepAlivePeriods() throws Exception {
        try (EmbeddedBroker broker = new EmbeddedBroker(); RawClient silent = new RawClient(broker.port())) {
            assertEquals(0, silent.connect("silent", true, 1));
            long elapsed = millisUntilClosed(silent, System.nanoTime());
            assertTrue(elapsed >= EARLIEST_CLOSE_MILLIS && elapsed <= LATEST_CLOSE_MILLIS,
                    "closed " + elapsed + " ms after CONNACK, expected about 1500 ms");
        }
    }

    @Test
    void pingsWithinTheKeepAliveKeepTheClientConnected() throws Exception {
        try (EmbeddedBroker broker = new EmbeddedBroker(); RawClient pinger = new RawClient(broker.port())) {
            assertEquals(0, pinger.connect("pinger", true, 1));
            for (int i = 0; i < 4; i++) {
                pinger.send(0xC0, 0);
                assertEquals(RawClient.PINGRESP, pinger.read().type);
                Thread.sleep(700); // the client's own schedule, below 1.5 s: 2.8 s in all, past one timeout
            }
        }
    }

    /**
     * QoS 0 publishes to a topic nobody subscribes to: the broker answers nothing, so only its reading of them can
     * keep the connection open past 1.5 s.
     */
    @Test
    void anyPacketFromTheClientResetsTheKeepAliveTimer() throws Exception {
        try (EmbeddedBroker broker = new EmbeddedBroker(); RawClient talker = new RawClient(broker.port())) {
            assertEquals(0, talker.connect("talker", true, 1));
            byte[] publish = RawClient.publishPacket("nobody/listens", "x".getBytes(StandardCharsets.UTF_8), 0,
                    false, false, 0);
            for (int i = 0; i < 5; i++) {
                Thread.sleep(600); // the client's own schedule: 3 s in all, two timeouts for a ping-only timer
                talker.send(publish);
            }
            talker.send(0xC0, 0);
            assertEquals(RawClient.PINGRESP, talker.read().type, "still connected after 3 s without a PINGREQ");
        }
    }

    /** A keep-alive 1 client beside it is closed; the keep-alive 0 one, silent as long, still answers. */
    @Test
    void keepAliveZeroIsNeverTimedOut() throws Exception {
        try (EmbeddedBroker broker = new EmbeddedBroker();
             RawClient zero = new RawClient(broker.port());
             RawClient one = new RawClient(broker.port())) {
            assertEquals(0, zero.connect("zero", true, 0));
            assertEquals(0, one.connect("one", true, 1));
            long elapsed = millisUntilClosed(one, System.nanoTime());
            assertTrue(elapsed >= EARLIEST_CLOSE_MILLIS, "the comparison client timed out, after " + elapsed + " ms");
            zero.send(0xC0, 0);
            assertEquals(RawClient.PINGRESP, zero.read().type, "keep-alive 0: still connected");
        }
    }
}
