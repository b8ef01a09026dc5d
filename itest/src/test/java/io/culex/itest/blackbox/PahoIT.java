package io.culex.itest.blackbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.eclipse.paho.client.mqttv3.IMqttDeliveryToken;
import org.eclipse.paho.client.mqttv3.MqttCallback;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The assembled broker with Eclipse Paho (MQTT 3.1.1): sessions across reconnects, redelivery, takeover, keepalive
 * and the queue limits set in the configuration file.
 */
class PahoIT {

    private static CulexProcess culex;
    private static int port;

    @BeforeAll
    static void start() throws Exception {
        port = CulexProcess.freePort();
        culex = CulexProcess.install();
        Path conf = culex.writeConfig("test.conf", String.join("\n",
                "# limits under test",
                "listener " + port + " 127.0.0.1",
                "allow_anonymous true",
                "max_queued_messages 3",
                "max_inflight_messages 10",
                ""));
        culex.startAndAwait(conf, port);
    }

    @AfterAll
    static void stop() throws Exception {
        culex.close();
    }

    private static MqttConnectOptions options(boolean cleanSession) {
        MqttConnectOptions o = new MqttConnectOptions();
        o.setMqttVersion(MqttConnectOptions.MQTT_VERSION_3_1_1);
        o.setCleanSession(cleanSession);
        o.setAutomaticReconnect(false);
        return o;
    }

    /** What a test does with an arriving message; may throw, which makes Paho drop the connection unacknowledged. */
    private interface Arrival {
        void accept(String topic, MqttMessage message) throws Exception;
    }

    private static MqttCallback callback(Runnable onLost, Arrival onMessage) {
        return new MqttCallback() {
            @Override
            public void connectionLost(Throwable cause) {
                onLost.run();
            }

            @Override
            public void messageArrived(String topic, MqttMessage message) throws Exception {
                onMessage.accept(topic, message);
            }

            @Override
            public void deliveryComplete(IMqttDeliveryToken token) {
            }
        };
    }

    private static MqttClient client(String id, boolean cleanSession, BlockingQueue<MqttMessage> sink)
            throws MqttException {
        MqttClient c = new MqttClient("tcp://127.0.0.1:" + port, id, new MemoryPersistence());
        c.setCallback(callback(() -> { }, (topic, message) -> {
            if (sink != null) {
                sink.add(message);
            }
        }));
        c.connect(options(cleanSession));
        return c;
    }

    private static void publish(MqttClient c, String topic, String text, int qos) throws MqttException {
        c.publish(topic, text.getBytes(StandardCharsets.UTF_8), qos, false);
    }

    private static String text(MqttMessage m) {
        return new String(m.getPayload(), StandardCharsets.UTF_8);
    }

    @Test
    void sessionSurvivesReconnect() throws Exception {
        MqttClient sub = client("persistent-1", false, null);
        sub.subscribe("session/#", 1);
        sub.disconnect();
        sub.close();
        MqttClient pub = client("pub-1", true, null);
        publish(pub, "session/a", "while away", 1);
        BlockingQueue<MqttMessage> got = new LinkedBlockingQueue<>();
        MqttClient again = client("persistent-1", false, got);
        MqttMessage m = got.poll(10, TimeUnit.SECONDS);
        assertNotNull(m, "the queued message arrives after reconnecting");
        assertEquals("while away", text(m));
        again.disconnect();
        pub.disconnect();
    }

    @Test
    void unacknowledgedMessageIsRedeliveredWithDup() throws Exception {
        CountDownLatch refused = new CountDownLatch(1);
        MqttClient sub = new MqttClient("tcp://127.0.0.1:" + port, "redeliver", new MemoryPersistence());
        // Paho acknowledges only after messageArrived returns: throwing drops the connection unacknowledged
        sub.setCallback(callback(refused::countDown, (topic, message) -> {
            throw new Exception("not now");
        }));
        sub.connect(options(false));
        sub.subscribe("redeliver", 1);
        MqttClient pub = client("pub-2", true, null);
        publish(pub, "redeliver", "again", 1);
        assertTrue(refused.await(10, TimeUnit.SECONDS));
        sub.close();
        BlockingQueue<MqttMessage> got = new LinkedBlockingQueue<>();
        MqttClient again = client("redeliver", false, got);
        MqttMessage m = got.poll(10, TimeUnit.SECONDS);
        assertNotNull(m);
        assertEquals("again", text(m));
        assertTrue(m.isDuplicate(), "redelivered with DUP set");
        again.disconnect();
        pub.disconnect();
    }

    @Test
    void takeoverDisconnectsTheFirstClient() throws Exception {
        CountDownLatch lost = new CountDownLatch(1);
        MqttClient first = new MqttClient("tcp://127.0.0.1:" + port, "same-id", new MemoryPersistence());
        first.setCallback(callback(lost::countDown, (topic, message) -> { }));
        first.connect(options(true));
        MqttClient second = client("same-id", true, null);
        assertTrue(lost.await(10, TimeUnit.SECONDS), "the first connection is closed");
        assertTrue(second.isConnected());
        second.disconnect();
        first.close();
    }

    @Test
    void queueLimitFromTheConfigurationFile() throws Exception {
        MqttClient sub = client("queued", false, null);
        sub.subscribe("limited", 1);
        sub.disconnect();
        sub.close();
        MqttClient pub = client("pub-3", true, null);
        for (int i = 0; i < 6; i++) {
            publish(pub, "limited", "m" + i, 1);
        }
        BlockingQueue<MqttMessage> got = new LinkedBlockingQueue<>();
        MqttClient again = client("queued", false, got);
        List<String> texts = new ArrayList<>();
        MqttMessage m;
        while ((m = got.poll(1, TimeUnit.SECONDS)) != null) {
            texts.add(text(m));
        }
        assertEquals(List.of("m0", "m1", "m2"), texts, "max_queued_messages 3 keeps the first three");
        again.disconnect();
        pub.disconnect();
    }

    @Test
    void silentClientIsDisconnectedAfterOneAndAHalfKeepalives() throws Exception {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(10_000);
            byte[] connect = {0x10, 16, 0, 4, 'M', 'Q', 'T', 'T', 4, 2, 0, 1, 0, 4, 'q', 'u', 'i', 'e'};
            socket.getOutputStream().write(connect);
            InputStream in = socket.getInputStream();
            byte[] connack = in.readNBytes(4);
            assertEquals(0x20, connack[0]);
            assertEquals(0, connack[3]);
            long start = System.nanoTime();
            assertEquals(-1, in.read(), "the broker closes the connection");
            long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            // keep-alive 1 s: closed 1.5 s after the CONNECT, which came a moment before the CONNACK
            assertTrue(millis >= 1300 && millis <= 2700, "closed " + millis + " ms after CONNACK, expected ~1500");
        }
    }

    @Test
    void qos0IsNotQueuedForOfflineClientsByDefault() throws Exception {
        MqttClient sub = client("no-qos0", false, null);
        sub.subscribe("q0", 1);
        sub.disconnect();
        sub.close();
        MqttClient pub = client("pub-4", true, null);
        publish(pub, "q0", "dropped", 0);
        publish(pub, "q0", "kept", 1);
        BlockingQueue<MqttMessage> got = new LinkedBlockingQueue<>();
        MqttClient again = client("no-qos0", false, got);
        MqttMessage m = got.poll(10, TimeUnit.SECONDS);
        assertNotNull(m);
        assertEquals("kept", text(m));
        assertNull(got.poll(300, TimeUnit.MILLISECONDS));
        again.disconnect();
        pub.disconnect();
    }
}
