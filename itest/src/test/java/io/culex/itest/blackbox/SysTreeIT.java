package io.culex.itest.blackbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import org.junit.jupiter.api.Test;

/**
 * The {@code $SYS/broker/...} tree of the assembled broker, read with {@code mosquitto_sub -t '$SYS/#'} while
 * Mosquitto's clients do known things, and beside the real Mosquitto 2.0.
 */
class SysTreeIT {

    private static final String VERSION = System.getProperty("culex.version", "0.1.0-SNAPSHOT");

    private static CulexProcess start(String extraConfig, int port) throws Exception {
        CulexProcess culex = CulexProcess.install();
        Path conf = culex.writeConfig("sys.conf",
                "listener " + port + " 127.0.0.1\nallow_anonymous true\n" + extraConfig);
        culex.startAndAwait(conf, port);
        return culex;
    }

    @Test
    void theTreeCountsClientsMessagesAndBytes() throws Exception {
        int port = CulexProcess.freePort();
        try (CulexProcess culex = start("sys_interval 1\n", port); SysTreeWatcher sys = SysTreeWatcher.start(port)) {
            assertEquals("culex version " + VERSION, sys.await("version", v -> true));
            sys.await("uptime", v -> v.matches("\\d+ seconds"));
            sys.await("clients/connected", "1"); // the watcher

            List<MosquittoTools.Sub> clients = new ArrayList<>();
            try {
                for (int i = 0; i < 3; i++) {
                    clients.add(MosquittoTools.sub(port, "-i", "sys-client-" + i, "-t", "sys-test/" + i));
                }
                sys.await("clients/connected", "4");
                sys.await("clients/active", "4");
                sys.await("clients/total", "4");
                sys.await("clients/disconnected", "0");
                sys.await("clients/maximum", "4");
                sys.await("subscriptions/count", "4"); // $SYS/# and one per client
                // the rest of that update (the counters come after subscriptions/count) has arrived once the next
                // one begins
                sys.awaitUpdates(1);
                long received = sys.number("publish/messages/received");
                long bytesReceived = sys.number("publish/bytes/received");
                long packetsReceived = sys.number("messages/received");
                MosquittoTools.Result pub = MosquittoTools.pub(port, "-q", "1", "-t", "sys-test/0", "-m", "0123456789",
                        "--repeat", "10");
                assertEquals(0, pub.exitCode, pub.output);
                for (int i = 0; i < 10; i++) {
                    assertEquals("sys-test/0 0 0 0123456789", clients.get(0).next()); // subscribed at QoS 0
                }
                sys.await("publish/messages/received", Long.toString(received + 10));
                sys.await("publish/bytes/received", Long.toString(bytesReceived + 100));
                // CONNECT, 10 PUBLISH, DISCONNECT
                sys.await("messages/received", Long.toString(packetsReceived + 12));
                sys.await("load/publish/received/1min", v -> Double.parseDouble(v) > 0);
                sys.await("load/connections/1min", v -> Double.parseDouble(v) > 0);
                sys.await("load/sockets/1min", v -> Double.parseDouble(v) > 0);
                assertTrue(sys.number("publish/messages/sent") >= 10, sys.values().toString());
                assertTrue(sys.number("publish/bytes/sent") >= 100, sys.values().toString());
                assertTrue(sys.number("bytes/received") > bytesReceived + 100, sys.values().toString());
            } finally {
                for (MosquittoTools.Sub client : clients) {
                    client.close();
                }
            }
            sys.await("clients/connected", "1");
            sys.await("clients/total", "1");
            sys.await("clients/maximum", "5"); // the publisher made five at once; a maximum never goes down
            sys.await("subscriptions/count", "1");
        }
    }

    @Test
    void retainedAndStoredMessagesAreCounted() throws Exception {
        int port = CulexProcess.freePort();
        try (CulexProcess culex = start("sys_interval 1\n", port); SysTreeWatcher sys = SysTreeWatcher.start(port)) {
            sys.await("clients/maximum", "1");
            // from here on the set of retained $SYS topics is complete; two updates later its count is published
            sys.awaitUpdates(2);
            long retained = sys.number("retained messages/count");
            long stored = sys.number("store/messages/count");
            long storedBytes = sys.number("store/messages/bytes");
            assertEquals(stored, sys.number("messages/stored"), "the deprecated name carries the same value");

            assertEquals(0, MosquittoTools.pub(port, "-r", "-q", "1", "-t", "sys-test/kept", "-m", "12345").exitCode);
            sys.await("retained messages/count", Long.toString(retained + 1));
            // the retained message is held once; the $SYS messages replacing each other leave the count as it was
            sys.await("store/messages/count", Long.toString(stored + 1));
            sys.await("store/messages/bytes", v -> Long.parseLong(v) >= storedBytes + 5);

            assertEquals(0, MosquittoTools.pub(port, "-r", "-q", "1", "-t", "sys-test/kept", "-n").exitCode);
            sys.await("retained messages/count", Long.toString(retained));
        }
    }

