package io.culex.itest.blackbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The real Mosquitto 2.0 with its dynamic-security plugin and Culex with the same unchanged configuration lines,
 * side by side, each with its own copy of a {@code dynamic-security.json} made by {@code mosquitto_ctrl dynsec init}.
 * <p>
 * With {@code -Ddynsec.mosquittoOnly=true} only Mosquitto is started and the tests that compare check Mosquitto alone
 * (to develop the scripts against the reference without Culex).
 */
final class DynsecBrokers implements AutoCloseable {

    static final String PLUGIN = dynamicSecurityPlugin();
    static final String ADMIN = "admin";
    static final String ADMIN_PASSWORD = "admin-pw";
    static final boolean MOSQUITTO_ONLY = Boolean.getBoolean("dynsec.mosquittoOnly");

    /** One of the two brokers: its name in messages, its port and its dynamic-security.json. */
    static final class Side {
        final String name;
        final int port;
        final Path file;

        Side(String name, int port, Path file) {
            this.name = name;
            this.port = port;
            this.file = file;
        }

        @Override
        public String toString() {
            return name;
        }
    }

    final Path dir;
    final Side mosquitto;
    final Side culex;
    final MosquittoBroker mosquittoProcess;
    final CulexProcess culexProcess;

    private DynsecBrokers(Path dir, Side mosquitto, MosquittoBroker mosquittoProcess, Side culex,
            CulexProcess culexProcess) {
        this.dir = dir;
        this.mosquitto = mosquitto;
        this.mosquittoProcess = mosquittoProcess;
        this.culex = culex;
        this.culexProcess = culexProcess;
    }

    /** Both brokers, each with a copy of the same freshly initialised file. */
    static DynsecBrokers start(boolean allowAnonymous) throws Exception {
        Path dir = Files.createTempDirectory("dynsec-itest-");
        Path initial = init(dir.resolve("initial.json"));
        return start(dir, initial, initial, allowAnonymous);
    }

    /** Both brokers, Mosquitto with a copy of one file and Culex with a copy of the other. */
    static DynsecBrokers start(Path dir, Path forMosquitto, Path forCulex, boolean allowAnonymous) throws Exception {
        Path mosquittoFile = Files.createDirectories(dir.resolve("mosquitto")).resolve("dynamic-security.json");
        Files.copy(forMosquitto, mosquittoFile);
        int mosquittoPort = CulexProcess.freePort();
        MosquittoBroker mosquittoProcess = startMosquitto(dir, mosquittoFile, mosquittoPort, allowAnonymous);
        if (MOSQUITTO_ONLY) {
            return new DynsecBrokers(dir, new Side("mosquitto", mosquittoPort, mosquittoFile), mosquittoProcess, null,
                    null);
        }
        Path culexFile = Files.createDirectories(dir.resolve("culex")).resolve("dynamic-security.json");
        Files.copy(forCulex, culexFile);
        int culexPort = CulexProcess.freePort();
        CulexProcess culexProcess;
        try {
            culexProcess = startCulex(culexFile, culexPort, allowAnonymous);
        } catch (Throwable e) {
            mosquittoProcess.close();
            throw e;
        }
        return new DynsecBrokers(dir, new Side("mosquitto", mosquittoPort, mosquittoFile), mosquittoProcess,
                new Side("culex", culexPort, culexFile), culexProcess);
    }

    /** The configuration both brokers get (Mosquitto also gets {@link MosquittoBroker#userLine()} first). */
    static String conf(int port, Path file, boolean allowAnonymous) {
        return "listener " + port + " 127.0.0.1\n"
                + "allow_anonymous " + allowAnonymous + "\n"
                + "plugin " + PLUGIN + "\n"
                + "plugin_opt_config_file " + file + "\n";
    }

    static MosquittoBroker startMosquitto(Path dir, Path file, int port, boolean allowAnonymous) throws Exception {
        Path conf = dir.resolve("mosquitto-" + port + ".conf");
        Files.writeString(conf, MosquittoBroker.userLine() + conf(port, file, allowAnonymous));
        return MosquittoBroker.start(conf, port);
    }

    static CulexProcess startCulex(Path file, int port, boolean allowAnonymous) throws Exception {
        return startCulex(file, port, allowAnonymous, true);
    }

