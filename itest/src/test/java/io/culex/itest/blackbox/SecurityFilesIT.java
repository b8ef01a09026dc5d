package io.culex.itest.blackbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * password_file and acl_file: the assembled Culex and the real Mosquitto 2.0 run side by side with the same files
 * (the password file made by the real mosquitto_passwd) and must give the same answers. Also: files made by
 * culex-passwd work in Mosquitto, changed files apply to the next CONNECT / publish, bad files keep the broker up.
 */
class SecurityFilesIT {

    static final String ACL = String.join("\n",
            "topic read public/#",
            "topic deny public/secret",
            "user alice",
            "topic readwrite alice/#",
            "topic deny alice/private/#",
            "topic read shared/#",
            "topic read devices/#",
            "topic readwrite $app/#",
            "user bob",
            "topic write shared/#",
            "topic write public/#",
            "topic write inbox/#",
            "topic read #",
            "pattern readwrite devices/%c/#",
            "pattern read inbox/%u",
            "pattern readwrite sentinel/#",
            "");

    private static final AtomicInteger SEQUENCE = new AtomicInteger();
    private static Path dir;
    private static CulexProcess culex;
    private static MosquittoBroker mosquitto;
    private static int culexPort;
    private static int mosquittoPort;

    @BeforeAll
    static void startBoth() throws Exception {
        culex = CulexProcess.install();
        dir = culex.home().resolve("security");
        Files.createDirectories(dir);
        Path passwords = dir.resolve("passwd");
        run("mosquitto_passwd", "-c", "-b", passwords.toString(), "alice", "alice-pw");
        run("mosquitto_passwd", "-H", "sha512", "-b", passwords.toString(), "bob", "bob-pw");
        run("mosquitto_passwd", "-b", passwords.toString(), "carol", "carol-pw");
        Path acl = dir.resolve("acl");
        Files.writeString(acl, ACL);
        culexPort = CulexProcess.freePort();
        mosquittoPort = CulexProcess.freePort();
        String common = "allow_anonymous true\npassword_file " + passwords + "\nacl_file " + acl + "\n";
        culex.startAndAwait(culex.writeConfig("security.conf", "listener " + culexPort + " 127.0.0.1\n" + common),
                culexPort);
        Path mosquittoConf = dir.resolve("mosquitto.conf");
        Files.writeString(mosquittoConf, MosquittoBroker.userLine() + "listener " + mosquittoPort + " 127.0.0.1\n" + common);
        mosquitto = MosquittoBroker.start(mosquittoConf, mosquittoPort);
    }

    @AfterAll
    static void stopBoth() throws Exception {
        if (mosquitto != null) {
            mosquitto.close();
        }
        if (culex != null) {
            culex.close();
        }
    }

    @ParameterizedTest(name = "{0}:{1} connects -> exit {2}")
    @CsvSource(delimiter = '|', nullValues = "-", value = {
            "alice   | alice-pw | 0",
            "alice   | wrong    | 5",
            "alice   | -        | 5",
            "bob     | bob-pw   | 0",
            "mallory | x        | 5",
            "-       | -        | 0",
    })
    void authenticationLikeMosquitto(String user, String password, int expectedExit) throws Exception {
        List<String> args = new ArrayList<>(MosquittoTools.credentials(user, password, null));
        args.addAll(List.of("-q", "1", "-t", "sentinel/auth", "-m", "x"));
        int mosquittoExit = MosquittoTools.pub(mosquittoPort, args.toArray(String[]::new)).exitCode;
        int culexExit = MosquittoTools.pub(culexPort, args.toArray(String[]::new)).exitCode;
        assertEquals(expectedExit, mosquittoExit, "mosquitto itself");
        assertEquals(mosquittoExit, culexExit, "culex like mosquitto");
    }

