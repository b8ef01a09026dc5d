package io.culex.config.internal;

/**
 * Reads option values with Mosquitto's rules and error messages. One deliberate difference: Mosquitto reads numbers
 * with {@code atoi}, so {@code max_inflight_messages abc} silently means 0; here a number that is not a number is an
 * error, because a typo that changes a limit should not go unnoticed.
 */
final class Values {

    private Values() {
    }

    static boolean bool(OptionLine line, String name) throws ConfigException {
        String token = line.nextToken();
        if (token == null) {
            throw empty(name);
        }
        // Mosquitto 2.0 also accepts 1 and 0.
        return switch (token) {
            case "true", "1" -> true;
            case "false", "0" -> false;
            default -> throw new ConfigException("Error: Invalid " + name + " value (" + token + ").");
        };
    }

    static int integer(OptionLine line, String name) throws ConfigException {
        String token = line.nextToken();
        if (token == null) {
            throw empty(name);
        }
        return parseInt(token, name);
    }

    static long longInteger(OptionLine line, String name) throws ConfigException {
        String token = line.nextToken();
        if (token == null) {
            throw empty(name);
        }
        try {
            return Long.parseLong(token);
        } catch (NumberFormatException e) {
            throw invalid(name, token);
        }
    }

    static int parseInt(String token, String name) throws ConfigException {
        try {
            return Integer.parseInt(token);
        } catch (NumberFormatException e) {
            throw invalid(name, token);
        }
    }

    /**
     * A string value: the rest of the line with surrounding blanks removed. A value that is already set is an
     * error, as in Mosquitto, because the second one would silently win.
     */
    static String string(OptionLine line, String name, Object existing) throws ConfigException {
        String rest = line.remainder();
        if (rest == null) {
            throw empty(name);
        }
        if (existing != null) {
            throw new ConfigException("Error: Duplicate " + name + " value in configuration.");
        }
        String value = rest.strip();
        if (value.isEmpty()) {
            throw empty(name);
        }
        return value;
    }

    /** The next token, which must be present. */
    static String token(OptionLine line, String name) throws ConfigException {
        String token = line.nextToken();
        if (token == null) {
            throw empty(name);
        }
        return token;
    }

    static ConfigException empty(String name) {
        return new ConfigException("Error: Empty " + name + " value in configuration.");
    }

    static ConfigException invalid(String name, String value) {
        return new ConfigException("Error: Invalid " + name + " value (" + value + ").");
    }

    /** Mosquitto's topic check for publish topics, used for mount points and bridge prefixes: no wildcards. */
    static boolean isValidPublishTopic(String topic) {
        return topic.indexOf('+') < 0 && topic.indexOf('#') < 0 && topic.length() <= 65535;
    }
}
