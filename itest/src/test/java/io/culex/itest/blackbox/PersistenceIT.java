package io.culex.itest.blackbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.junit.jupiter.api.Test;

import io.culex.itest.osgi.MqttProbe;

/**
 * Persistence of the assembled broker, as a user runs it: a clean restart restores sessions, subscriptions,
 * queued and retained messages; a SIGKILL at a random moment loses no message the broker acknowledged (QoS 1: none
 * lost; QoS 2: none lost and none twice); a cut store file still starts, and says what it dropped.
 */
class PersistenceIT {

    private static final Random RANDOM = new Random();

    private static String config(CulexProcess culex, int port) {
        return "listener " + port + " 127.0.0.1\nallow_anonymous true\npersistence true\npersistence_location "
                + culex.home().resolve("store") + "\nmax_queued_messages 100000\n";
    }

    private static MqttConnectOptions persistentSession() {
        MqttConnectOptions options = new MqttConnectOptions();
        options.setMqttVersion(MqttConnectOptions.MQTT_VERSION_3_1_1);
        options.setCleanSession(false);
        options.setMaxInflight(1000);
        return options;
    }

    /** A client whose received messages land in a queue as {@code topic payload}. */
    private static MqttClient client(int port, String id, MqttConnectOptions options, BlockingQueue<String> into)
            throws MqttException {
        return new MqttProbe(port).client(id, options, into);
    }

    private static String next(BlockingQueue<String> queue) throws InterruptedException {
        String m = queue.poll(20, TimeUnit.SECONDS);
        if (m == null) {
            throw new AssertionError("no message within 20 s");
        }
        return m;
    }

