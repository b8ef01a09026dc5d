package io.culex.config.internal;

/** Mosquitto's duration syntax for persistent_client_expiration: a positive integer and one of h d w m y. */
final class Durations {

    private static final long HOUR = 3600;
    private static final long DAY = 24 * HOUR;

    private Durations() {
    }

    static long seconds(String value) throws ConfigException {
        if (value.length() < 2) {
            throw invalid();
        }
        long unit = switch (value.charAt(value.length() - 1)) {
            case 'h' -> HOUR;
            case 'd' -> DAY;
            case 'w' -> 7 * DAY;
            case 'm' -> 30 * DAY; // Mosquitto's month is 30 days and its year 365
            case 'y' -> 365 * DAY;
            default -> throw invalid();
        };
        long amount;
        try {
            amount = Long.parseLong(value.substring(0, value.length() - 1));
        } catch (NumberFormatException e) {
            throw invalid();
        }
        if (amount <= 0 || amount > Long.MAX_VALUE / unit) {
            throw invalid();
        }
        return amount * unit;
    }

    private static ConfigException invalid() {
        return new ConfigException("Error: Invalid persistent_client_expiration duration in configuration.");
    }
}
