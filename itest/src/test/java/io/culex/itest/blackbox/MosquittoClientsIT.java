package io.culex.itest.blackbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.file.Path;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The assembled broker with Mosquitto's own clients: what a Mosquitto user does first.
 */
class MosquittoClientsIT {

    private static CulexProcess culex;
    private static int port;

    @BeforeAll
    static void start() throws Exception {
        port = CulexProcess.freePort();
        culex = CulexProcess.install();
        Path conf = culex.writeConfig("test.conf", "listener " + port + " 127.0.0.1\nallow_anonymous true\n");
        culex.startAndAwait(conf, port);
    }

    @AfterAll
    static void stop() throws Exception {
        culex.close();
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 2})
    void publishAndSubscribeAtEachQos(int qos) throws Exception {
        String topic = "qos/" + qos;
        try (MosquittoTools.Sub sub = MosquittoTools.sub(port, "-q", "2", "-t", topic)) {
            assertEquals(0, MosquittoTools.pub(port, "-q", Integer.toString(qos), "-t", topic, "-m", "hello").exitCode);
            assertEquals(topic + " " + qos + " 0 hello", sub.next());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"mqttv31", "mqttv311"})
    void protocolVersions(String version) throws Exception {
        String topic = "version/" + version;
        try (MosquittoTools.Sub sub = MosquittoTools.sub(port, "-V", version, "-q", "1", "-t", topic)) {
            assertEquals(0, MosquittoTools.pub(port, "-V", version, "-q", "1", "-t", topic, "-m", "v").exitCode);
            assertEquals(topic + " 1 0 v", sub.next());
        }
    }

    @Test
    void retainedMessagesAreDeliveredOnSubscribeAndCleared() throws Exception {
        assertEquals(0, MosquittoTools.pub(port, "-r", "-q", "1", "-t", "retained/a", "-m", "kept").exitCode);
        try (MosquittoTools.Sub sub = MosquittoTools.sub(port, "-q", "1", "-t", "retained/#")) {
            assertEquals("retained/a 1 1 kept", sub.next());
        }
        assertEquals(0, MosquittoTools.pub(port, "-r", "-n", "-t", "retained/a").exitCode);
        assertEquals(0, MosquittoTools.pub(port, "-r", "-t", "retained/marker", "-m", "m").exitCode);
        try (MosquittoTools.Sub sub = MosquittoTools.sub(port, "-t", "retained/#")) {
            assertEquals("retained/marker 0 1 m", sub.next(), "the cleared message is gone");
        }
    }

    @Test
    void wildcards() throws Exception {
        try (MosquittoTools.Sub sub = MosquittoTools.sub(port, "-t", "w/+/c", "-t", "deep/#")) {
            assertEquals(0, MosquittoTools.pub(port, "-t", "w/b/d", "-m", "no").exitCode);
            assertEquals(0, MosquittoTools.pub(port, "-t", "w/b/c", "-m", "plus").exitCode);
            assertEquals(0, MosquittoTools.pub(port, "-t", "deep/1/2/3", "-m", "hash").exitCode);
            assertEquals(0, MosquittoTools.pub(port, "-t", "deep", "-m", "parent").exitCode);
            assertEquals("w/b/c 0 0 plus", sub.next());
            assertEquals("deep/1/2/3 0 0 hash", sub.next());
            assertEquals("deep 0 0 parent", sub.next());
            assertNull(sub.poll(200));
        }
    }

    @Test
    void willIsPublishedWhenAClientDies() throws Exception {
        try (MosquittoTools.Sub watcher = MosquittoTools.sub(port, "-q", "1", "-t", "wills/#");
             MosquittoTools.Sub dying = MosquittoTools.sub(port, "-t", "nothing", "--will-topic", "wills/dying",
                     "--will-payload", "gone", "--will-qos", "1")) {
            dying.process().destroyForcibly().waitFor();
            assertEquals("wills/dying 1 0 gone", watcher.next());
        }
    }

    @Test
    void noWillAfterCleanDisconnect() throws Exception {
        try (MosquittoTools.Sub watcher = MosquittoTools.sub(port, "-q", "1", "-t", "wills/#")) {
            // mosquitto_pub connects with a will and disconnects cleanly after publishing
            assertEquals(0, MosquittoTools.pub(port, "-t", "x", "-m", "y", "--will-topic", "wills/polite",
                    "--will-payload", "bad").exitCode);
            assertEquals(0, MosquittoTools.pub(port, "-t", "wills/marker", "-m", "marker").exitCode);
            assertEquals("wills/marker 0 0 marker", watcher.next());
            assertNull(watcher.poll(300), "no will after the marker either");
        }
    }

    @Test
    void largePayloadRoundTrip() throws Exception {
        String big = "x".repeat(200_000);
        try (MosquittoTools.Sub sub = MosquittoTools.sub(port, "-q", "1", "-t", "big")) {
            java.nio.file.Path file = culex.home().resolve("big.txt");
            java.nio.file.Files.writeString(file, big);
            assertEquals(0, MosquittoTools.pub(port, "-q", "1", "-t", "big", "-f", file.toString()).exitCode);
            assertEquals("big 1 0 " + big, sub.next());
        }
    }
}
