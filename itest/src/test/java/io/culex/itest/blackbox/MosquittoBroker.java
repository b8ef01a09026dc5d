package io.culex.itest.blackbox;

import java.io.IOException;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/** The real Mosquitto broker (Debian package mosquitto), started with its own configuration on a free port. */
public final class MosquittoBroker implements AutoCloseable {

    private final Process process;
    private final Path log;

    private MosquittoBroker(Process process, Path log) {
        this.process = process;
        this.log = log;
    }

    /**
     * The first line of every configuration given to it: run as the test's own user, so that Mosquitto (which
     * otherwise drops root to user "mosquitto") can read files in the test's private temporary directories.
     */
    public static String userLine() {
        return "user " + System.getProperty("user.name") + "\n";
    }

    /**
     * Whether the installed Mosquitto is 2.0.11 (Debian 12's), against which the comparisons were written. Where a
     * test asserts one of that version's quirks, it does so only then; with another version it asserts Culex's
     * own behaviour and compares only what the versions share.
     */
    public static boolean isVersion2011() {
        return VERSION.equals("2.0.11");
    }

    /** The installed version, from the first line of {@code mosquitto -h} ("mosquitto version 2.0.11"). */
    private static final String VERSION = installedVersion();

    private static String installedVersion() {
        try {
            Process p = new ProcessBuilder(binary(), "-h").redirectErrorStream(true).start();
            String output = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            p.waitFor(10, TimeUnit.SECONDS);
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("mosquitto version (\\S+)").matcher(output);
            return m.find() ? m.group(1) : "unknown";
        } catch (IOException e) {
            return "not installed";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "unknown";
        }
    }

    private static String binary() {
        return Files.isExecutable(Path.of("/usr/sbin/mosquitto")) ? "/usr/sbin/mosquitto" : "mosquitto";
    }

    /** Starts {@code mosquitto -c config} and waits until the port accepts connections. */
    public static MosquittoBroker start(Path config, int port) throws IOException, InterruptedException {
        String binary = binary();
        Path log = Files.createTempFile("mosquitto-", ".log");
        Process process = new ProcessBuilder(binary, "-c", config.toString()).redirectErrorStream(true)
                .redirectOutput(log.toFile()).start();
        MosquittoBroker broker = new MosquittoBroker(process, log);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new AssertionError("mosquitto exited with " + process.exitValue() + ":\n" + broker.log());
            }
            try (Socket s = new Socket("127.0.0.1", port)) {
                return broker;
            } catch (IOException notYet) {
                Thread.sleep(25);
            }
        }
        broker.close();
        throw new AssertionError("mosquitto did not open port " + port);
    }

    public String log() throws IOException {
        return Files.readString(log);
    }

    @Override
    public void close() throws InterruptedException, IOException {
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
        }
        Files.deleteIfExists(log);
    }
}