    @Test
    void clientsCannotPublishToSys() throws Exception {
        int port = CulexProcess.freePort();
        try (CulexProcess culex = start("sys_interval 1\n", port); SysTreeWatcher sys = SysTreeWatcher.start(port)) {
            sys.await("version", "culex version " + VERSION);
            MosquittoTools.Result v5 = MosquittoTools.pub(port, "-V", "5", "-q", "1", "-r",
                    "-t", "$SYS/broker/version", "-m", "fake");
            assertTrue(v5.output.contains("Not authorized"), v5.toString());
            assertEquals(0, MosquittoTools.pub(port, "-q", "1", "-r", "-t", "$SYS/broker/uptime", "-m", "fake")
                    .exitCode);
            assertEquals(0, MosquittoTools.pub(port, "-q", "1", "-t", "$SYS/broker/fake", "-m", "fake").exitCode);
            // nor through a will
            MosquittoTools.Sub willing = MosquittoTools.sub(port, "-i", "willing", "-t", "sys-test/will",
                    "--will-topic", "$SYS/broker/will", "--will-payload", "fake", "--will-retain");
            culex.awaitLog("Will of client willing to '\\$SYS/broker/will' denied", () -> {
                willing.process().destroyForcibly().waitFor(); // the connection is lost: the will is due
            });
            willing.close();
            // the broker's own messages go on; the clients' never arrive
            sys.awaitUpdates(2);
            try (SysTreeWatcher late = SysTreeWatcher.start(port)) {
                assertEquals("culex version " + VERSION, late.await("version", v -> true));
                late.awaitUpdates(1);
                assertTrue(late.values().values().stream().noneMatch("fake"::equals), late.output());
            }
            assertTrue(sys.values().values().stream().noneMatch("fake"::equals), sys.output());
        }
    }

    @Test
    void sysIntervalZeroPublishesNothingUntilAReloadTurnsItOn() throws Exception {
        int port = CulexProcess.freePort();
        try (CulexProcess culex = start("sys_interval 0\n", port)) {
            culex.awaitLog("culex version .* running");
            try (SysTreeWatcher sys = SysTreeWatcher.start(port, "sys-test/marker")) {
                assertEquals(0, MosquittoTools.pub(port, "-t", "sys-test/marker", "-m", "m").exitCode);
                // a retained $SYS message would have come on subscribing, before the marker
                assertEquals("sys-test/marker\tm", sys.poll(10_000));
                // nothing periodic either: 3 s are three updates at sys_interval 1, the shortest there is
                assertNull(sys.poll(3_000), sys.output());

                Path conf = culex.home().resolve("conf/sys.conf");
                Files.writeString(conf, Files.readString(conf).replace("sys_interval 0", "sys_interval 1"));
                culex.signal("HUP");
                assertEquals("culex version " + VERSION, sys.await("version", v -> true));
                sys.await("clients/connected", "1");
            }
        }
    }

    @Test
    void theTopicsAreMosquittosTopics() throws Exception {
        int culexPort = CulexProcess.freePort();
        int mosquittoPort = CulexProcess.freePort();
        Path dir = Files.createTempDirectory("sys-mosquitto");
        Path mosquittoConf = dir.resolve("mosquitto.conf");
        Files.writeString(mosquittoConf, MosquittoBroker.userLine() + "listener " + mosquittoPort
                + " 127.0.0.1\nallow_anonymous true\nsys_interval 1\n");
        try (CulexProcess culex = start("sys_interval 1\n", culexPort);
                MosquittoBroker mosquitto = MosquittoBroker.start(mosquittoConf, mosquittoPort);
                SysTreeWatcher culexSys = SysTreeWatcher.start(culexPort);
                SysTreeWatcher mosquittoSys = SysTreeWatcher.start(mosquittoPort)) {
            // with a client connected (the watcher) both publish their whole tree within a few updates
            culexSys.await("clients/maximum", "1");
            mosquittoSys.await("clients/maximum", "1");
            culexSys.awaitUpdates(2);
            mosquittoSys.awaitUpdates(2);
            Set<String> culexTopics = new TreeSet<>(culexSys.values().keySet());
            Set<String> mosquittoTopics = new TreeSet<>(mosquittoSys.values().keySet());
            assertEquals(mosquittoTopics, culexTopics);
            assertTrue(mosquittoSys.values().get("$SYS/broker/version").startsWith("mosquitto version "));
            // the same text forms
            for (String topic : culexTopics) {
                String culexValue = culexSys.values().get(topic);
                String mosquittoValue = mosquittoSys.values().get(topic);
                assertEquals(form(mosquittoValue), form(culexValue), topic + ": " + culexValue + " / " + mosquittoValue);
            }
        } finally {
            Files.deleteIfExists(mosquittoConf);
            Files.deleteIfExists(dir);
        }
    }

    /** The shape of a value: digits become 9, so "12.50" and "0.00" compare equal, "12" and "1.00" do not. */
    private static String form(String value) {
        return value.replaceAll("\\d+", "9").replaceAll("^(mosquitto|culex) version .*", "<name> version <v>");
    }
}
