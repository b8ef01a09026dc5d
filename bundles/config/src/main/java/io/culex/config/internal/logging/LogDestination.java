package io.culex.config.internal.logging;

import java.util.Arrays;
import java.util.Optional;

/** Mosquitto's {@code log_dest} values. */
public enum LogDestination {
    STDOUT("stdout"),
    STDERR("stderr"),
    FILE("file"),
    SYSLOG("syslog"),
    /** Publishing log lines on {@code $SYS/broker/log/...}: that belongs to a bundle that does not exist yet. */
    TOPIC("topic"),
    /** The automotive Diagnostic Log and Trace daemon: there is no Java client for it, so it is ignored. */
    DLT("dlt");

    private final String configName;

    LogDestination(String configName) {
        this.configName = configName;
    }

    public String configName() {
        return configName;
    }

    public static Optional<LogDestination> byConfigName(String name) {
        return Arrays.stream(values()).filter(dest -> dest.configName.equals(name)).findFirst();
    }
}
