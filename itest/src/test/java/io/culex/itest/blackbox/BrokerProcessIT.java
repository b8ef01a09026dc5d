package io.culex.itest.blackbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

/**
 * The broker as a process: command line, configuration errors, signals, reload, as Mosquitto behaves.
 */
class BrokerProcessIT {

    private static boolean portIsFree(int port) {
        try (Socket s = new Socket("127.0.0.1", port)) {
            return false;
        } catch (IOException e) {
            return true;
        }
    }

    @Test
    void withoutConfigurationItServesLoopbackPort1883AndStopsOnSigterm() throws Exception {
        // not skipped when the port is taken: a skipped test passes unseen, and this one is the default start
        assertTrue(portIsFree(1883), "this test needs port 1883, Culex's port with no configuration, and something"
                + " listens there already (see `ss -ltnp 'sport = :1883'`); stop it and run the tests again");
        try (CulexProcess culex = CulexProcess.install()) {
            culex.start();
            culex.awaitPort(1883);
            try (MosquittoTools.Sub sub = MosquittoTools.sub(1883, "-t", "hello")) {
                assertEquals(0, MosquittoTools.pub(1883, "-t", "hello", "-m", "world").exitCode);
                assertEquals("hello 0 0 world", sub.next());
            }
            culex.signal("TERM");
            assertEquals(0, culex.awaitExit(), culex.log());
        }
    }

    /**
     * Mosquitto users run several brokers from one installation with different configurations: each process has
     * its own bundle cache, so one starting (and cleaning its cache) does not pull the bundles from under another.
     */
    @Test
    void twoBrokersRunFromOneInstallation() throws Exception {
        int portA = CulexProcess.freePort();
        int portB = CulexProcess.freePort();
        try (CulexProcess a = CulexProcess.install(); CulexProcess b = a.anotherProcess("second")) {
            Path confA = a.writeConfig("a.conf", "listener " + portA + "\nallow_anonymous true\n");
            Path confB = a.writeConfig("b.conf", "listener " + portB + "\nallow_anonymous true\n");
            a.startAndAwait(confA, portA);
            b.startAndAwait(confB, portB);
            roundTrip(portA);
            roundTrip(portB);
            a.signal("TERM");
            assertEquals(0, a.awaitExit(), a.log());
            a.startAndAwait(confA, portA); // cleans its own cache at start, not the running one's
            roundTrip(portA);
            roundTrip(portB);
            Path caches = a.home().resolve("data/felix-cache");
            assertTrue(Files.isDirectory(caches.resolve("instance-0")) && Files.isDirectory(caches.resolve(
                    "instance-1")), "one cache per process");
        }
    }

    /**
     * Two brokers on one persistence store would corrupt it: the second is refused with the way out and exits 1, as
     * Mosquitto exits when it cannot open its database, instead of running without the store it was told to use.
     */
    @Test
    void aSecondBrokerOnTheSameStoreExitsWithTheReason() throws Exception {
        int portA = CulexProcess.freePort();
        int portB = CulexProcess.freePort();
        try (CulexProcess a = CulexProcess.install(); CulexProcess b = a.anotherProcess("second")) {
            Path confA = a.writeConfig("a.conf", "listener " + portA + "\nallow_anonymous true\npersistence true\n");
            Path confB = a.writeConfig("b.conf", "listener " + portB + "\nallow_anonymous true\npersistence true\n");
            a.startAndAwait(confA, portA);
            b.start("-c", confB.toString());
            assertEquals(1, b.awaitExit(), b.log());
            assertTrue(b.log().contains("is in use by another broker process")
                    && b.log().contains("persistence_location"), b.log());
            roundTrip(portA);
        }
    }

    private static void roundTrip(int port) throws Exception {
        try (MosquittoTools.Sub sub = MosquittoTools.sub(port, "-t", "two/brokers")) {
            assertEquals(0, MosquittoTools.pub(port, "-t", "two/brokers", "-m", "on " + port).exitCode);
            assertEquals("two/brokers 0 0 on " + port, sub.next());
        }
    }

    @Test
    void dashPChoosesThePort() throws Exception {
        int port = CulexProcess.freePort();
        try (CulexProcess culex = CulexProcess.install()) {
            culex.start("-p", Integer.toString(port));
            culex.awaitPort(port);
            assertEquals(0, MosquittoTools.pub(port, "-t", "p", "-m", "x").exitCode);
            culex.signal("INT");
            assertEquals(0, culex.awaitExit(), culex.log());
        }
    }

