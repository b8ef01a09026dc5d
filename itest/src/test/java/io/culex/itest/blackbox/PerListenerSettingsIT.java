package io.culex.itest.blackbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.file.Path;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Mosquitto's {@code per_listener_settings true}: each listener has its own password file, ACL file and
 * {@code allow_anonymous}.
 */
class PerListenerSettingsIT {

    private static CulexProcess culex;
    private static int secured;
    private static int open;
    private static String socket;

    @BeforeAll
    static void start() throws Exception {
        secured = CulexProcess.freePort();
        open = CulexProcess.freePort();
        culex = CulexProcess.install();
        Path passwords = culex.home().resolve("conf/passwords");
        Process p = new ProcessBuilder("mosquitto_passwd", "-c", "-b", passwords.toString(), "alice", "secret")
                .inheritIO().start();
        assertEquals(0, p.waitFor());
        Path acl = culex.writeConfig("acl", "user alice\ntopic readwrite alice/#\n");
        Path unixPasswords = culex.home().resolve("conf/unix-passwords");
        p = new ProcessBuilder("mosquitto_passwd", "-c", "-b", unixPasswords.toString(), "bob", "unix-secret")
                .inheritIO().start();
        assertEquals(0, p.waitFor());
        socket = culex.home().resolve("data/culex.sock").toString();
        Path conf = culex.writeConfig("per-listener.conf", String.join("\n",
                "per_listener_settings true",
                "listener " + secured + " 127.0.0.1",
                "allow_anonymous false",
                "password_file " + passwords,
                "acl_file " + acl,
                "listener " + open + " 127.0.0.1",
                "allow_anonymous true",
                // a Unix-socket listener with its own password file: its clients have no port to be told apart by
                "listener 0 " + socket,
                "allow_anonymous false",
                "password_file " + unixPasswords,
                ""));
        culex.startAndAwait(conf, secured);
        culex.awaitPort(open);
    }

    @AfterAll
    static void stop() throws Exception {
        culex.close();
    }

    @Test
    void theSecuredListenerRefusesAnonymousAndWrongPasswords() throws Exception {
        assertEquals(5, MosquittoTools.pub(secured, "-t", "alice/x", "-m", "m").exitCode);
        assertEquals(5, MosquittoTools.pub(secured, "-u", "alice", "-P", "wrong", "-t", "alice/x", "-m", "m")
                .exitCode);
        assertEquals(0, MosquittoTools.pub(secured, "-u", "alice", "-P", "secret", "-t", "alice/x", "-m", "m")
                .exitCode);
    }

    @Test
    void theOpenListenerLetsAnonymousClientsInWithoutTheOtherListenersAcl() throws Exception {
        try (MosquittoTools.Sub sub = MosquittoTools.sub(open, "-t", "anything/#")) {
            assertEquals(0, MosquittoTools.pub(open, "-t", "anything/here", "-m", "free").exitCode);
            assertEquals("anything/here 0 0 free", sub.next());
        }
    }

    @Test
    void theSecuredListenersAclAppliesThere() throws Exception {
        try (MosquittoTools.Sub sub = MosquittoTools.sub(open, "-t", "#")) {
            assertEquals(0, MosquittoTools.pub(secured, "-u", "alice", "-P", "secret", "-t", "elsewhere/x", "-m",
                    "denied").exitCode, "MQTT 3.1.1 QoS 0: a denied publish looks like any other");
            assertEquals(0, MosquittoTools.pub(secured, "-u", "alice", "-P", "secret", "-t", "alice/x", "-m",
                    "allowed").exitCode);
            assertEquals("alice/x 0 0 allowed", sub.next(), "the publish outside alice/# was denied");
            assertNull(sub.poll(300), "and does not come late");
        }
    }

    @Test
    void aUnixSocketListenerUsesItsOwnPasswordFile() throws Exception {
        assertEquals(5, MosquittoTools.exec("mosquitto_pub", "--unix", socket, "-t", "x", "-m", "anonymous")
                .exitCode);
        assertEquals(5, MosquittoTools.exec("mosquitto_pub", "--unix", socket, "-u", "alice", "-P", "secret", "-t",
                "x", "-m", "another listener's user").exitCode);
        MosquittoTools.Result bob = MosquittoTools.exec("mosquitto_pub", "--unix", socket, "-u", "bob", "-P",
                "unix-secret", "-t", "x", "-m", "its own user");
        assertEquals(0, bob.exitCode, bob.toString());
        assertEquals(5, MosquittoTools.pub(secured, "-u", "bob", "-P", "unix-secret", "-t", "alice/x", "-m", "m")
                .exitCode, "the Unix-socket listener's user is not one of the secured listener's");
    }
}
