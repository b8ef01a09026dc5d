package io.culex.itest.blackbox;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The assembled distribution ({@code distribution/target/culex}), copied to a fresh directory and started as its
 * own process with {@code bin/culex}, as a user would start it.
 * <p>
 * The broker runs with Netty's leak detector at its strictest; {@link #close()} makes it collect garbage and
 * allocate once more (so that the detector reports what the collection found), stops it, and fails if its log
 * has a {@code LEAK:} line.
 */
public final class CulexProcess implements AutoCloseable {

    private static final Path DISTRIBUTION = Paths.get(System.getProperty("culex.distribution",
            "../distribution/target/culex"));

    /** Netty's leak detector in the broker; its reports are ERROR lines of logger io.netty, which the log keeps. */
    private static final String LEAK_DETECTION = "-Dio.netty.leakDetection.level=paranoid";

    private final Path home;
    private final Path log;
    /** Whether {@link #close()} deletes the installation: not for another process started from it. */
    private final boolean ownsHome;
    private Process process;
    /** JVM options added to {@code JAVA_OPTS} by {@link #javaOptions}. */
    private final List<String> javaOptions = new ArrayList<>();
    /** The last port the broker was seen to accept connections on, 0 before: where the leak probe connects. */
    private int knownPort;

    private CulexProcess(Path home, Path log, boolean ownsHome) {
        this.home = home;
        this.log = log;
        this.ownsHome = ownsHome;
    }

    /** A fresh copy of the distribution, not started. */
    public static CulexProcess install() throws IOException {
        if (!Files.isExecutable(DISTRIBUTION.resolve("bin/culex"))) {
            throw new IllegalStateException("no assembled distribution at " + DISTRIBUTION.toAbsolutePath()
                    + "; build it with mvn install");
        }
        Path home = Files.createTempDirectory("culex-itest-");
        try (Stream<Path> files = Files.walk(DISTRIBUTION)) {
            for (Path source : (Iterable<Path>) files::iterator) {
                Path target = home.resolve(DISTRIBUTION.relativize(source).toString());
                if (Files.isDirectory(source)) {
                    Files.createDirectories(target);
                } else if (!source.startsWith(DISTRIBUTION.resolve("data"))) {
                    Files.copy(source, target, StandardCopyOption.COPY_ATTRIBUTES);
                }
            }
        }
        return new CulexProcess(home, home.resolve("culex.log"), true);
    }

    /** Another broker process from this same installation, with its own log; the installation stays this one's. */
    public CulexProcess anotherProcess(String name) {
        return new CulexProcess(home, home.resolve(name + ".log"), false);
    }

    /** Ports handed out by {@link #freePort}: the kernel may offer a port again once its socket is closed. */
    private static final java.util.Set<Integer> HANDED_OUT = java.util.concurrent.ConcurrentHashMap.newKeySet();

    /**
     * @return a TCP port that was free a moment ago, and that this JVM has not handed out before (so that the
     *     ports a test picks one after another, before anything binds them, are distinct)
     */
    public static int freePort() throws IOException {
        while (true) {
            try (ServerSocket s = new ServerSocket(0)) {
                if (HANDED_OUT.add(s.getLocalPort())) {
                    return s.getLocalPort();
                }
            }
        }
    }

    public Path home() {
        return home;
    }

    /** Write a configuration file in the installation and return its path. */
    public Path writeConfig(String name, String text) throws IOException {
        Path file = home.resolve("conf").resolve(name);
        Files.writeString(file, text, StandardCharsets.UTF_8);
        return file;
    }

    /**
     * JVM options for the broker, such as a fixed heap ({@code -Xms256m -Xmx256m}), passed in {@code JAVA_OPTS}
     * after the leak detection setting (so a later {@code -D} of the same name wins); set before {@link #start}.
     */
    public CulexProcess javaOptions(String... options) {
        javaOptions.addAll(List.of(options));
        return this;
    }