    @Test
    void unknownOptionInTheFileNamesFileAndLineAndExitsWithThree() throws Exception {
        try (CulexProcess culex = CulexProcess.install()) {
            Path conf = culex.writeConfig("bad.conf", "listener 1884\nbogus_option 1\n");
            culex.start("-c", conf.toString());
            assertEquals(3, culex.awaitExit());
            String log = culex.log();
            assertTrue(log.contains("Error: Unknown configuration variable \"bogus_option\"."), log);
            assertTrue(log.contains("Error found at " + conf + ":2."), log);
        }
    }

    @Test
    void badValueIsRejected() throws Exception {
        try (CulexProcess culex = CulexProcess.install()) {
            Path conf = culex.writeConfig("bad.conf", "max_inflight_messages many\n");
            culex.start("-c", conf.toString());
            assertEquals(3, culex.awaitExit());
            String log = culex.log();
            assertTrue(log.contains("Error: Invalid max_inflight_messages value (many)."), log);
            assertTrue(log.contains("Error found at " + conf + ":1."), log);
        }
    }

    @Test
    void missingConfigFile() throws Exception {
        try (CulexProcess culex = CulexProcess.install()) {
            culex.start("-c", "/nonexistent/culex.conf");
            assertEquals(3, culex.awaitExit());
            assertTrue(culex.log().contains("Error: Unable to open config file /nonexistent/culex.conf."),
                    culex.log());
        }
    }

    @Test
    void unknownCommandLineOption() throws Exception {
        try (CulexProcess culex = CulexProcess.install()) {
            culex.start("-x");
            assertEquals(3, culex.awaitExit());
            assertTrue(culex.log().contains("Error: Unknown option '-x'."), culex.log());
        }
    }

    @Test
    void sighupReloadsTheConfiguration() throws Exception {
        int port = CulexProcess.freePort();
        try (CulexProcess culex = CulexProcess.install()) {
            String listener = "listener " + port + " 127.0.0.1\n";
            Path conf = culex.writeConfig("reload.conf", listener + "allow_anonymous true\n");
            culex.startAndAwait(conf, port);
            assertEquals(0, MosquittoTools.pub(port, "-t", "r", "-m", "before").exitCode);

            culex.writeConfig("reload.conf", listener + "allow_anonymous false\n");
            culex.signal("HUP");
            culex.awaitLog("Reloading config\\.");
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            int exit;
            do {
                exit = MosquittoTools.pub(port, "-t", "r", "-m", "after").exitCode;
            } while (exit == 0 && System.nanoTime() < deadline);
            assertEquals(5, exit, "anonymous publishers are refused after the reload:\n" + culex.log());
        }
    }

    @Test
    void failedReloadKeepsTheRunningConfiguration() throws Exception {
        int port = CulexProcess.freePort();
        try (CulexProcess culex = CulexProcess.install()) {
            String listener = "listener " + port + " 127.0.0.1\n";
            Path conf = culex.writeConfig("reload.conf", listener + "allow_anonymous true\n");
            culex.startAndAwait(conf, port);
            culex.writeConfig("reload.conf", listener + "allow_anonymous maybe\n");
            culex.signal("HUP");
            culex.awaitLog("Error: Invalid allow_anonymous value \\(maybe\\)\\.");
            culex.awaitLog("Error found at .*reload\\.conf:2\\.");
            assertTrue(culex.process().isAlive());
            assertEquals(0, MosquittoTools.pub(port, "-t", "r", "-m", "still").exitCode);
        }
    }

    @Test
    void connectionsAreLoggedInMosquittoStyle() throws Exception {
        int port = CulexProcess.freePort();
        try (CulexProcess culex = CulexProcess.install()) {
            Path conf = culex.writeConfig("log.conf", "listener " + port + " 127.0.0.1\nallow_anonymous true\n");
            culex.startAndAwait(conf, port);
            assertEquals(0, MosquittoTools.pub(port, "-i", "logged-client", "-t", "l", "-m", "x").exitCode);
            culex.awaitLog("\\d+: New client connected from 127\\.0\\.0\\.1:\\d+ as logged-client \\(p2, c1, k60\\)\\.");
            culex.awaitLog("\\d+: Client logged-client disconnected\\.");
        }
    }
}
