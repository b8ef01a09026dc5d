package io.culex.config.internal.logging;

import java.util.Arrays;
import java.util.Optional;

/**
 * Mosquitto's {@code log_type} values. Java logging has levels, not types, so the first four map to slf4j levels
 * (notice and information share INFO); the others are categories that an event selects with an slf4j marker of the
 * same name (for example {@code MarkerFactory.getMarker("subscribe")}), whatever its level.
 */
public enum LogType {
    ERROR("error"),
    WARNING("warning"),
    NOTICE("notice"),
    INFORMATION("information"),
    DEBUG("debug"),
    SUBSCRIBE("subscribe"),
    UNSUBSCRIBE("unsubscribe"),
    WEBSOCKETS("websockets"),
    INTERNAL("internal");

    private final String configName;

    LogType(String configName) {
        this.configName = configName;
    }

    /** The name used in the configuration file, and as the marker name for the category types. */
    public String configName() {
        return configName;
    }

    public boolean isCategory() {
        return ordinal() >= SUBSCRIBE.ordinal();
    }

    public static Optional<LogType> byConfigName(String name) {
        return Arrays.stream(values()).filter(type -> type.configName.equals(name)).findFirst();
    }
}