    @ParameterizedTest(name = "{0}/{1} publishes {2}; {3}/{4} subscribed to {5}: delivered={6}")
    @CsvSource(delimiter = '|', nullValues = "-", value = {
            "bob   | -   | public/news        | -     | -   | public/#   | true",
            "bob   | -   | public/secret      | -     | -   | public/#   | false",
            "-     | -   | public/news        | -     | -   | public/#   | false",
            "alice | -   | alice/x            | alice | -   | alice/#    | true",
            "alice | -   | alice/private/x    | alice | -   | alice/#    | false",
            "bob   | -   | shared/x           | alice | -   | shared/#   | true",
            "alice | -   | shared/x           | alice | -   | shared/#   | false",
            "bob   | -   | inbox/carol        | carol | -   | inbox/#    | true",
            "bob   | -   | inbox/dave         | carol | -   | inbox/#    | false",
            "-     | d7  | devices/d7/t       | alice | -   | devices/#  | true",
            "-     | d8  | devices/d7/t       | alice | -   | devices/#  | false",
            "carol | d7  | devices/d7/t       | bob   | -   | #          | true",
            "alice | -   | $app/x             | bob   | -   | $app/#     | false",
            "alice | -   | $app/x             | alice | -   | $app/#     | true",
            "bob   | -   | shared/y           | bob   | -   | shared/#   | true",
            "bob   | -   | shared/y           | carol | -   | #          | false",
    })
    void aclLikeMosquitto(String pubUser, String pubId, String topic, String subUser, String subId, String filter,
            boolean expected) throws Exception {
        boolean onMosquitto = delivered(mosquittoPort, pubUser, pubId, topic, subUser, subId, filter);
        boolean onCulex = delivered(culexPort, pubUser, pubId, topic, subUser, subId, filter);
        assertEquals(expected, onMosquitto, "mosquitto itself");
        assertEquals(onMosquitto, onCulex, "culex like mosquitto");
    }

    /**
     * A retained message, published before, on SUBSCRIBE to a filter with {@code +}: only to a subscriber allowed
     * to read its topic.
     */
    @ParameterizedTest(name = "{0} leaves a retained {1}; {2} subscribes to {3}: delivered={4}")
    @CsvSource(delimiter = '|', nullValues = "-", value = {
            "bob   | public/r1      | -     | public/+   | true",
            "bob   | public/secret  | -     | public/+   | false",
            "bob   | shared/r1      | alice | shared/+   | true",
            "bob   | shared/r2      | carol | +/r2       | false",
            "alice | alice/r2       | carol | alice/+    | false",
            "alice | alice/r1       | bob   | alice/+    | true",
    })
    void retainedMessagesOnSubscribeRespectReadAccessLikeMosquitto(String pubUser, String topic, String subUser,
            String filter, boolean expected) throws Exception {
        boolean onMosquitto = retainedDelivered(mosquittoPort, pubUser, topic, subUser, filter);
        boolean onCulex = retainedDelivered(culexPort, pubUser, topic, subUser, filter);
        assertEquals(expected, onMosquitto, "mosquitto itself");
        assertEquals(onMosquitto, onCulex, "culex like mosquitto");
    }

    @Test
    void culexDeniesASubscriptionThatCouldNeverReceiveAnythingWhereMosquittoGrantsIt() throws Exception {
        assertEquals("Subscribed (mid: 1): 0", subAck(mosquittoPort, "carol", "carol-pw", "alice/#"),
                "mosquitto grants it");
        assertEquals("Subscribed (mid: 1): 128", subAck(culexPort, "carol", "carol-pw", "alice/#"),
                "culex refuses it");
    }

    @Test
    void filesWrittenByCulexPasswdWorkInMosquittoAndViceVersa() throws Exception {
        Path file = dir.resolve("from-culex-passwd");
        Path tool = culex.home().resolve("bin/culex-passwd");
        run(tool.toString(), "-c", "-b", file.toString(), "u1", "p1");
        run(tool.toString(), "-H", "sha512", "-b", file.toString(), "u2", "p2");
        run("mosquitto_passwd", "-b", file.toString(), "u3", "p3");
        int port = CulexProcess.freePort();
        Path conf = dir.resolve("mosquitto-2.conf");
        Files.writeString(conf, MosquittoBroker.userLine() + "listener " + port + " 127.0.0.1\npassword_file " + file + "\n");
        try (MosquittoBroker other = MosquittoBroker.start(conf, port)) {
            assertEquals(0, MosquittoTools.pub(port, "-u", "u1", "-P", "p1", "-t", "t", "-m", "m").exitCode);
            assertEquals(0, MosquittoTools.pub(port, "-u", "u2", "-P", "p2", "-t", "t", "-m", "m").exitCode);
            assertEquals(0, MosquittoTools.pub(port, "-u", "u3", "-P", "p3", "-t", "t", "-m", "m").exitCode);
            assertEquals(5, MosquittoTools.pub(port, "-u", "u1", "-P", "p2", "-t", "t", "-m", "m").exitCode);
        }
    }

