package io.culex.bridge.internal;

import java.lang.reflect.Array;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Reads a bridge's configuration properties, which come from the config bundle (typed: Boolean, Integer, String[])
 * or from an administrator (Felix FileInstall, the web console: often strings). Each getter accepts both.
 */
final class ConfigValues {

    private final Map<String, Object> properties;

    ConfigValues(Map<String, Object> properties) {
        this.properties = properties;
    }

    boolean has(String key) {
        Object value = properties.get(key);
        return value != null && !(value instanceof String s && s.isEmpty());
    }

    /** @return the value as a string, or {@code fallback} when absent or empty */
    String string(String key, String fallback) {
        Object value = properties.get(key);
        if (value == null) {
            return fallback;
        }
        String text = value instanceof String s ? s : String.valueOf(value);
        return text.isEmpty() ? fallback : text;
    }

    boolean bool(String key, boolean fallback) {
        Object value = properties.get(key);
        if (value == null) {
            return fallback;
        }
        if (value instanceof Boolean b) {
            return b;
        }
        return switch (value.toString().trim().toLowerCase(Locale.ROOT)) {
            case "true" -> true;
            case "false" -> false;
            default -> throw new IllegalArgumentException("Invalid " + key + " value (" + value + "): true or false");
        };
    }

    int integer(String key, int fallback) {
        Object value = properties.get(key);
        if (value == null) {
            return fallback;
        }
        return toInt(key, value);
    }

    /** @return the values of a multi-valued property (array, collection, or one value) */
    List<String> strings(String key) {
        return list(key).stream().map(String::valueOf).toList();
    }

    List<Integer> integers(String key) {
        return list(key).stream().map(v -> toInt(key, v)).toList();
    }

    private List<Object> list(String key) {
        Object value = properties.get(key);
        List<Object> result = new ArrayList<>();
        if (value == null) {
            return result;
        }
        if (value.getClass().isArray()) {
            for (int i = 0; i < Array.getLength(value); i++) {
                result.add(Array.get(value, i));
            }
        } else if (value instanceof Collection<?> values) {
            result.addAll(values);
        } else {
            result.add(value);
        }
        return result;
    }

    private static int toInt(String key, Object value) {
        if (value instanceof Number n) {
            return n.intValue();
        }
        try {
            return Integer.parseInt(value.toString().trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("Invalid " + key + " value (" + value + ")");
        }
    }
}
