package io.culex.itest.blackbox;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Runs Mosquitto's own command-line clients (Debian package mosquitto-clients) against the broker.
 */
public final class MosquittoTools {

    private MosquittoTools() {
    }

    /** The result of a finished command. */
    public static final class Result {
        public final int exitCode;
        public final String output;

        Result(int exitCode, String output) {
            this.exitCode = exitCode;
            this.output = output;
        }

        @Override
        public String toString() {
            return "exit " + exitCode + ": " + output;
        }
    }

    /**
     * The {@code -u}/{@code -P}/{@code -i} options of mosquitto_pub and mosquitto_sub for these credentials; a null
     * value leaves its option out.
     */
    public static List<String> credentials(String user, String password, String clientId) {
        List<String> args = new ArrayList<>();
        if (user != null) {
            args.addAll(List.of("-u", user));
        }
        if (password != null) {
            args.addAll(List.of("-P", password));
        }
        if (clientId != null) {
            args.addAll(List.of("-i", clientId));
        }
        return args;
    }

    /** Run {@code mosquitto_pub} with the arguments and wait for it. */
    public static Result pub(int port, String... args) throws IOException, InterruptedException {
        return run("mosquitto_pub", port, args);
    }

    public static Result run(String tool, int port, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("-h", "127.0.0.1", "-p", Integer.toString(port)));
        command.addAll(List.of(args));
        return exec(tool, command.toArray(new String[0]));
    }

    /** Run a tool with exactly these arguments (no -h/-p: for --unix) and wait for it. */
    public static Result exec(String tool, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(tool);
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        if (!p.waitFor(30, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError(tool + " did not finish: " + command);
        }
        return new Result(p.exitValue(), new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
    }

    /**
     * A running {@code mosquitto_sub}: lines it prints for messages are {@code MSG <topic> <qos> <retain> <payload>}.
     */
    public static final class Sub implements AutoCloseable {
        private final Process process;
        private final BlockingQueue<String> messages = new LinkedBlockingQueue<>();
        private final BlockingQueue<String> debug = new LinkedBlockingQueue<>();
        private final StringBuffer all = new StringBuffer();

        private Sub(Process process) {
            this.process = process;
            Thread reader = new Thread(() -> {
                try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(),
                        StandardCharsets.UTF_8))) {
                    String line;
                    while ((line = r.readLine()) != null) {
                        all.append(line).append('\n');
                        if (line.startsWith("MSG ")) {
                            messages.add(line.substring(4));
                        } else {
                            debug.add(line);
                        }
                    }
                } catch (IOException ignored) {
                    // the process ended
                }
            }, "mosquitto_sub reader");
            reader.setDaemon(true);
            reader.start();
        }

        /** @return the next message line ({@code <topic> <qos> <retain> <payload>}), waiting up to 10 s */
        public String next() throws InterruptedException {
            String m = messages.poll(10, TimeUnit.SECONDS);
            if (m == null) {
                throw new AssertionError("mosquitto_sub received nothing within 10 s; output:\n" + all);
            }
            return m;
        }

        public String poll(long millis) throws InterruptedException {
            return messages.poll(millis, TimeUnit.MILLISECONDS);
        }

        /** Wait until mosquitto_sub printed a debug line containing the text (e.g. "SUBACK"). */
        public void awaitDebug(String text) throws InterruptedException {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (System.nanoTime() < deadline) {
                String line = debug.poll(100, TimeUnit.MILLISECONDS);
                if (line != null && line.contains(text)) {
                    return;
                }
            }
            throw new AssertionError("mosquitto_sub never printed " + text + "; output:\n" + all);
        }

        public Process process() {
            return process;
        }

        public String output() {
            return all.toString();
        }

        @Override
        public void close() throws InterruptedException {
            process.destroy();
            process.waitFor(10, TimeUnit.SECONDS);
        }
    }

    /** Start {@code mosquitto_sub -d} with the arguments and wait until its subscription is acknowledged. */
    public static Sub sub(int port, String... args) throws IOException, InterruptedException {
        List<String> all = new ArrayList<>(List.of("-h", "127.0.0.1", "-p", Integer.toString(port)));
        all.addAll(List.of(args));
        return subWith(all.toArray(new String[0]));
    }

    /** {@link #sub} with exactly these connection arguments (no -h/-p: for --unix). */
    public static Sub subWith(String... args) throws IOException, InterruptedException {
        return subFormatted("%t %q %r %p", args);
    }

    /**
     * {@link #subWith} printing messages in a {@code -F} format of the test's choice ({@code %P}, {@code %C}, ...);
     * {@link Sub#next()} returns the formatted line.
     */
    public static Sub subFormatted(String format, String... args) throws IOException, InterruptedException {
        // stdbuf: mosquitto_sub's stdout is block-buffered when it is not a terminal
        List<String> command = new ArrayList<>(List.of("stdbuf", "-oL", "mosquitto_sub", "-d", "-F",
                "MSG " + format));
        command.addAll(List.of(args));
        Sub sub = new Sub(new ProcessBuilder(command).redirectErrorStream(true).start());
        sub.awaitDebug("SUBACK");
        return sub;
    }
}
