package io.culex.config.internal;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/** The properties one configuration is built from, in the order the file set them, keyed by Mosquitto option name. */
final class PropertyBag {

    private final Map<String, Object> properties = new LinkedHashMap<>();

    void put(String key, Object value) {
        properties.put(key, value);
    }

    Object get(String key) {
        return properties.get(key);
    }

    boolean has(String key) {
        return properties.containsKey(key);
    }

    /** Reads a string option into {@code key}; a second value for the same key is Mosquitto's duplicate error. */
    void putString(String key, OptionLine line, String displayName) throws ConfigException {
        properties.put(key, Values.string(line, displayName, properties.get(key)));
    }

    void putString(String key, OptionLine line) throws ConfigException {
        putString(key, line, key);
    }

    Map<String, Object> toMap() {
        return Collections.unmodifiableMap(new LinkedHashMap<>(properties));
    }
}