    @Test
    void aRestartRestoresSessionsSubscriptionsQueuedAndRetainedMessages() throws Exception {
        int port = CulexProcess.freePort();
        try (CulexProcess culex = CulexProcess.install()) {
            Path conf = culex.writeConfig("persistent.conf", config(culex, port));
            culex.startAndAwait(conf, port);
            BlockingQueue<String> kept = new LinkedBlockingQueue<>();
            MqttClient keeper = client(port, "keeper", persistentSession(), kept);
            keeper.subscribe(new String[] {"q1/#", "q2/#"}, new int[] {1, 2});
            keeper.disconnect();
            keeper.close();
            MqttClient publisher = client(port, "publisher", new MqttConnectOptions(), new LinkedBlockingQueue<>());
            for (int i = 0; i < 5; i++) {
                publisher.publish("q1/m", ("one-" + i).getBytes(StandardCharsets.UTF_8), 1, false);
                publisher.publish("q2/m", ("two-" + i).getBytes(StandardCharsets.UTF_8), 2, false);
            }
            publisher.publish("retained/r", "kept".getBytes(StandardCharsets.UTF_8), 1, true);
            publisher.disconnect();
            publisher.close();
            culex.signal("TERM");
            assertEquals(0, culex.awaitExit(), culex.log());

            culex.start("-c", conf.toString());
            culex.awaitPort(port);
            keeper = client(port, "keeper", persistentSession(), kept);
            List<String> got = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                got.add(next(kept));
            }
            for (int i = 0; i < 5; i++) {
                assertTrue(got.contains("q1/m one-" + i), got.toString());
                assertTrue(got.contains("q2/m two-" + i), got.toString());
            }
            MqttClient after = client(port, "after", new MqttConnectOptions(), new LinkedBlockingQueue<>());
            after.publish("q1/new", "after the restart".getBytes(StandardCharsets.UTF_8), 1, false);
            assertEquals("q1/new after the restart", next(kept), "the subscription was restored");
            BlockingQueue<String> reader = new LinkedBlockingQueue<>();
            MqttClient retainedReader = client(port, "reader", new MqttConnectOptions(), reader);
            retainedReader.subscribe("retained/#", 1);
            assertEquals("retained/r kept", next(reader));
            for (MqttClient c : List.of(keeper, after, retainedReader)) {
                c.disconnect();
                c.close();
            }
            assertTrue(culex.log().contains("Restored 2 session(s)") || culex.log().contains("Restored 1 session(s)"),
                    culex.log());
        }
    }

    @Test
    void aSigkillLosesNoAcknowledgedQos1Message() throws Exception {
        crashRounds(1);
    }

    @Test
    void aSigkillLosesNoAcknowledgedQos2MessageAndDuplicatesNone() throws Exception {
        crashRounds(2);
    }

    /**
     * Rounds of: a persistent subscriber offline, a publisher sending numbered messages and noting each one the
     * broker acknowledged, SIGKILL after a random number of acknowledgements, restart, and the subscriber must get
     * every acknowledged message (QoS 2: each once).
     */
    private void crashRounds(int qos) throws Exception {
        int port = CulexProcess.freePort();
        try (CulexProcess culex = CulexProcess.install()) {
            Path conf = culex.writeConfig("persistent.conf", config(culex, port));
            culex.startAndAwait(conf, port);
            BlockingQueue<String> received = new LinkedBlockingQueue<>();
            MqttClient keeper = client(port, "keeper", persistentSession(), received);
            keeper.subscribe("crash/#", qos);
            keeper.disconnect();
            keeper.close();
            Set<String> acknowledged = ConcurrentHashMap.newKeySet();
            for (int round = 0; round < 3; round++) {
                int killAfter = 50 + RANDOM.nextInt(400);
                CountDownLatch enough = new CountDownLatch(killAfter);
                int r = round;
                Thread publishing = new Thread(() -> {
                    try {
                        MqttClient publisher = client(port, "publisher", new MqttConnectOptions(),
                                new LinkedBlockingQueue<>());
                        for (int i = 0; i < 100_000; i++) {
                            String payload = r + "-" + i;
                            publisher.publish("crash/" + r, payload.getBytes(StandardCharsets.UTF_8), qos, false);
                            acknowledged.add("crash/" + r + " " + payload);
                            enough.countDown();
                        }
                    } catch (MqttException gone) {
                        // the broker was killed mid-stream
                    }
                }, "publisher-" + round);
                publishing.start();
                assertTrue(enough.await(60, TimeUnit.SECONDS), "acknowledgements before the kill:\n" + culex.log());
                culex.kill();
                publishing.join(TimeUnit.SECONDS.toMillis(30));
                culex.start("-c", conf.toString());
                culex.awaitPort(port);
            }
            keeper = client(port, "keeper", persistentSession(), received);
            Map<String, Integer> counts = new ConcurrentHashMap<>();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (!counts.keySet().containsAll(acknowledged) && System.nanoTime() < deadline) {
                String m = received.poll(1, TimeUnit.SECONDS);
                if (m != null) {
                    counts.merge(m, 1, Integer::sum);
                }
            }
            List<String> missing = new ArrayList<>(acknowledged);
            missing.removeAll(counts.keySet());
            assertTrue(missing.isEmpty(), missing.size() + " of " + acknowledged.size()
                    + " acknowledged messages lost, e.g. " + missing.subList(0, Math.min(5, missing.size())));
            if (qos == 2) {
                // what is still on its way after the last acknowledged one cannot be a copy of one received already
                String m;
                while ((m = received.poll(500, TimeUnit.MILLISECONDS)) != null) {
                    counts.merge(m, 1, Integer::sum);
                }
                counts.forEach((message, n) -> assertEquals(1, n, message + " delivered " + n + " times"));
            }
            keeper.disconnect();
            keeper.close();
        }
    }

    @Test
    void aStoreCutAtARandomOffsetStillStartsAndSaysWhatItDropped() throws Exception {
        int port = CulexProcess.freePort();
        try (CulexProcess culex = CulexProcess.install()) {
            Path conf = culex.writeConfig("persistent.conf", config(culex, port));
            culex.startAndAwait(conf, port);
            MqttClient keeper = client(port, "keeper", persistentSession(), new LinkedBlockingQueue<>());
            keeper.subscribe("cut/#", 1);
            keeper.disconnect();
            keeper.close();
            MqttClient publisher = client(port, "publisher", new MqttConnectOptions(), new LinkedBlockingQueue<>());
            for (int i = 0; i < 50; i++) {
                publisher.publish("cut/m", ("m-" + i).getBytes(StandardCharsets.UTF_8), 1, false);
            }
            culex.kill();
            Path log = culex.home().resolve("store/culex.db.log");
            long size = Files.size(log);
            // inside the last record (a message entry of some 80 bytes): a torn write, after the session's records
            long cut = size - 1 - RANDOM.nextInt(40);
            try (FileChannel c = FileChannel.open(log, StandardOpenOption.WRITE)) {
                c.truncate(cut);
            }
            culex.start("-c", conf.toString());
            culex.awaitPort(port);
            assertTrue(culex.log().contains("Persistence store recovered"), "cut at " + cut + " of " + size + ":\n"
                    + culex.log());
            BlockingQueue<String> kept = new LinkedBlockingQueue<>();
            keeper = client(port, "keeper", persistentSession(), kept);
            MqttClient after = client(port, "after", new MqttConnectOptions(), new LinkedBlockingQueue<>());
            after.publish("cut/after", "works".getBytes(StandardCharsets.UTF_8), 1, false);
            String m;
            do {
                m = next(kept);
            } while (!m.startsWith("cut/after"));
            assertEquals("cut/after works", m, "the session survived what was cut off before it");
        }
    }
}
