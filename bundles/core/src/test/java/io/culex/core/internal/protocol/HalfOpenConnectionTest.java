package io.culex.core.internal.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import io.culex.core.internal.testing.BlackholeProxy;
import io.culex.core.internal.testing.EmbeddedBroker;
import io.culex.core.internal.testing.LeakDetection;
import io.culex.core.internal.testing.RawClient;

/**
 * Issue 14, half-open connections: a client that vanishes without a FIN (here: a proxy that stops forwarding and
 * closes nothing) is detected by the keep-alive within 1.5 times its keep-alive, and its will is published exactly
 * once. Several clients with different keep-alives vanish at the same moment; each is timed from the last bytes
 * the broker received from it.
 */
@ExtendWith(LeakDetection.class)
class HalfOpenConnectionTest {

    /** The timer may fire a little early against our clock: the proxy notes the time just after writing. */
    private static final long EARLY_MARGIN_MILLIS = 150;
    /** Scheduling slack on a loaded two-core machine. */
    private static final long LATE_MARGIN_MILLIS = 1_000;
    /** How long a second will would have to show up. */
    private static final int SECOND_WILL_WAIT_MILLIS = 700;

    private record Vanishing(String id, int keepAliveSeconds, BlackholeProxy proxy, RawClient client) {
    }

    @Test
    void clientsThatVanishWithoutFinAreDetectedWithinOneAndAHalfKeepAlivesAndTheirWillsPublishedOnce()
            throws Exception {
        try (EmbeddedBroker broker = new EmbeddedBroker(); RawClient watcher = new RawClient(broker.port())) {
            assertEquals(0, watcher.connect("watcher", true, 0));
            watcher.subscribe(1, "wills/#", 1);

            List<Vanishing> clients = new ArrayList<>();
            try {
                for (int keepAlive : new int[] {1, 2, 2}) {
                    String id = "vanishing-" + clients.size();
                    BlackholeProxy proxy = new BlackholeProxy(broker.port());
                    RawClient client = new RawClient(proxy.port());
                    clients.add(new Vanishing(id, keepAlive, proxy, client));
                    client.send(RawClient.connectPacket("MQTT", 4, id, true, keepAlive, "wills/" + id, "gone", 1,
                            false, null, null));
                    assertEquals(0, client.read().body[1], "CONNACK through the proxy");
                }
                for (Vanishing v : clients) {
                    v.client.send(0xC0, 0); // a PINGREQ through the proxy: the path works until it does not
                    assertEquals(RawClient.PINGRESP, v.client.read().type);
                    v.proxy.blackhole();
                }

                for (Vanishing v : clients) {
                    long closed = v.proxy.awaitBrokerClosed(10, TimeUnit.SECONDS);
                    long afterMillis = (closed - v.proxy.lastForwardedToBrokerNanos()) / 1_000_000;
                    long expected = v.keepAliveSeconds * 1500L;
                    assertTrue(afterMillis >= expected - EARLY_MARGIN_MILLIS
                                    && afterMillis <= expected + LATE_MARGIN_MILLIS,
                            v.id + " closed " + afterMillis + " ms after its last bytes, expected " + expected);
                }

                Map<String, Integer> wills = new HashMap<>();
                for (int i = 0; i < clients.size(); i++) {
                    RawClient.Packet will = watcher.read();
                    assertEquals(RawClient.PUBLISH, will.type);
                    assertEquals("gone", will.payloadText());
                    wills.merge(will.topic(), 1, Integer::sum);
                    watcher.ack(RawClient.PUBACK, will.publishPacketId());
                }
                assertNull(watcher.poll(SECOND_WILL_WAIT_MILLIS), "a will published twice");
                Map<String, Integer> expectedWills = new HashMap<>();
                clients.forEach(v -> expectedWills.put("wills/" + v.id, 1));
                assertEquals(expectedWills, wills);

                for (Vanishing v : clients) {
                    assertTrue(!broker.engine().connected().containsKey(v.id), v.id + " still listed as connected");
                }
                assertEquals(0, broker.engine().stats().internalErrors());
            } finally {
                for (Vanishing v : clients) {
                    v.client.close();
                    v.proxy.close();
                }
            }
        }
    }
}
