package io.culex.config.internal.logging;

import java.nio.file.Path;
import java.util.Collections;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The logging options of a configuration file, with Mosquitto 2's defaults: log to stderr, the types error,
 * warning, notice and information, each line prefixed with the Unix time in seconds.
 */
public final class LoggingSettings {

    /** Mosquitto logs to syslog's "daemon" facility unless {@code log_facility} names local0..local7. */
    public static final int DAEMON_FACILITY = -1;

    private static final Set<LogType> DEFAULT_TYPES =
            EnumSet.of(LogType.ERROR, LogType.WARNING, LogType.NOTICE, LogType.INFORMATION);

    private final Set<LogDestination> destinations;
    private final Path file;
    private final Set<LogType> types;
    private final boolean timestamp;
    private final String timestampFormat;
    private final int syslogFacility;
    private final boolean connectionMessages;

    private LoggingSettings(Set<LogDestination> destinations, Path file, Set<LogType> types, boolean timestamp,
            String timestampFormat, int syslogFacility, boolean connectionMessages) {
        this.destinations = Collections.unmodifiableSet(copy(destinations, LogDestination.class));
        this.file = file;
        this.types = Collections.unmodifiableSet(copy(types, LogType.class));
        this.timestamp = timestamp;
        this.timestampFormat = timestampFormat;
        this.syslogFacility = syslogFacility;
        this.connectionMessages = connectionMessages;
    }

    private static <E extends Enum<E>> EnumSet<E> copy(Set<E> values, Class<E> type) {
        return values.isEmpty() ? EnumSet.noneOf(type) : EnumSet.copyOf(values);
    }

    public static LoggingSettings defaults() {
        return builder().build();
    }

    public static Builder builder() {
        return new Builder();
    }

    public Set<LogDestination> destinations() {
        return destinations;
    }

    /** The {@code log_dest file} path, present only when the file destination is in use. */
    public Optional<Path> file() {
        return destinations.contains(LogDestination.FILE) ? Optional.ofNullable(file) : Optional.empty();
    }

    public Set<LogType> types() {
        return types;
    }

    public boolean timestamp() {
        return timestamp;
    }

    /** The strftime format of {@code log_timestamp_format}; empty means Unix seconds. */
    public Optional<String> timestampFormat() {
        return Optional.ofNullable(timestampFormat);
    }

    /** 0..7 for local0..local7, or {@link #DAEMON_FACILITY}. */
    public int syslogFacility() {
        return syslogFacility;
    }

    public boolean connectionMessages() {
        return connectionMessages;
    }

    /** {@code -v}: every log type, whatever the file says, as Mosquitto's verbose mode. */
    public LoggingSettings withAllTypes() {
        return new LoggingSettings(destinations, file, EnumSet.allOf(LogType.class), timestamp, timestampFormat,
                syslogFacility, connectionMessages);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof LoggingSettings that
                && destinations.equals(that.destinations)
                && Objects.equals(file(), that.file())
                && types.equals(that.types)
                && timestamp == that.timestamp
                && Objects.equals(timestampFormat, that.timestampFormat)
                && syslogFacility == that.syslogFacility
                && connectionMessages == that.connectionMessages;
    }

    @Override
    public int hashCode() {
        return Objects.hash(destinations, file(), types, timestamp, timestampFormat, syslogFacility,
                connectionMessages);
    }

    @Override
    public String toString() {
        return "LoggingSettings[destinations=" + destinations + ", file=" + file() + ", types=" + types
                + ", timestamp=" + timestamp + ", timestampFormat=" + timestampFormat + "]";
    }

    /**
     * Accumulates {@code log_dest} and {@code log_type} lines as Mosquitto does: each line adds to the set,
     * {@code none} empties it, and only when no line was given at all do the defaults apply.
     */
    public static final class Builder {

        private final EnumSet<LogDestination> destinations = EnumSet.noneOf(LogDestination.class);
        private boolean destinationsSet;
        private Path file;
        private final EnumSet<LogType> types = EnumSet.noneOf(LogType.class);
        private boolean typesSet;
        private boolean timestamp = true;
        private String timestampFormat;
        private int syslogFacility = DAEMON_FACILITY;
        private boolean connectionMessages = true;

        private Builder() {
        }

        public Builder addDestination(LogDestination destination) {
            destinationsSet = true;
            destinations.add(destination);
            return this;
        }

        public Builder noDestinations() {
            destinationsSet = true;
            destinations.clear();
            return this;
        }

        /** The path of {@code log_dest file}; Mosquitto allows one, even across {@code log_dest none}. */
        public Builder file(Path path) {
            this.file = path;
            return addDestination(LogDestination.FILE);
        }

        public boolean hasFile() {
            return file != null;
        }

        public Builder addType(LogType type) {
            typesSet = true;
            types.add(type);
            return this;
        }

        public Builder allTypes() {
            typesSet = true;
            types.addAll(EnumSet.allOf(LogType.class));
            return this;
        }

        public Builder noTypes() {
            typesSet = true;
            types.clear();
            return this;
        }

        public Builder timestamp(boolean enabled) {
            this.timestamp = enabled;
            return this;
        }

        public Builder timestampFormat(String format) {
            this.timestampFormat = format;
            return this;
        }

        public boolean hasTimestampFormat() {
            return timestampFormat != null;
        }

        public Builder syslogFacility(int facility) {
            this.syslogFacility = facility;
            return this;
        }

        public Builder connectionMessages(boolean enabled) {
            this.connectionMessages = enabled;
            return this;
        }

        public LoggingSettings build() {
            Set<LogDestination> effectiveDestinations =
                    destinationsSet ? destinations : EnumSet.of(LogDestination.STDERR);
            Set<LogType> effectiveTypes = typesSet ? types : DEFAULT_TYPES;
            return new LoggingSettings(effectiveDestinations, file, effectiveTypes, timestamp, timestampFormat,
                    syslogFacility, connectionMessages);
        }
    }
}