    /** Start {@code bin/culex} with the arguments; output goes to {@link #log()}. */
    public CulexProcess start(String... args) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(home.resolve("bin/culex").toString());
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command)
                .directory(home.toFile())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile());
        builder.environment().merge("JAVA_OPTS", LEAK_DETECTION, (given, leaks) -> leaks + " " + given);
        if (!javaOptions.isEmpty()) {
            builder.environment().merge("JAVA_OPTS", String.join(" ", javaOptions), (given, more) -> given + " " + more);
        }
        process = builder.start();
        return this;
    }

    /** Start with a configuration and wait until the port accepts connections. */
    public CulexProcess startAndAwait(Path config, int port) throws IOException, InterruptedException {
        start("-c", config.toString());
        awaitPort(port);
        return this;
    }

    /** Wait until the broker accepts TCP connections on the port; fail with the log if the process ends first. */
    public void awaitPort(int port) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new AssertionError("culex exited with " + process.exitValue() + ":\n" + log());
            }
            try (Socket s = new Socket("127.0.0.1", port)) {
                knownPort = port;
                return;
            } catch (IOException notYet) {
                Thread.sleep(25);
            }
        }
        throw new AssertionError("culex did not open port " + port + " within 30 s:\n" + log());
    }

    /** Wait for a log line matching the regular expression. */
    public void awaitLog(String regex) throws InterruptedException {
        awaitLog(regex, 20);
    }

    /** Wait up to the given seconds for a log line matching the regular expression (a cluster joining, ...). */
    public void awaitLog(String regex, long seconds) throws InterruptedException {
        Pattern pattern = Pattern.compile(regex);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (System.nanoTime() < deadline) {
            if (pattern.matcher(log()).find()) {
                return;
            }
            Thread.sleep(25);
        }
        throw new AssertionError("no log line matching " + regex + ":\n" + log());
    }

    /** Something a test does that makes the broker log. */
    public interface Action {
        void run() throws Exception;
    }

    /**
     * Do something, then wait for a log line matching the regular expression that appears after it (lines
     * printed before the action do not count).
     */
    public void awaitLog(String regex, Action action) throws Exception {
        int before = log().length();
        action.run();
        Pattern pattern = Pattern.compile(regex);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60); // generous: passing runs do not wait
        while (System.nanoTime() < deadline) {
            String log = log();
            if (pattern.matcher(log.substring(Math.min(before, log.length()))).find()) {
                return;
            }
            Thread.sleep(25);
        }
        throw new AssertionError("no new log line matching " + regex + ":\n" + log());
    }

    /** @return everything the broker printed so far */
    public String log() {
        try {
            return Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8) : "";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public long pid() {
        return process.pid();
    }

    /** @return the broker process's resident memory now ({@code VmRSS} of {@code /proc/<pid>/status}), in KiB */
    public long residentKiB() throws IOException {
        for (String line : Files.readAllLines(Paths.get("/proc", Long.toString(process.pid()), "status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("\\D", ""));
            }
        }
        throw new IOException("no VmRSS in /proc/" + process.pid() + "/status");
    }

    public Process process() {
        return process;
    }

    /** Send a signal by name (HUP, TERM, KILL, INT). */
    public void signal(String name) throws IOException, InterruptedException {
        Process kill = new ProcessBuilder("kill", "-" + name, Long.toString(process.pid())).inheritIO().start();
        if (kill.waitFor() != 0) {
            throw new IOException("kill -" + name + " failed");
        }
    }

    /**
     * Kill the broker with SIGKILL ({@link Process#destroyForcibly()} on Linux; {@code bin/culex} execs the JVM, so
     * this is the broker itself): no shutdown, no chance to finish a write. Returns once it is gone.
     */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        awaitExit();
    }

    /** @return the exit code, waiting up to 30 s */
    public int awaitExit() throws InterruptedException {
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            throw new AssertionError("culex did not exit within 30 s:\n" + log());
        }
        return process.exitValue();
    }

    @Override
    public void close() throws Exception {
        if (process != null && process.isAlive()) {
            revealLeaks();
            process.destroy();
            if (!process.waitFor(15, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
            }
        }
        List<String> leaks = process == null ? List.of()
                : log().lines().filter(line -> line.contains("LEAK:")).collect(Collectors.toList());
        String fullLog = leaks.isEmpty() ? "" : log();
        if (ownsHome) {
            try (Stream<Path> files = Files.walk(home)) {
                files.sorted((a, b) -> b.getNameCount() - a.getNameCount()).forEach(p -> p.toFile().delete());
            }
        }
        if (!leaks.isEmpty()) {
            throw new AssertionError("the broker reported " + leaks.size() + " Netty buffer leak(s):\n" + fullLog);
        }
    }

    /**
     * Netty finds a leaked buffer only once the garbage collector has enqueued it and a later allocation polls the
     * queue: so a collection (jcmd GC.run), then a CONNECT and its CONNACK, which allocate on the broker's loop.
     */
    private void revealLeaks() throws IOException, InterruptedException {
        Path jcmd = Paths.get(System.getProperty("java.home"), "bin", "jcmd");
        if (knownPort == 0 || !Files.isExecutable(jcmd)) {
            return;
        }
        Process gc = new ProcessBuilder(jcmd.toString(), Long.toString(process.pid()), "GC.run")
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        if (!gc.waitFor(20, TimeUnit.SECONDS)) {
            gc.destroyForcibly();
            return;
        }
        byte[] connect = {0x10, 20, 0, 4, 'M', 'Q', 'T', 'T', 4, 2, 0, 10, 0, 8, 'l', 'e', 'a', 'k', 'p', 'r', 'o', 'b'};
        try (Socket probe = new Socket("127.0.0.1", knownPort)) {
            probe.setSoTimeout(5_000);
            probe.getOutputStream().write(connect);
            probe.getInputStream().readNBytes(4); // CONNACK, or the close of a broker that refuses anonymous clients
        } catch (IOException gone) {
            // the listener was closed by the test: nothing allocates, nothing more to reveal
        }
    }
}