    /** @param awaitDynsec whether to wait for the dynsec bundle to have loaded the file (see {@link #awaitDynsec}) */
    static CulexProcess startCulex(Path file, int port, boolean allowAnonymous, boolean awaitDynsec)
            throws Exception {
        CulexProcess culex = CulexProcess.install();
        try {
            culex.startAndAwait(culex.writeConfig("dynsec.conf", conf(port, file, allowAnonymous)), port);
            if (awaitDynsec) {
                awaitDynsec(culex, port);
            }
            return culex;
        } catch (Throwable e) {
            culex.close();
            throw e;
        }
    }

    /**
     * Culex opens its listener as soon as its configuration is read, while the dynsec bundle may still be loading
     * its file (Mosquitto loads its plugins before it listens). A CONNECT in between waits for the required
     * provider, so clients need not care; the tests wait for the bundle's "loaded" line to know the file was read.
     */
    static void awaitDynsec(CulexProcess culex, int port) throws Exception {
        culex.awaitLog("Dynamic security: .* loaded: ");
    }

    /** {@code mosquitto_ctrl dynsec init <file> admin admin-pw}: the file must not exist yet. */
    static Path init(Path file) throws Exception {
        Ctrl result = Ctrl.exec(null, "dynsec", "init", file.toString(), ADMIN, ADMIN_PASSWORD);
        assertEquals(0, result.exitCode, result.toString());
        assertTrue(Files.exists(file), "mosquitto_ctrl dynsec init made no file: " + result);
        return file;
    }

    /** The brokers to compare: Mosquitto first, then Culex (only Mosquitto with -Ddynsec.mosquittoOnly). */
    List<Side> sides() {
        return culex == null ? List.of(mosquitto) : List.of(mosquitto, culex);
    }

    /**
     * What a user may do, seen with {@code mosquitto_pub}/{@code mosquitto_sub -V 5}: "allow ..." or "deny ..."
     * followed by the reason code. Operations: {@code connect} (the CONNACK), {@code publish} (the PUBACK: allowed
     * below 0x80), {@code subscribe} (the SUBACK). A null user, password or client id is left out.
     */
    static String access(int port, String user, String password, String clientId, String operation, String topic)
            throws IOException, InterruptedException {
        List<String> args = clientArgs(user, password, clientId);
        switch (operation) {
        case "connect":
        case "publish": {
            args.addAll(List.of("-q", "1", "-t", topic == null ? "probe/connect" : topic, "-m", "m"));
            String output = MosquittoTools.pub(port, args.toArray(String[]::new)).output;
            int connack = code(output, "received CONNACK \\((\\d+)\\)");
            if (connack != 0) {
                return "deny connect " + connack;
            }
            if (operation.equals("connect")) {
                return "allow connect";
            }
            int puback = code(output, "received PUBACK \\(Mid: 1, RC:(\\d+)\\)");
            return (puback < 0x80 ? "allow" : "deny") + " puback " + puback;
        }
        case "subscribe": {
            args.addAll(List.of("-q", "1", "-t", topic, "-E"));
            String output = MosquittoTools.run("mosquitto_sub", port, args.toArray(String[]::new)).output;
            int connack = code(output, "received CONNACK \\((\\d+)\\)");
            if (connack != 0) {
                return "deny connect " + connack;
            }
            int suback = code(output, "Subscribed \\(mid: 1\\): (\\d+)");
            return (suback < 0x80 ? "allow" : "deny") + " suback " + suback;
        }
        default:
            throw new IllegalArgumentException(operation);
        }
    }

    /** {@code -V 5 -d} and the credentials for mosquitto_pub/mosquitto_sub; nulls are left out. */
    static List<String> clientArgs(String user, String password, String clientId) {
        List<String> args = new ArrayList<>(List.of("-V", "5", "-d"));
        args.addAll(MosquittoTools.credentials(user, password, clientId));
        return args;
    }

    /** The first group of the first match of the regular expression in the tool's output, as a number. */
    static int code(String output, String regex) {
        Matcher m = Pattern.compile(regex).matcher(output);
        assertTrue(m.find(), "no " + regex + " in:\n" + output);
        return Integer.parseInt(m.group(1));
    }

    /** What {@code mosquitto_ctrl} did: its exit code and what it printed, without its warning about encryption. */
    static final class Ctrl {
        final int exitCode;
        final String stdout;
        final String stderr;

