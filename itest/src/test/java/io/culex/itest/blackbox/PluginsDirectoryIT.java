package io.culex.itest.blackbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.util.jar.Attributes;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The assembled broker's {@code plugins/} directory and {@code plugin} lines, with Mosquitto's clients: a sample
 * jar dropped in while {@code mosquitto_sub} runs takes effect, deleting it removes the effect, and the subscriber
 * never reconnects; broken jars are reported with the reason and the broker serves on.
 */
class PluginsDirectoryIT {

    private static final String VERSION = System.getProperty("culex.version", "0.1.0-SNAPSHOT");
    private static final Path SAMPLES = Paths.get(System.getProperty("culex.distribution",
            "../distribution/target/culex")).resolve("../../../plugins-sample").normalize();

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

    private static Path sample(String name) {
        return SAMPLES.resolve(name + "/target/culex-sample-" + name + "-" + VERSION + ".jar");
    }

    /** As plugins/README.txt says: copy under a name FileInstall ignores, then rename, so no half file is seen. */
    private static Path dropIn(Path jar, String name) throws IOException {
        Path plugins = culex.home().resolve("plugins");
        Path temporary = plugins.resolve(name + ".part");
        Files.copy(jar, temporary, StandardCopyOption.REPLACE_EXISTING);
        return Files.move(temporary, plugins.resolve(name), StandardCopyOption.ATOMIC_MOVE);
    }

    @Test
    void aDroppedInJarTakesEffectAndItsDeletionRemovesItWhileMosquittoSubStaysConnected() throws Exception {
        try (MosquittoTools.Sub sub = MosquittoTools.sub(port, "-q", "1", "-t", "dropin/#")) {
            Path jar = culex.home().resolve("plugins/timestamp.jar");
            culex.awaitLog("Message interceptor from io.culex.sample.messagetimestamp \\S+ registered",
                    () -> dropIn(sample("message-timestamp"), "timestamp.jar"));
            assertEquals(0, MosquittoTools.pub(port, "-q", "1", "-t", "dropin/a", "-m", "hello").exitCode);
            String stamped = sub.next();
            assertTrue(stamped.matches("dropin/a 1 0 \\d{4}-\\d\\d-\\d\\dT\\S+Z hello"), stamped);

            culex.awaitLog("Message interceptor from io.culex.sample.messagetimestamp \\S+ unregistered",
                    () -> Files.delete(jar));
            assertEquals(0, MosquittoTools.pub(port, "-q", "1", "-t", "dropin/a", "-m", "plain").exitCode);
            assertEquals("dropin/a 1 0 plain", sub.next());
            assertEquals(1, count(sub.output(), "received CONNACK"), "mosquitto_sub never reconnected:\n"
                    + sub.output());
            assertTrue(sub.process().isAlive());
        }
    }

    @Test
    void replacingAJarUpdatesThePluginInPlaceAndAHalfCopiedJarIsNeverInstalled() throws Exception {
        try (MosquittoTools.Sub sub = MosquittoTools.sub(port, "-q", "1", "-t", "#")) {
            Path plugins = culex.home().resolve("plugins");
            // a copy in progress under the temporary name: FileInstall's filter never looks at it
            Path partial = plugins.resolve("replaced.jar.part");
            byte[] whole = Files.readAllBytes(sample("message-timestamp"));
            Files.write(partial, java.util.Arrays.copyOf(whole, whole.length / 2));
            culex.awaitLog("Message interceptor from io.culex.sample.messagetimestamp \\S+ registered", () -> {
                Files.write(partial, whole);
                Files.move(partial, plugins.resolve("replaced.jar"), StandardCopyOption.ATOMIC_MOVE);
            });
            assertFalse(culex.log().contains("replaced.jar.part"), "the partial file was never picked up");
            assertEquals(0, MosquittoTools.pub(port, "-q", "1", "-t", "legacy/r", "-m", "v1").exitCode);
            assertTrue(sub.next().matches("legacy/r 1 0 \\d{4}-\\S+ v1"));

            // the same file name, other code: FileInstall updates the bundle in place
            culex.awaitLog("Message interceptor from io.culex.sample.topicmodification \\S+ registered",
                    () -> dropIn(sample("topic-modification"), "replaced.jar"));
            assertEquals(0, MosquittoTools.pub(port, "-q", "1", "-t", "legacy/r", "-m", "v2").exitCode);
            assertEquals("devices/r 1 0 v2", sub.next());

            culex.awaitLog("Message interceptor from io.culex.sample.topicmodification \\S+ unregistered",
                    () -> Files.delete(plugins.resolve("replaced.jar")));
            assertEquals(1, count(sub.output(), "received CONNACK"), "mosquitto_sub never reconnected");
        }
    }