    @Test
    void changedFilesApplyToTheNextConnectAndPublishAndBadFilesKeepTheOldRules() throws Exception {
        Path passwords = dir.resolve("runtime-passwd");
        Path acl = dir.resolve("runtime-acl");
        Path tool = culex.home().resolve("bin/culex-passwd");
        run(tool.toString(), "-c", "-b", passwords.toString(), "dora", "old");
        Files.writeString(acl, "user dora\ntopic readwrite a/#\n");
        int port = CulexProcess.freePort();
        try (CulexProcess broker = CulexProcess.install()) {
            broker.startAndAwait(broker.writeConfig("runtime.conf", "listener " + port + " 127.0.0.1\npassword_file "
                    + passwords + "\nacl_file " + acl + "\n"), port);
            try (MosquittoTools.Sub sub = MosquittoTools.sub(port, "-u", "dora", "-P", "old", "-q", "1", "-t", "#")) {
                assertEquals(0, MosquittoTools.pub(port, "-u", "dora", "-P", "old", "-q", "1", "-t", "a/1", "-m",
                        "x").exitCode);
                assertEquals("a/1 1 0 x", sub.next());

                run(tool.toString(), "-b", passwords.toString(), "dora", "new");
                awaitExit(port, 0, "-u", "dora", "-P", "new", "-t", "b/1", "-m", "y");
                assertEquals(5, MosquittoTools.pub(port, "-u", "dora", "-P", "old", "-t", "a/1", "-m", "x").exitCode);

                // the connected subscriber stays connected; b/ becomes writable and readable for the next publish
                Files.writeString(acl, "user dora\ntopic readwrite a/#\ntopic readwrite b/#\n");
                touch(acl);
                broker.awaitLog("ACL file .*runtime-acl loaded: 0 anonymous rules, 1 users \\(2 rules\\)");
                assertEquals(0, MosquittoTools.pub(port, "-u", "dora", "-P", "new", "-q", "1", "-t", "b/2", "-m",
                        "z").exitCode);
                assertEquals("b/2 1 0 z", sub.next());

                Files.writeString(acl, "user dora\ntopic readwrite a/#\nbogus\n");
                touch(acl);
                broker.awaitLog("Invalid line in acl_file .*runtime-acl.*: bogus\\. \\(.*runtime-acl:3\\)");
                assertEquals(0, MosquittoTools.pub(port, "-u", "dora", "-P", "new", "-q", "1", "-t", "b/3", "-m",
                        "kept").exitCode);
                assertEquals("b/3 1 0 kept", sub.next(), "the previous rules stay after a bad file");

                Files.writeString(passwords, "dora:$7$garbage\n");
                touch(passwords);
                broker.awaitLog("Invalid hash iterations for user dora, removing entry\\. \\(.*runtime-passwd:1\\)");
                assertEquals(5, MosquittoTools.pub(port, "-u", "dora", "-P", "new", "-t", "a/1", "-m", "x").exitCode);
                assertTrue(broker.process().isAlive());
            }
        }
    }

    /**
     * Culex reads a changed acl_file by itself (Mosquitto only on SIGHUP): a subscriber that may no longer read a
     * topic gets nothing more from it, without reconnecting.
     */
    @Test
    void aReloadedAclThatRevokesReadAccessStopsDeliveriesToAConnectedSubscriber() throws Exception {
        Path acl = dir.resolve("revoke-acl");
        Files.writeString(acl, "topic readwrite news/#\ntopic readwrite sentinel/#\n");
        int port = CulexProcess.freePort();
        try (CulexProcess broker = CulexProcess.install()) {
            broker.startAndAwait(broker.writeConfig("revoke.conf", "listener " + port + " 127.0.0.1\n"
                    + "allow_anonymous true\nacl_file " + acl + "\n"), port);
            try (MosquittoTools.Sub sub = MosquittoTools.sub(port, "-q", "1", "-t", "news/#", "-t", "sentinel/#")) {
                assertEquals(0, MosquittoTools.pub(port, "-q", "1", "-t", "news/1", "-m", "before").exitCode);
                assertEquals("news/1 1 0 before", sub.next());

                broker.awaitLog("ACL file .*revoke-acl loaded: 2 anonymous rules", () -> {
                    Files.writeString(acl, "topic write news/#\ntopic readwrite sentinel/#\n");
                    touch(acl);
                });
                assertEquals(0, MosquittoTools.pub(port, "-q", "1", "-t", "news/2", "-m", "after").exitCode);
                assertEquals(0, MosquittoTools.pub(port, "-q", "1", "-t", "sentinel/x", "-m", "end").exitCode);
                assertEquals("sentinel/x 1 0 end", sub.next(), "the revoked topic is not delivered before it");
                assertNull(sub.poll(300), "nor after it");
                assertTrue(sub.process().isAlive(), "the subscriber stays connected");
            }
        }
    }

