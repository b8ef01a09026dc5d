package io.culex.launcher;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Mosquitto 2.0's command line, with its messages and its exit code: {@code -c/--config-file <file>},
 * {@code -d/--daemon}, {@code -h/--help}, {@code -p/--port <port>} (up to 10 times), {@code -v/--verbose}.
 * Arguments are handled in order, as mosquitto does: the first error wins, and {@code -h} exits 3 after the
 * usage text, as in mosquitto 2.0.11. Culex adds {@code -i/--interactive}: a Gogo console on the terminal.
 */
final class CommandLine {
    /** Mosquitto's MOSQ_ERR_INVAL: every command line error, including {@code -h}. */
    static final int EXIT_INVALID = 3;
    private static final int PORT_LIMIT = 10; // mosquitto's CMD_PORT_LIMIT

    final Path configFile; // absolute, or null for the default configuration
    final List<Integer> ports;
    final boolean daemon;
    final boolean verbose;
    final boolean interactive;

    private CommandLine(Path configFile, List<Integer> ports, boolean daemon, boolean verbose, boolean interactive) {
        this.configFile = configFile;
        this.ports = Collections.unmodifiableList(ports);
        this.daemon = daemon;
        this.verbose = verbose;
        this.interactive = interactive;
    }

    /** Thrown after the error has been printed; carries the exit code. */
    static final class Exit extends Exception {
        private static final long serialVersionUID = 1L;
        final int code;

        Exit(int code) {
            super(null, null, false, false);
            this.code = code;
        }
    }

    static CommandLine parse(String[] args, Path workingDir, String version) throws Exit {
        Path config = null;
        List<Integer> ports = new ArrayList<>();
        boolean daemon = false;
        boolean verbose = false;
        boolean interactive = false;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (a.equals("-c") || a.equals("--config-file")) {
                if (i == args.length - 1) {
                    throw fail("Error: -c argument given, but no config file specified.");
                }
                String name = args[++i];
                Path file = workingDir.resolve(name).toAbsolutePath().normalize();
                if (Files.isDirectory(file)) {
                    throw fail("Error: Config file " + name + " is a directory.");
                }
                if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
                    throw fail("Error: Unable to open config file " + name + ".");
                }
                config = file;
            } else if (a.equals("-d") || a.equals("--daemon")) {
                daemon = true;
            } else if (a.equals("-h") || a.equals("--help")) {
                System.out.print(usage(version));
                throw new Exit(EXIT_INVALID);
            } else if (a.equals("-p") || a.equals("--port")) {
                if (i == args.length - 1) {
                    throw fail("Error: -p argument given, but no port specified.");
                }
                int port = atoi(args[++i]);
                if (port < 1 || port > 65535) {
                    throw fail("Error: Invalid port specified (" + port + ").");
                }
                if (ports.size() == PORT_LIMIT) {
                    throw fail("Error: Only " + PORT_LIMIT + " ports can be specified on the command line.");
                }
                ports.add(port);
            } else if (a.equals("-v") || a.equals("--verbose")) {
                verbose = true;
            } else if (a.equals("-i") || a.equals("--interactive")) {
                interactive = true;
            } else {
                System.err.println("Error: Unknown option '" + a + "'.");
                System.out.print(usage(version));
                throw new Exit(EXIT_INVALID);
            }
        }
        // bin/culex handles -d itself and tells the launcher through the ready-file property
        boolean daemonized = daemon || System.getProperty("culex.launcher.readyFile") != null;
        if (interactive && daemonized) {
            throw fail("Error: -i and -d cannot be used together (a daemon has no terminal).");
        }
        return new CommandLine(config, ports, daemon, verbose, interactive);
    }

    private static Exit fail(String message) {
        Console.info(message);
        return new Exit(EXIT_INVALID);
    }

    /** C's atoi as glibc does it (strtol, saturated, then narrowed to int), so "-p 12abc" means 12 as in mosquitto. */
    static int atoi(String s) {
        int i = 0;
        int n = s.length();
        while (i < n && " \t\n\u000B\f\r".indexOf(s.charAt(i)) >= 0) {
            i++;
        }
        boolean negative = false;
        if (i < n && (s.charAt(i) == '+' || s.charAt(i) == '-')) {
            negative = s.charAt(i++) == '-';
        }
        long value = 0;
        for (; i < n && s.charAt(i) >= '0' && s.charAt(i) <= '9'; i++) {
            int digit = s.charAt(i) - '0';
            value = value > (Long.MAX_VALUE - digit) / 10 ? Long.MAX_VALUE : value * 10 + digit;
        }
        return (int) (negative ? (value == Long.MAX_VALUE ? Long.MIN_VALUE : -value) : value);
    }

    static String usage(String version) {
        return "culex version " + version + "\n"
                + "\n"
                + "culex is an MQTT v5.0/v3.1.1/v3.1 broker.\n"
                + "\n"
                + "Usage: culex [-c config_file] [-d] [-h] [-i] [-p port]\n"
                + "\n"
                + " -c : specify the broker config file.\n"
                + " -d : put the broker into the background after starting.\n"
                + " -h : display this help.\n"
                + " -i : interactive: a Gogo shell on the terminal (culex:clients, culex:kick, ...).\n"
                + "      The broker keeps running when the terminal closes.\n"
                + " -p : start the broker listening on the specified port.\n"
                + "      Not recommended in conjunction with the -c option.\n"
                + " -v : verbose mode - enable all logging types. This overrides\n"
                + "      any logging options given in the config file.\n"
                + "\n"
                + "See https://mosquitto.org/man/mosquitto-conf-5.html for the config file's format.\n"
                + "\n";
    }
}
