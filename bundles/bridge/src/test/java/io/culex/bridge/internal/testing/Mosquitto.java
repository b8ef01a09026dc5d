package io.culex.bridge.internal.testing;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real Mosquitto broker (Debian package mosquitto, installed by itest/install-test-tools.sh) as the remote side of
 * a bridge under test, with helpers running mosquitto_pub and mosquitto_sub against it.
 */
public final class Mosquitto implements AutoCloseable {

    public final int port;
    private final Path config;
    private Process process;

    private Mosquitto(int port, Path config) {
        this.port = port;
        this.config = config;
    }

    public static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    public static Mosquitto start(Path dir) throws IOException, InterruptedException {
        int port = freePort();
        Path config = dir.resolve("mosquitto.conf");
        Files.writeString(config, "user " + System.getProperty("user.name") + "\nlistener " + port
                + " 127.0.0.1\nallow_anonymous true\n");
        Mosquitto mosquitto = new Mosquitto(port, config);
        mosquitto.restart();
        return mosquitto;
    }

    /** Starts the process (again) and waits for its port. */
    public void restart() throws IOException, InterruptedException {
        String binary = Files.isExecutable(Path.of("/usr/sbin/mosquitto")) ? "/usr/sbin/mosquitto" : "mosquitto";
        process = new ProcessBuilder(binary, "-c", config.toString()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (System.nanoTime() < deadline) {
            try (Socket socket = new Socket("127.0.0.1", port)) {
                return;
            } catch (IOException notYet) {
                Thread.sleep(20);
            }
        }
        throw new AssertionError("mosquitto did not open port " + port);
    }

    /** Stops the process and waits until it has exited. */
    public void stop() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
        }
    }

    /** Runs a mosquitto client tool against this broker and returns what it printed; fails if it fails. */
    public String run(String tool, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(tool, "-h", "127.0.0.1", "-p", Integer.toString(port)));
        command.addAll(List.of(args));
        Process client = new ProcessBuilder(command).redirectErrorStream(true).start();
        if (!client.waitFor(30, TimeUnit.SECONDS)) {
            client.destroyForcibly();
            throw new AssertionError(tool + " did not finish");
        }
        String output = new String(client.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (client.exitValue() != 0) {
            throw new AssertionError(command + " failed: " + output);
        }
        return output;
    }

    @Override
    public void close() throws InterruptedException {
        if (process != null && process.isAlive()) {
            stop();
        }
    }
}
