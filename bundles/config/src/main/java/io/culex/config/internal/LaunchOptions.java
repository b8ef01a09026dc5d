package io.culex.config.internal;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * What the launcher passes from the {@code culex} command line ({@code -c}, {@code -p}, {@code -v}, which it
 * takes as {@code mosquitto} does, and Culex's own {@code -i}), through framework properties.
 *
 * @param configFile the {@code -c} file; empty means no file, i.e. Mosquitto's defaults
 * @param ports the {@code -p} ports, in order; they are used only in local only mode, as Mosquitto uses them
 * @param verbose {@code -v}: all log types, whatever the file says
 * @param interactive {@code -i}: a Gogo console on the terminal, so the {@code shell} feature is installed at boot
 */
record LaunchOptions(Optional<Path> configFile, List<Integer> ports, boolean verbose, boolean interactive) {

    /** The feature {@code -i} installs at boot, besides those of the {@code features} option. */
    static final String SHELL_FEATURE = "shell";

    /** Mosquitto's CMD_PORT_LIMIT. */
    static final int MAX_COMMAND_LINE_PORTS = 10;

    LaunchOptions {
        ports = List.copyOf(ports);
    }

    static LaunchOptions from(Function<String, String> frameworkProperty) throws ConfigException {
        String file = frameworkProperty.apply(ConfigContract.CONFIG_FILE_PROPERTY);
        Optional<Path> configFile = file == null || file.isBlank() ? Optional.empty() : Optional.of(Path.of(file));
        List<Integer> ports = ports(frameworkProperty.apply(ConfigContract.PORTS_PROPERTY));
        boolean verbose = Boolean.parseBoolean(frameworkProperty.apply(ConfigContract.VERBOSE_PROPERTY));
        boolean interactive = Boolean.parseBoolean(frameworkProperty.apply(ConfigContract.INTERACTIVE_PROPERTY));
        return new LaunchOptions(configFile, ports, verbose, interactive);
    }

    /** @return the features the command line asks for, installed at boot with those of the file */
    List<String> features() {
        return interactive ? List.of(SHELL_FEATURE) : List.of();
    }

    private static List<Integer> ports(String value) throws ConfigException {
        List<Integer> ports = new ArrayList<>();
        if (value == null || value.isBlank()) {
            return ports;
        }
        for (String item : value.split(",")) {
            String text = item.strip();
            int port;
            try {
                port = Integer.parseInt(text);
            } catch (NumberFormatException e) {
                throw new ConfigException("Error: Invalid port specified (" + text + ").");
            }
            if (port < 1 || port > 65535) {
                throw new ConfigException("Error: Invalid port specified (" + port + ").");
            }
            if (ports.size() == MAX_COMMAND_LINE_PORTS) {
                throw new ConfigException(
                        "Error: Only " + MAX_COMMAND_LINE_PORTS + " ports can be specified on the command line.");
            }
            ports.add(port);
        }
        return ports;
    }
}
