package io.culex.config.internal;

import java.util.Dictionary;
import java.util.Hashtable;
import java.util.Map;

/**
 * One configuration that should exist in Config Admin: a singleton (by PID) or a factory configuration
 * (identified by the value of {@code keyProperty}, since factory PIDs are generated).
 */
record PlannedConfiguration(String pid, String factoryPid, String keyProperty, String key,
        Map<String, Object> properties) {

    PlannedConfiguration {
        properties = Map.copyOf(properties);
    }

    static PlannedConfiguration singleton(String pid, Map<String, Object> properties) {
        return new PlannedConfiguration(pid, null, null, null, properties);
    }

    static PlannedConfiguration factory(String factoryPid, String keyProperty, String key,
            Map<String, Object> properties) {
        return new PlannedConfiguration(null, factoryPid, keyProperty, key, properties);
    }

    boolean isFactory() {
        return factoryPid != null;
    }

    Dictionary<String, Object> dictionary() {
        return new Hashtable<>(properties);
    }

    /** How it is named in log messages, e.g. {@code io.culex.core.listener[*:1883]}. */
    String describe() {
        return isFactory() ? factoryPid + "[" + key + "]" : pid;
    }
}
