package io.culex.core.internal.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import io.culex.core.internal.testing.EmbeddedBroker;
import io.culex.core.internal.testing.LeakDetection;
import io.culex.core.internal.testing.Mqtt5Raw;
import io.culex.core.internal.testing.PahoClient;
import io.culex.core.internal.testing.RawClient;

/** Wills: published on abnormal loss, never after DISCONNECT, with their QoS and retain flag. */
@ExtendWith(LeakDetection.class)
class WillTest {

    private static byte[] connectWithWill(String id, int qos, boolean retain) {
        return RawClient.connectPacket("MQTT", 4, id, true, 60, "wills/" + id, "offline", qos, retain, null, null);
    }

    @Test
    void willIsPublishedWhenTheConnectionIsLost() throws Exception {
        try (EmbeddedBroker broker = new EmbeddedBroker();
             PahoClient watcher = PahoClient.connect(broker.uri(), "watcher")) {
            watcher.subscribe("wills/#", 2);
            RawClient dying = new RawClient(broker.port());
            dying.send(connectWithWill("dying", 1, false));
            assertEquals(0, dying.read().body[1]);
            dying.close();
            PahoClient.Received will = watcher.next();
            assertEquals("wills/dying", will.topic);
            assertEquals("offline", will.text());
            assertEquals(1, will.message.getQos());
        }
    }

    /**
     * A connection the broker closes for a malformed packet or a protocol error did not end with DISCONNECT: the
     * will is published [MQTT-3.1.2-8], in MQTT 3.1.1 (closed) as in MQTT 5 (DISCONNECT 0x81/0x82 from the server).
     */
    @Test
    void willIsPublishedWhenTheBrokerClosesForABadPacket() throws Exception {
        byte[][] badPackets = {{(byte) 0xC0, 1, 0}, {(byte) 0x90, 3, 0, 1, 0}}; // PINGREQ with a byte, a SUBACK
        try (EmbeddedBroker broker = new EmbeddedBroker();
             PahoClient watcher = PahoClient.connect(broker.uri(), "watcher")) {
            watcher.subscribe("wills/#", 2);
            for (int level : new int[] {4, 5}) {
                for (byte[] bad : badPackets) {
                    String id = "bad-v" + level + "-" + (bad[0] & 0xFF);
                    try (RawClient client = new RawClient(broker.port())) {
                        client.send(level == 5
                                ? Mqtt5Raw.connect(id, true, 60, Mqtt5Raw.props(), "wills/" + id, "offline", null, 1)
                                : connectWithWill(id, 1, false));
                        assertEquals(0, client.read().body[1], "CONNACK");
                        client.send(bad);
                        assertTrue(client.awaitClosed());
                    }
                    PahoClient.Received will = watcher.next();
                    assertEquals("wills/" + id, will.topic);
                    assertEquals("offline", will.text());
                }
            }
        }
    }

    @Test
    void willIsNotPublishedAfterDisconnect() throws Exception {
        try (EmbeddedBroker broker = new EmbeddedBroker();
             PahoClient watcher = PahoClient.connect(broker.uri(), "watcher")) {
            watcher.subscribe("wills/#", 2);
            try (RawClient polite = new RawClient(broker.port())) {
                polite.send(connectWithWill("polite", 1, false));
                assertEquals(0, polite.read().body[1]);
                polite.send(0xE0, 0);
                assertTrue(polite.awaitClosed());
            }
            assertNull(watcher.poll(500));
        }
    }

    @Test
    void retainedWillIsStored() throws Exception {
        try (EmbeddedBroker broker = new EmbeddedBroker()) {
            RawClient dying = new RawClient(broker.port());
            dying.send(connectWithWill("keeper", 0, true));
            assertEquals(0, dying.read().body[1]);
            dying.close();
            EmbeddedBroker.await("retained will", () -> broker.engine().retained().size() == 1);
            try (PahoClient late = PahoClient.connect(broker.uri(), "late")) {
                late.subscribe("wills/keeper", 0);
                PahoClient.Received r = late.next();
                assertEquals("offline", r.text());
                assertTrue(r.message.isRetained());
            }
        }
    }

    @Test
    void willIsPublishedOnKeepaliveTimeout() throws Exception {
        try (EmbeddedBroker broker = new EmbeddedBroker();
             PahoClient watcher = PahoClient.connect(broker.uri(), "watcher");
             RawClient silent = new RawClient(broker.port())) {
            watcher.subscribe("wills/#", 1);
            silent.send(RawClient.connectPacket("MQTT", 4, "silent", true, 1, "wills/silent", "timed out", 0,
                    false, null, null));
            assertEquals(0, silent.read().body[1]);
            assertEquals("timed out", watcher.next().text());
        }
    }
}
