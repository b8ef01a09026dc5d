package io.culex.config.internal;

import io.culex.config.internal.logging.LogDestination;
import io.culex.config.internal.logging.LogType;

import java.nio.file.Path;
import java.util.Optional;

/** {@code log_dest}, {@code log_type}, {@code log_timestamp}, {@code log_timestamp_format} and {@code log_facility}. */
final class LoggingOptions {

    private LoggingOptions() {
    }

    static void register(OptionRegistry registry) {
        registry.add("log_dest", LoggingOptions::logDestination);
        registry.add("log_type", (state, line) -> {
            String type = Values.token(line, "log_type");
            switch (type) {
                case "none" -> state.logging().noTypes();
                case "all" -> state.logging().allTypes();
                default -> state.logging().addType(LogType.byConfigName(type)
                        .orElseThrow(() -> new ConfigException("Error: Invalid log_type value (" + type + ").")));
            }
        });
        registry.add("log_timestamp", (state, line) ->
                state.logging().timestamp(Values.bool(line, "log_timestamp")));
        registry.add("log_timestamp_format", (state, line) -> state.logging().timestampFormat(
                Values.string(line, "log_timestamp_format", state.logging().hasTimestampFormat() ? "" : null)));
        registry.add("log_facility", (state, line) -> {
            int facility = Values.integer(line, "log_facility");
            if (facility < 0 || facility > 7) {
                throw new ConfigException("Error: Invalid log_facility value (" + facility + ").");
            }
            state.logging().syslogFacility(facility);
        });
    }

    private static void logDestination(ParseState state, OptionLine line) throws ConfigException {
        String name = Values.token(line, "log_dest");
        if (name.equals("none")) {
            state.logging().noDestinations();
            return;
        }
        Optional<LogDestination> destination = LogDestination.byConfigName(name);
        if (destination.isEmpty()) {
            throw new ConfigException("Error: Invalid log_dest value (" + name + ").");
        }
        switch (destination.get()) {
            case FILE -> {
                if (state.logging().hasFile()) {
                    throw new ConfigException("Error: Duplicate \"log_dest file\" value.");
                }
                String rest = line.remainder();
                String path = rest == null ? "" : rest.stripLeading();
                if (path.isEmpty()) {
                    throw new ConfigException("Error: Empty \"log_dest file\" value in configuration.");
                }
                state.logging().file(Path.of(path));
            }
            case TOPIC -> {
                state.logging().addDestination(LogDestination.TOPIC);
                state.notYetSupported("log_dest topic", line);
            }
            case DLT -> state.report(Diagnostic.warning(
                    "Warning: log_dest dlt is not supported by Culex and is ignored (" + line.location() + ")"));
            default -> state.logging().addDestination(destination.get());
        }
    }
}