    /**
     * The careless way: a real jar copied slowly under its final name, a chunk every 300 ms, so FileInstall (polling
     * every second) sees it grow. It must wait until the file is complete and install it once: no error about a
     * truncated jar, one registration, and the plugin works.
     */
    @Test
    void aJarCopiedSlowlyUnderItsFinalNameIsInstalledOnceWhenComplete() throws Exception {
        byte[] whole = Files.readAllBytes(sample("topic-modification"));
        Path target = culex.home().resolve("plugins/slow.jar");
        int before = culex.log().length();
        String registered = "Message interceptor from io.culex.sample.topicmodification \\S+ registered";
        culex.awaitLog(registered, () -> {
            int chunks = 8;
            try (OutputStream out = Files.newOutputStream(target)) {
                for (int i = 0; i < chunks; i++) {
                    int from = whole.length * i / chunks;
                    out.write(whole, from, whole.length * (i + 1) / chunks - from);
                    out.flush();
                    Thread.sleep(300); // the slow copy itself, shorter than the poll interval
                }
            }
        });
        try (MosquittoTools.Sub sub = MosquittoTools.sub(port, "-q", "1", "-t", "slow/#", "-t", "devices/#")) {
            assertEquals(0, MosquittoTools.pub(port, "-q", "1", "-t", "legacy/s", "-m", "moved").exitCode);
            assertEquals("devices/s 1 0 moved", sub.next(), "the complete jar works");
        }
        String since = culex.log().substring(before);
        assertEquals(1, Pattern.compile(registered).matcher(since).results().count(), "registered once:\n" + since);
        assertFalse(Pattern.compile("(?i)(error|exception|warn|not an OSGi bundle)").matcher(since).find(),
                "nothing went wrong with the half-copied jar:\n" + since);
        culex.awaitLog("Message interceptor from io.culex.sample.topicmodification \\S+ unregistered",
                () -> Files.delete(target));
    }

    @Test
    void brokenJarsAreReportedWithTheReasonAndTheBrokerServesOn() throws Exception {
        Path work = Files.createTempDirectory("broken-jars");
        Manifest plain = new Manifest();
        plain.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        dropIn(jar(work.resolve("library.jar"), plain), "library.jar");

        Manifest unresolvable = new Manifest();
        Attributes main = unresolvable.getMainAttributes();
        main.put(Attributes.Name.MANIFEST_VERSION, "1.0");
        main.putValue("Bundle-ManifestVersion", "2");
        main.putValue("Bundle-SymbolicName", "test.unresolvable");
        main.putValue("Bundle-Version", "1.0.0");
        main.putValue("Import-Package", "com.example.missing;version=\"[2,3)\"");
        dropIn(jar(work.resolve("unresolvable.jar"), unresolvable), "unresolvable.jar");

        culex.awaitLog("Error: plugin \\S+library\\.jar is ignored: it is not an OSGi bundle");
        culex.awaitLog("unresolvable\\.jar[\\s\\S]*missing requirement[^\\n]*osgi\\.wiring\\.package=com\\.example\\.missing");
        try (MosquittoTools.Sub sub = MosquittoTools.sub(port, "-q", "1", "-t", "still/serving")) {
            assertEquals(0, MosquittoTools.pub(port, "-q", "1", "-t", "still/serving", "-m", "yes").exitCode);
            assertEquals("still/serving 1 0 yes", sub.next());
        }
        Files.delete(culex.home().resolve("plugins/library.jar"));
        Files.delete(culex.home().resolve("plugins/unresolvable.jar"));
    }

    @Test
    void pluginLinesInstallTheJarAtBootWithTheirOptions() throws Exception {
        int otherPort = CulexProcess.freePort();
        try (CulexProcess other = CulexProcess.install()) {
            Path conf = other.writeConfig("plugins.conf", String.join("\n",
                    "listener " + otherPort + " 127.0.0.1",
                    "allow_anonymous true",
                    "plugin " + sample("topic-modification").toAbsolutePath(),
                    "plugin_opt_from old/",
                    "plugin_opt_to new/",
                    ""));
            other.startAndAwait(conf, otherPort);
            other.awaitLog("Message interceptor from io.culex.sample.topicmodification \\S+ registered");
            try (MosquittoTools.Sub sub = MosquittoTools.sub(otherPort, "-q", "1", "-t", "#")) {
                assertEquals(0, MosquittoTools.pub(otherPort, "-q", "1", "-t", "old/x", "-m", "moved").exitCode);
                assertEquals("new/x 1 0 moved", sub.next());
            }
        }
    }

    @Test
    void aNativeMosquittoPluginIsAnErrorNamingFileAndLine() throws Exception {
        try (CulexProcess other = CulexProcess.install()) {
            Path conf = other.writeConfig("native.conf",
                    "allow_anonymous true\nplugin /usr/lib/go-auth.so\n");
            other.start("-c", conf.toString());
            assertEquals(3, other.awaitExit());
            assertTrue(other.log().contains("Error: Unable to load plugin \"/usr/lib/go-auth.so\""),
                    other.log());
            assertTrue(other.log().contains("Error found at " + conf + ":2."), other.log());
        }
    }

    private static Path jar(Path file, Manifest manifest) throws IOException {
        try (OutputStream out = Files.newOutputStream(file); JarOutputStream jar = new JarOutputStream(out, manifest)) {
            return file;
        }
    }

    private static int count(String text, String what) {
        Matcher m = Pattern.compile(Pattern.quote(what)).matcher(text);
        int n = 0;
        while (m.find()) {
            n++;
        }
        return n;
    }
}
