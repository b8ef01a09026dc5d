package io.culex.itest.blackbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Culex's bridge against a real Mosquitto (Debian package mosquitto) on loopback: a Mosquitto {@code connection}
 * block in culex.conf, checked with mosquitto_pub and mosquitto_sub on both sides.
 */
class BridgeIT {

    private static final String STATE_TOPIC = "$SYS/broker/connection/culex-it/state";

    @TempDir
    Path dir;

    private Path mosquittoConf(int port, String... extra) throws IOException {
        Path conf = dir.resolve("mosquitto-" + port + ".conf");
        Files.writeString(conf, MosquittoBroker.userLine() + "listener " + port + " 127.0.0.1\nallow_anonymous true\n"
                + String.join("\n", extra) + "\n");
        return conf;
    }

    /** culex.conf with a listener and the given bridge lines. */
    private static String culexConf(int port, String... bridgeLines) {
        return "listener " + port + " 127.0.0.1\nallow_anonymous true\n" + String.join("\n", bridgeLines) + "\n";
    }

    /** Waits until the retained state notification of the bridge on this broker is the given value. */
    private static void awaitState(int port, String topic, String value) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        String last = null;
        while (System.nanoTime() < deadline) {
            MosquittoTools.Result result = MosquittoTools.run("mosquitto_sub", port, "-t", topic, "-C", "1",
                    "-W", "2", "-F", "%p");
            last = result.toString();
            if (result.exitCode == 0 && result.output.trim().equals(value)) {
                return;
            }
        }
        throw new AssertionError("state on port " + port + " never became " + value + ", last: " + last);
    }

    @Test
    void outInAndBothWithPrefixesCrossOnceAtQos1() throws Exception {
        int remotePort = CulexProcess.freePort();
        int localPort = CulexProcess.freePort();
        try (MosquittoBroker mosquitto = MosquittoBroker.start(mosquittoConf(remotePort), remotePort);
                CulexProcess culex = CulexProcess.install()) {
            Path conf = culex.writeConfig("bridge.conf", culexConf(localPort,
                    "connection it",
                    "address 127.0.0.1:" + remotePort,
                    "remote_clientid culex-it",
                    "topic sensors/# out 1 local/ remote/",
                    "topic commands/# in 1 local/ remote/",
                    "topic shared/# both 1",
                    "restart_timeout 1"));
            culex.startAndAwait(conf, localPort);
            awaitState(remotePort, STATE_TOPIC, "1");
            awaitState(localPort, STATE_TOPIC, "1");

            try (MosquittoTools.Sub remote = MosquittoTools.sub(remotePort, "-q", "1", "-t", "remote/#", "-t", "shared/#");
                    MosquittoTools.Sub local = MosquittoTools.sub(localPort, "-q", "1", "-t", "local/#", "-t", "shared/#")) {
                assertEquals(0, MosquittoTools.pub(localPort, "-q", "1", "-t", "local/sensors/t1", "-m", "21").exitCode);
                assertEquals("remote/sensors/t1 1 0 21", remote.next(), "out: local prefix replaced by the remote one");
                assertEquals("local/sensors/t1 1 0 21", local.next());

                assertEquals(0, MosquittoTools.pub(remotePort, "-q", "1", "-t", "remote/commands/c1", "-m", "go").exitCode);
                assertEquals("remote/commands/c1 1 0 go", remote.next());
                assertEquals("local/commands/c1 1 0 go", local.next(), "in: remote prefix replaced by the local one");

                assertEquals(0, MosquittoTools.pub(localPort, "-q", "1", "-t", "shared/a", "-m", "from-culex").exitCode);
                assertEquals("shared/a 1 0 from-culex", local.next());
                assertEquals("shared/a 1 0 from-culex", remote.next());
                assertEquals(0, MosquittoTools.pub(remotePort, "-q", "1", "-t", "shared/b", "-m", "from-mosquitto").exitCode);
                assertEquals("shared/b 1 0 from-mosquitto", remote.next());
                assertEquals("shared/b 1 0 from-mosquitto", local.next());

                // What is not bridged stays local; the marker after it proves nothing else crossed before it.
                assertEquals(0, MosquittoTools.pub(localPort, "-q", "1", "-t", "local/commands/c2", "-m", "stays").exitCode);
                assertEquals("local/commands/c2 1 0 stays", local.next());
                assertEquals(0, MosquittoTools.pub(localPort, "-q", "1", "-t", "shared/marker", "-m", "end").exitCode);
                assertEquals("shared/marker 1 0 end", remote.next(), "no echo, no duplicate, nothing unbridged");
                assertEquals("shared/marker 1 0 end", local.next(), "a both message does not come back (no loop)");
            }
            assertTrue(mosquitto.log().contains("New bridge connected from 127.0.0.1"),
                    "try_private: Mosquitto sees a bridge:\n" + mosquitto.log());
        }
    }

    @Test
    void qos1MessagesQueuedDuringAnUpstreamOutageArriveAfterItRestarts() throws Exception {
        int remotePort = CulexProcess.freePort();
        int localPort = CulexProcess.freePort();
        Path store = Files.createDirectories(dir.resolve("mosquitto-data"));
        // Mosquitto keeps its sessions across the restart, as a production upstream does.
        Path remoteConf = mosquittoConf(remotePort, "persistence true", "persistence_location " + store + "/");
        try (CulexProcess culex = CulexProcess.install()) {
            MosquittoBroker mosquitto = MosquittoBroker.start(remoteConf, remotePort);
            try {
                culex.startAndAwait(culex.writeConfig("bridge.conf", culexConf(localPort,
                        "connection it",
                        "address 127.0.0.1:" + remotePort,
                        "remote_clientid culex-it",
                        "topic data/# out 1",
                        "restart_timeout 1 2")), localPort);
                awaitState(remotePort, STATE_TOPIC, "1");
                List<String> received = new ArrayList<>();
                try (MosquittoTools.Sub remote = MosquittoTools.sub(remotePort, "-q", "1", "-c", "-i", "it-sub",
                        "-t", "data/#")) {
                    assertEquals(0, MosquittoTools.pub(localPort, "-q", "1", "-t", "data/0", "-m", "before").exitCode);
                    assertEquals("data/0 1 0 before", remote.next());
                }
                try (MosquittoTools.Sub localState = MosquittoTools.sub(localPort, "-t", STATE_TOPIC)) {
                    assertEquals(STATE_TOPIC + " 0 1 1", localState.next(), "notification: connected (retained)");
                    mosquitto.close();
                    assertEquals(STATE_TOPIC + " 0 0 0", localState.next(), "notification: disconnected");

                    List<String> lines = new ArrayList<>();
                    for (int i = 1; i <= 100; i++) {
                        lines.add("m" + i);
                    }
                    publishLines(localPort, "data/outage", lines);

                    mosquitto = MosquittoBroker.start(remoteConf, remotePort);
                    assertEquals(STATE_TOPIC + " 0 0 1", localState.next(), "notification: connected again");
                }
                try (MosquittoTools.Sub remote = MosquittoTools.sub(remotePort, "-q", "1", "-c", "-i", "it-sub",
                        "-t", "data/#")) {
                    for (int i = 1; i <= 100; i++) {
                        received.add(remote.next());
                    }
                }
                for (int i = 1; i <= 100; i++) {
                    assertEquals("data/outage 1 0 m" + i, received.get(i - 1), "every QoS 1 message, in order");
                }
                assertTrue(culex.log().contains("Bridge it lost its connection to 127.0.0.1:" + remotePort),
                        culex.log());
            } finally {
                mosquitto.close();
            }
        }
    }

    @Test
    void mqtt5BridgeUsesNoLocalAndKeepsUserProperties() throws Exception {
        int remotePort = CulexProcess.freePort();
        int localPort = CulexProcess.freePort();
        try (MosquittoBroker mosquitto = MosquittoBroker.start(mosquittoConf(remotePort), remotePort);
                CulexProcess culex = CulexProcess.install()) {
            culex.startAndAwait(culex.writeConfig("bridge.conf", culexConf(localPort,
                    "connection it",
                    "address 127.0.0.1:" + remotePort,
                    "remote_clientid culex-it",
                    "bridge_protocol_version mqttv50",
                    "topic v5/# both 2")), localPort);
            awaitState(remotePort, STATE_TOPIC, "1");
            try (MosquittoTools.Sub remote = MosquittoTools.subFormatted("%t %q %P %p", "-h", "127.0.0.1", "-p",
                    Integer.toString(remotePort), "-V", "5", "-q", "2", "-t", "v5/#");
                    MosquittoTools.Sub local = MosquittoTools.subFormatted("%t %q %P %p", "-h", "127.0.0.1", "-p",
                            Integer.toString(localPort), "-V", "5", "-q", "2", "-t", "v5/#")) {
                assertEquals(0, MosquittoTools.pub(localPort, "-V", "5", "-q", "2", "-t", "v5/x", "-m", "hello",
                        "-D", "publish", "user-property", "origin", "culex-side").exitCode);
                assertEquals("v5/x 2 origin:culex-side hello", remote.next(), "QoS 2 and the user property cross");
                assertEquals("v5/x 2 origin:culex-side hello", local.next());
                assertEquals(0, MosquittoTools.pub(remotePort, "-V", "5", "-q", "1", "-t", "v5/y", "-m", "back")
                        .exitCode);
                assertEquals("v5/y 1  back", remote.next());
                assertEquals("v5/y 1  back", local.next(), "QoS is the lower of the message's and the topic's");
                assertEquals(0, MosquittoTools.pub(localPort, "-V", "5", "-q", "1", "-t", "v5/end", "-m", "end")
                        .exitCode);
                assertEquals("v5/end 1  end", remote.next(), "no-local: nothing came back to the remote side");
                assertEquals("v5/end 1  end", local.next(), "and nothing looped back to Culex");
            }
            assertTrue(mosquitto.log().contains("as culex-it (p5"), mosquitto.log());
        }
    }

    @Test
    void bridgesAreAddedAndRemovedByAReloadWithoutTouchingTheOthers() throws Exception {
        int remotePort = CulexProcess.freePort();
        int localPort = CulexProcess.freePort();
        try (MosquittoBroker mosquitto = MosquittoBroker.start(mosquittoConf(remotePort), remotePort);
                CulexProcess culex = CulexProcess.install()) {
            String first = String.join("\n", "connection first", "address 127.0.0.1:" + remotePort,
                    "remote_clientid first-bridge", "topic one/# out 1");
            String second = String.join("\n", "connection second", "address 127.0.0.1:" + remotePort,
                    "remote_clientid second-bridge", "topic two/# out 1");
            Path conf = culex.writeConfig("bridge.conf", culexConf(localPort, first));
            culex.startAndAwait(conf, localPort);
            awaitState(remotePort, "$SYS/broker/connection/first-bridge/state", "1");

            try (MosquittoTools.Sub remote = MosquittoTools.sub(remotePort, "-q", "1", "-t", "one/#", "-t", "two/#");
                    MosquittoTools.Sub bystander = MosquittoTools.sub(localPort, "-q", "1", "-t", "one/#")) {
                culex.writeConfig("bridge.conf", culexConf(localPort, first, second));
                culex.signal("HUP");
                awaitState(remotePort, "$SYS/broker/connection/second-bridge/state", "1");
                assertEquals(0, MosquittoTools.pub(localPort, "-q", "1", "-t", "two/a", "-m", "added").exitCode);
                assertEquals("two/a 1 0 added", remote.next());

                culex.writeConfig("bridge.conf", culexConf(localPort, first));
                culex.signal("HUP");
                // the removed bridge closes without DISCONNECT, so its will tells the remote side it is gone
                awaitState(remotePort, "$SYS/broker/connection/second-bridge/state", "0");
                assertEquals(0, MosquittoTools.pub(localPort, "-q", "1", "-t", "two/b", "-m", "removed").exitCode);
                assertEquals(0, MosquittoTools.pub(localPort, "-q", "1", "-t", "one/a", "-m", "still").exitCode);
                assertEquals("one/a 1 0 still", remote.next(), "the first bridge still runs; two/b did not cross");
                assertEquals("one/a 1 0 still", bystander.next());
                assertEquals(1, count(bystander.output(), "received CONNACK"),
                        "a local client stayed connected through both reloads:\n" + bystander.output());
            }
            assertEquals(1, count(mosquitto.log(), "New bridge connected from .* as first-bridge"),
                    "the first bridge was never restarted:\n" + mosquitto.log());
            assertEquals(1, count(culex.log(), "Bridge first started"), culex.log());
        }
    }

    @Test
    void aFailedAddressMovesOnToTheNextOne() throws Exception {
        int remotePort = CulexProcess.freePort();
        int localPort = CulexProcess.freePort();
        int nobody = CulexProcess.freePort();
        try (MosquittoBroker mosquitto = MosquittoBroker.start(mosquittoConf(remotePort), remotePort);
                CulexProcess culex = CulexProcess.install()) {
            culex.startAndAwait(culex.writeConfig("bridge.conf", culexConf(localPort,
                    "connection it",
                    "addresses 127.0.0.1:" + nobody + " 127.0.0.1:" + remotePort,
                    "remote_clientid culex-it",
                    "topic a/# out 1",
                    "restart_timeout 1")), localPort);
            culex.awaitLog("Bridge it could not connect to 127.0.0.1:" + nobody);
            culex.awaitLog("Bridge it connected to 127.0.0.1:" + remotePort);
            try (MosquittoTools.Sub remote = MosquittoTools.sub(remotePort, "-q", "1", "-t", "a/#")) {
                assertEquals(0, MosquittoTools.pub(localPort, "-q", "1", "-t", "a/b", "-m", "via-second").exitCode);
                assertEquals("a/b 1 0 via-second", remote.next());
            }
        }
    }

    @Test
    void withoutRoundRobinTheBridgeReturnsToTheMainAddressWhenItIsBack() throws Exception {
        int mainPort = CulexProcess.freePort();
        int backupPort = CulexProcess.freePort();
        int localPort = CulexProcess.freePort();
        try (MosquittoBroker backup = MosquittoBroker.start(mosquittoConf(backupPort), backupPort);
                CulexProcess culex = CulexProcess.install()) {
            culex.startAndAwait(culex.writeConfig("bridge.conf", culexConf(localPort,
                    "connection it",
                    "addresses 127.0.0.1:" + mainPort + " 127.0.0.1:" + backupPort,
                    "remote_clientid culex-it",
                    "topic a/# out 1",
                    "restart_timeout 1")), localPort);
            culex.awaitLog("Bridge it connected to 127.0.0.1:" + backupPort);
            try (MosquittoBroker main = MosquittoBroker.start(mosquittoConf(mainPort), mainPort)) {
                culex.awaitLog("Bridge it: the main address 127.0.0.1:" + mainPort + " answers again");
                culex.awaitLog("Bridge it connected to 127.0.0.1:" + mainPort);
                try (MosquittoTools.Sub remote = MosquittoTools.sub(mainPort, "-q", "1", "-t", "a/#")) {
                    assertEquals(0, MosquittoTools.pub(localPort, "-q", "1", "-t", "a/b", "-m", "main").exitCode);
                    assertEquals("a/b 1 0 main", remote.next());
                }
            }
        }
    }

    @Test
    void aLazyBridgeConnectsAtTheThresholdAndLeavesWhenIdle() throws Exception {
        int remotePort = CulexProcess.freePort();
        int localPort = CulexProcess.freePort();
        try (MosquittoBroker mosquitto = MosquittoBroker.start(mosquittoConf(remotePort), remotePort);
                CulexProcess culex = CulexProcess.install()) {
            culex.startAndAwait(culex.writeConfig("bridge.conf", culexConf(localPort,
                    "connection lazy",
                    "address 127.0.0.1:" + remotePort,
                    "remote_clientid culex-it",
                    "topic a/# out 1",
                    "start_type lazy",
                    "threshold 3",
                    "idle_timeout 2")), localPort);
            culex.awaitLog("Bridge lazy started");
            try (MosquittoTools.Sub remote = MosquittoTools.sub(remotePort, "-q", "1", "-t", "a/#")) {
                assertEquals(0, MosquittoTools.pub(localPort, "-q", "1", "-t", "a/1", "-m", "one").exitCode);
                assertEquals(0, MosquittoTools.pub(localPort, "-q", "1", "-t", "a/2", "-m", "two").exitCode);
                assertTrue(!culex.log().contains("Bridge lazy connected"), "below the threshold:\n" + culex.log());
                assertEquals(0, MosquittoTools.pub(localPort, "-q", "1", "-t", "a/3", "-m", "three").exitCode);
                assertEquals("a/1 1 0 one", remote.next(), "the threshold started the connection");
                assertEquals("a/2 1 0 two", remote.next());
                assertEquals("a/3 1 0 three", remote.next());
            }
            culex.awaitLog("Bridge lazy: idle for \\d+ s, disconnecting");
            awaitState(remotePort, STATE_TOPIC, "0");
        }
    }

    @Test
    void culexBridgesToCulex() throws Exception {
        int remotePort = CulexProcess.freePort();
        int localPort = CulexProcess.freePort();
        try (CulexProcess upstream = CulexProcess.install(); CulexProcess culex = CulexProcess.install()) {
            upstream.startAndAwait(upstream.writeConfig("upstream.conf", culexConf(remotePort)), remotePort);
            culex.startAndAwait(culex.writeConfig("bridge.conf", culexConf(localPort,
                    "connection v5",
                    "address 127.0.0.1:" + remotePort,
                    "remote_clientid culex-v5",
                    "bridge_protocol_version mqttv50",
                    "topic both/# both 1",
                    "connection v311",
                    "address 127.0.0.1:" + remotePort,
                    "remote_clientid culex-v311",
                    "topic up/# out 1",
                    "topic both311/# both 1")), localPort);
            culex.awaitLog("Bridge v5 connected to 127.0.0.1:" + remotePort);
            // a Culex upstream knows Mosquitto's bridge bit (try_private) as Mosquitto does
            culex.awaitLog("Bridge v311 connected to 127.0.0.1:" + remotePort);
            assertFalse(culex.log().contains("refused the bridge protocol flag"), culex.log());
            try (MosquittoTools.Sub remote = MosquittoTools.sub(remotePort, "-q", "1", "-t", "both/#", "-t", "up/#");
                    MosquittoTools.Sub local = MosquittoTools.sub(localPort, "-q", "1", "-t", "both/#")) {
                assertEquals(0, MosquittoTools.pub(localPort, "-q", "1", "-t", "up/x", "-m", "plain").exitCode);
                assertEquals("up/x 1 0 plain", remote.next());
                assertEquals(0, MosquittoTools.pub(localPort, "-q", "1", "-t", "both/a", "-m", "down-up").exitCode);
                assertEquals("both/a 1 0 down-up", local.next());
                assertEquals("both/a 1 0 down-up", remote.next());
                assertEquals(0, MosquittoTools.pub(remotePort, "-q", "1", "-t", "both/b", "-m", "up-down").exitCode);
                assertEquals("both/b 1 0 up-down", remote.next());
                assertEquals("both/b 1 0 up-down", local.next());
                assertEquals(0, MosquittoTools.pub(localPort, "-q", "0", "-t", "both/end", "-m", "end").exitCode);
                assertEquals("both/end 0 0 end", local.next(), "nothing echoed back to Culex (MQTT 5 no local)");
                assertEquals("both/end 0 0 end", remote.next(), "QoS 0 crosses too");
            }
            try (MosquittoTools.Sub local = MosquittoTools.sub(localPort, "-q", "1", "-t", "both311/#")) {
                assertEquals(0, MosquittoTools.pub(localPort, "-q", "1", "-t", "both311/a", "-m", "once").exitCode);
                assertEquals("both311/a 1 0 once", local.next());
                assertEquals(0, MosquittoTools.pub(localPort, "-q", "1", "-t", "both311/z", "-m", "marker").exitCode);
                assertEquals("both311/z 1 0 marker", local.next(),
                        "no echo through the MQTT 3.1.1 bridge: the upstream knows it is a bridge");
            }
        }
    }

    @Test
    void remoteCredentialsAreSentAndARefusalIsLogged() throws Exception {
        int remotePort = CulexProcess.freePort();
        int localPort = CulexProcess.freePort();
        Path passwords = dir.resolve("passwords");
        assertEquals(0, MosquittoTools.exec("mosquitto_passwd", "-b", "-c", passwords.toString(), "edge", "s3cret")
                .exitCode);
        Path remoteConf = dir.resolve("mosquitto-auth.conf");
        Files.writeString(remoteConf, MosquittoBroker.userLine() + "listener " + remotePort + " 127.0.0.1\n"
                + "allow_anonymous false\npassword_file " + passwords + "\n");
        try (MosquittoBroker mosquitto = MosquittoBroker.start(remoteConf, remotePort);
                CulexProcess culex = CulexProcess.install()) {
            culex.startAndAwait(culex.writeConfig("bridge.conf", culexConf(localPort,
                    "connection good",
                    "address 127.0.0.1:" + remotePort,
                    "remote_clientid culex-good",
                    "remote_username edge",
                    "remote_password s3cret",
                    "topic a/# out 1",
                    "connection bad",
                    "address 127.0.0.1:" + remotePort,
                    "remote_clientid culex-bad",
                    "username edge",
                    "password wrong",
                    "topic b/# out 1",
                    "restart_timeout 1")), localPort);
            culex.awaitLog("Bridge good connected to 127.0.0.1:" + remotePort);
            culex.awaitLog("Bridge bad could not connect to 127.0.0.1:" + remotePort
                    + " \\(connection refused by 127.0.0.1:" + remotePort + ": CONNECTION_REFUSED_NOT_AUTHORIZED\\)");
            try (MosquittoTools.Sub remote = MosquittoTools.sub(remotePort, "-u", "edge", "-P", "s3cret", "-q", "1",
                    "-t", "a/#")) {
                assertEquals(0, MosquittoTools.pub(localPort, "-q", "1", "-t", "a/x", "-m", "authenticated").exitCode);
                assertEquals("a/x 1 0 authenticated", remote.next());
            }
        }
    }

    @Test
    void aBadBridgeOptionNamesFileAndLine() throws Exception {
        try (CulexProcess culex = CulexProcess.install()) {
            Path conf = culex.writeConfig("bad.conf", culexConf(CulexProcess.freePort(),
                    "connection it", "address 127.0.0.1:1883", "topic a/# sideways 1"));
            culex.start("-c", conf.toString());
            assertEquals(3, culex.awaitExit());
            String log = culex.log();
            assertTrue(log.contains("Error: Invalid bridge topic direction 'sideways'."), log);
            assertTrue(log.contains("Error found at " + conf + ":5."), log);
        }
    }

    @Test
    void anUnreachableUpstreamIsRetriedWithBackoffAndALogLine() throws Exception {
        int localPort = CulexProcess.freePort();
        int nobody = CulexProcess.freePort();
        try (CulexProcess culex = CulexProcess.install()) {
            culex.startAndAwait(culex.writeConfig("bridge.conf", culexConf(localPort, "connection it",
                    "address 127.0.0.1:" + nobody, "topic a/# out 1", "restart_timeout 1")), localPort);
            culex.awaitLog("Bridge it could not connect to 127.0.0.1:" + nobody + " \\(.*\\); retrying in 1 s");
            int before = count(culex.log(), "retrying in 1 s");
            long start = System.nanoTime();
            long deadline = start + TimeUnit.SECONDS.toNanos(20);
            while (count(culex.log(), "retrying in 1 s") < before + 2 && System.nanoTime() < deadline) {
                Thread.sleep(20); // polling the log file: there is no event to wait on in another process
            }
            assertTrue(count(culex.log(), "retrying in 1 s") >= before + 2, culex.log());
            // two more attempts take two waits of 1 s; even noticing the first one late leaves more than 1 s
            assertTrue(System.nanoTime() - start >= TimeUnit.MILLISECONDS.toNanos(1000),
                    "attempts are a restart_timeout apart, not a busy loop");
            assertTrue(count(culex.log(), "could not connect to") < 10, culex.log());
        }
    }

    @Test
    void aTlsBridgeWithAClientCertificateAndAnotherCaIsRefused() throws Exception {
        int remotePort = CulexProcess.freePort();
        int localPort = CulexProcess.freePort();
        Certificates certs = Certificates.create(dir.resolve("certs"));
        Path remoteConf = dir.resolve("mosquitto-tls.conf");
        Files.writeString(remoteConf, MosquittoBroker.userLine() + String.join("\n",
                "listener " + remotePort + " 127.0.0.1",
                "allow_anonymous true",
                "cafile " + certs.path("ca.crt"),
                "certfile " + certs.path("server.crt"),
                "keyfile " + certs.path("server.key"),
                "require_certificate true",
                "use_identity_as_username true", ""));
        try (MosquittoBroker mosquitto = MosquittoBroker.start(remoteConf, remotePort);
                CulexProcess culex = CulexProcess.install()) {
            culex.startAndAwait(culex.writeConfig("bridge.conf", culexConf(localPort,
                    "connection secure",
                    "address 127.0.0.1:" + remotePort,
                    "remote_clientid culex-it",
                    "topic tls/# out 1",
                    "bridge_cafile " + certs.path("ca.crt"),
                    "bridge_certfile " + certs.path("client.crt"),
                    "bridge_keyfile " + certs.path("client.key"),
                    "bridge_tls_version tlsv1.2",
                    "connection untrusted",
                    "address 127.0.0.1:" + remotePort,
                    "remote_clientid culex-untrusted",
                    "topic nothing/# out 1",
                    "bridge_cafile " + certs.path("other-ca.crt"),
                    "restart_timeout 1")), localPort);
            culex.awaitLog("Bridge secure connected to 127.0.0.1:" + remotePort);
            try (MosquittoTools.Sub remote = MosquittoTools.sub(remotePort, "--cafile", certs.path("ca.crt"),
                    "--cert", certs.path("client.crt"), "--key", certs.path("client.key"), "-q", "1", "-t", "tls/#")) {
                assertEquals(0, MosquittoTools.pub(localPort, "-q", "1", "-t", "tls/a", "-m", "sealed").exitCode);
                assertEquals("tls/a 1 0 sealed", remote.next());
            }
            culex.awaitLog("Bridge untrusted could not connect to 127.0.0.1:" + remotePort + " \\(.*\\); retrying");
            assertTrue(mosquitto.log().contains("as culex-it"), mosquitto.log());
            assertTrue(!mosquitto.log().contains("as culex-untrusted"), "the server was not trusted, so the bridge "
                    + "never sent its CONNECT:\n" + mosquitto.log());
        }
    }

    private static int count(String text, String regex) {
        Matcher matcher = Pattern.compile(regex).matcher(text);
        int count = 0;
        while (matcher.find()) {
            count++;
        }
        return count;
    }

    /** {@code mosquitto_pub -l}: one QoS 1 message per line, from one connection, in order. */
    private static void publishLines(int port, String topic, List<String> lines) throws Exception {
        Process pub = new ProcessBuilder("mosquitto_pub", "-h", "127.0.0.1", "-p", Integer.toString(port), "-q", "1",
                "-t", topic, "-l").redirectErrorStream(true).start();
        try (OutputStream in = pub.getOutputStream()) {
            in.write((String.join("\n", lines) + "\n").getBytes(StandardCharsets.UTF_8));
        }
        assertTrue(pub.waitFor(30, TimeUnit.SECONDS), "mosquitto_pub -l did not finish");
        assertEquals(0, pub.exitValue(), new String(pub.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
    }
}