    private static void awaitExit(int port, int expected, String... args) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        MosquittoTools.Result last;
        do {
            last = MosquittoTools.pub(port, args);
            if (last.exitCode == expected) {
                return;
            }
            Thread.sleep(100);
        } while (System.nanoTime() < deadline);
        throw new AssertionError("still " + last + " after 15 s");
    }

    /** A later modification time, so that a rewrite within the file system's time resolution is noticed. */
    private static void touch(Path file) throws IOException {
        Files.setLastModifiedTime(file, FileTime.from(Instant.now().plusSeconds(SEQUENCE.incrementAndGet())));
    }

    private static String subAck(int port, String user, String password, String filter) throws Exception {
        List<String> args = new ArrayList<>(MosquittoTools.credentials(user, password, null));
        args.addAll(List.of("-t", filter));
        try (MosquittoTools.Sub sub = MosquittoTools.sub(port, args.toArray(String[]::new))) {
            // mosquitto_sub prints the granted QoS list right after its "received SUBACK" line
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (System.nanoTime() < deadline) {
                String line = sub.output().lines().filter(l -> l.startsWith("Subscribed")).findFirst().orElse(null);
                if (line != null) {
                    return line;
                }
                Thread.sleep(20);
            }
            throw new AssertionError("no Subscribed line: " + sub.output());
        }
    }

    /**
     * Publishes the message, then a sentinel on the same connection order; the subscriber (which also subscribed to
     * the sentinel) received the message if it arrives before the sentinel.
     */
    private static boolean delivered(int port, String pubUser, String pubId, String topic, String subUser,
            String subId, String filter) throws Exception {
        String marker = "m" + SEQUENCE.incrementAndGet();
        List<String> subArgs = new ArrayList<>(MosquittoTools.credentials(subUser, password(subUser), subId));
        // -R: retained messages left by other cases are not what this case is about
        subArgs.addAll(List.of("-R", "-q", "1", "-t", filter, "-t", "sentinel/" + marker));
        try (MosquittoTools.Sub sub = MosquittoTools.sub(port, subArgs.toArray(String[]::new))) {
            List<String> pub = new ArrayList<>(MosquittoTools.credentials(pubUser, password(pubUser), pubId));
            pub.addAll(List.of("-q", "1"));
            List<String> message = new ArrayList<>(pub);
            message.addAll(List.of("-t", topic, "-m", marker));
            assertEquals(0, MosquittoTools.pub(port, message.toArray(String[]::new)).exitCode);
            List<String> sentinel = new ArrayList<>(pub);
            sentinel.addAll(List.of("-t", "sentinel/" + marker, "-m", "end"));
            assertEquals(0, MosquittoTools.pub(port, sentinel.toArray(String[]::new)).exitCode);
            return beforeSentinel(sub, topic + " 1 0 " + marker, "sentinel/" + marker + " 1 0 end");
        }
    }

    /**
     * Leaves a retained message, then subscribes (with the sentinel's topic) and publishes a sentinel: the retained
     * message was delivered if it arrives before the sentinel. The retained message is cleared afterwards.
     */
    private static boolean retainedDelivered(int port, String pubUser, String topic, String subUser, String filter)
            throws Exception {
        String marker = "r" + SEQUENCE.incrementAndGet();
        List<String> pub = new ArrayList<>(MosquittoTools.credentials(pubUser, password(pubUser), null));
        pub.addAll(List.of("-q", "1", "-r", "-t", topic));
        List<String> retain = new ArrayList<>(pub);
        retain.addAll(List.of("-m", marker));
        assertEquals(0, MosquittoTools.pub(port, retain.toArray(String[]::new)).exitCode);
        try {
            List<String> subArgs = new ArrayList<>(MosquittoTools.credentials(subUser, password(subUser), null));
            subArgs.addAll(List.of("-q", "1", "-t", filter, "-t", "sentinel/" + marker));
            try (MosquittoTools.Sub sub = MosquittoTools.sub(port, subArgs.toArray(String[]::new))) {
                assertEquals(0, MosquittoTools.pub(port, "-q", "1", "-t", "sentinel/" + marker, "-m", "end").exitCode);
                return beforeSentinel(sub, topic + " 1 1 " + marker, "sentinel/" + marker + " 1 0 end");
            }
        } finally {
            List<String> clear = new ArrayList<>(pub);
            clear.add("-n");
            assertEquals(0, MosquittoTools.pub(port, clear.toArray(String[]::new)).exitCode);
        }
    }

    /**
     * @return whether the expected line came before the sentinel's; when the sentinel comes first, nothing may
     *     follow it within a short wait (a forbidden message that comes late is as much a breach as an early one)
     */
    private static boolean beforeSentinel(MosquittoTools.Sub sub, String expected, String sentinel)
            throws InterruptedException {
        String first = sub.next();
        if (first.equals(sentinel)) {
            assertNull(sub.poll(300), "nothing after the sentinel of a denied case");
            return false;
        }
        assertEquals(expected, first);
        assertEquals(sentinel, sub.next());
        return true;
    }

    private static String password(String user) {
        return user == null ? null : user + "-pw";
    }

    private static void run(String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), String.join(" ", command) + ": " + output);
    }
}
