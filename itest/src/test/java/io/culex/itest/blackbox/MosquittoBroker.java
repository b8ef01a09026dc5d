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

    /** Starts {@code mosquitto -c config} and waits until the port accepts connections. */
    public static MosquittoBroker start(Path config, int port) throws IOException, InterruptedException {
        String binary = Files.isExecutable(Path.of("/usr/sbin/mosquitto")) ? "/usr/sbin/mosquitto" : "mosquitto";
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