        private Ctrl(int exitCode, String stdout, String stderr) {
            this.exitCode = exitCode;
            this.stdout = stdout;
            this.stderr = stderr;
        }

        /** {@code mosquitto_ctrl -h 127.0.0.1 -p port -u admin -P admin-pw dynsec <args>} with no input. */
        static Ctrl admin(int port, String... args) throws IOException, InterruptedException {
            return adminWithInput(port, "", args);
        }

        /** {@link #admin} with text on its standard input (the answers to its password prompts). */
        static Ctrl adminWithInput(int port, String input, String... args) throws IOException, InterruptedException {
            List<String> all = new ArrayList<>(List.of("-h", "127.0.0.1", "-p", Integer.toString(port), "-u", ADMIN,
                    "-P", ADMIN_PASSWORD, "dynsec"));
            all.addAll(List.of(args));
            return exec(input, all.toArray(String[]::new));
        }

        /** {@code mosquitto_ctrl <args>}; standard input gets the text, or nothing if null. */
        static Ctrl exec(String input, String... args) throws IOException, InterruptedException {
            List<String> command = new ArrayList<>();
            command.add("mosquitto_ctrl");
            command.addAll(List.of(args));
            Path out = Files.createTempFile("mosquitto_ctrl-", ".out");
            Path err = Files.createTempFile("mosquitto_ctrl-", ".err");
            try {
                Process p = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile())
                        .start();
                try (var stdin = p.getOutputStream()) {
                    if (input != null) {
                        stdin.write(input.getBytes(StandardCharsets.UTF_8));
                    }
                }
                if (!p.waitFor(20, TimeUnit.SECONDS)) {
                    p.destroyForcibly().waitFor();
                    throw new AssertionError("mosquitto_ctrl did not finish: " + command);
                }
                return new Ctrl(p.exitValue(), Files.readString(out), withoutWarning(Files.readString(err)));
            } finally {
                Files.deleteIfExists(out);
                Files.deleteIfExists(err);
            }
        }

        private static String withoutWarning(String stderr) {
            return stderr.lines()
                    .filter(l -> !l.startsWith("Warning: You are running mosquitto_ctrl without encryption."))
                    .filter(l -> !l.startsWith("This means all of the configuration changes you are making"))
                    .filter(l -> !l.isEmpty())
                    .collect(Collectors.joining("\n"));
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Ctrl && ((Ctrl) o).exitCode == exitCode && ((Ctrl) o).stdout.equals(stdout)
                    && ((Ctrl) o).stderr.equals(stderr);
        }

        @Override
        public int hashCode() {
            return stdout.hashCode();
        }

        @Override
        public String toString() {
            return "exit " + exitCode + "\n--- stdout:\n" + stdout + "--- stderr:\n" + stderr;
        }
    }

    @Override
    public void close() throws Exception {
        try {
            if (mosquittoProcess != null) {
                mosquittoProcess.close();
            }
        } finally {
            try {
                if (culexProcess != null) {
                    culexProcess.close();
                }
            } finally {
                deleteTree(dir);
            }
        }
    }

    static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted((a, b) -> b.getNameCount() - a.getNameCount()).forEach(p -> p.toFile().delete());
        }
    }

    /**
     * Mosquitto's plugin where Debian's package put it: under the multiarch directory of this machine
     * (x86_64-linux-gnu, aarch64-linux-gnu, ...), found rather than assumed.
     */
    private static String dynamicSecurityPlugin() {
        String name = "mosquitto_dynamic_security.so";
        List<Path> candidates = new ArrayList<>(List.of(Path.of("/usr/lib", name), Path.of("/usr/local/lib", name)));
        try (Stream<Path> libDirs = Files.list(Path.of("/usr/lib"))) {
            libDirs.filter(d -> d.getFileName().toString().endsWith("-linux-gnu"))
                    .forEach(d -> candidates.add(0, d.resolve(name)));
        } catch (IOException e) {
            // no /usr/lib to list: the fixed candidates remain
        }
        return candidates.stream().filter(Files::isReadable).findFirst().map(Path::toString)
                .orElseThrow(() -> new IllegalStateException("Mosquitto's " + name + " is not installed (looked at "
                        + candidates + "); itest/install-test-tools.sh installs Debian's mosquitto package"));
    }
}
