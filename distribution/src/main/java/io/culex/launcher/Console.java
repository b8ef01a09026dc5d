package io.culex.launcher;

/**
 * The launcher's own messages, in Mosquitto's format {@code <unix seconds>: message}, written to {@code System.err}
 * directly, whatever the configuration file does with the bundles' log: they are about starting and stopping the
 * process, and that is where Mosquitto logs by default ({@code log_dest stderr}) and where {@link DefaultLogging}
 * sends the bundles' log until the configuration is read.
 * {@code System.err} is looked up on every call, so the daemon mode can point it to /dev/null later.
 */
final class Console {
    private static volatile boolean verbose;

    private Console() {
    }

    static void setVerbose(boolean on) {
        verbose = on;
    }

    static boolean verbose() {
        return verbose;
    }

    static void info(String message) {
        System.err.println(System.currentTimeMillis() / 1000 + ": " + message);
    }

    static void debug(String message) {
        if (verbose) {
            info(message);
        }
    }

    static void error(String message) {
        info("Error: " + message);
    }

    static void error(String message, Throwable t) {
        error(message + ": " + describe(t));
        if (verbose) {
            t.printStackTrace();
        }
    }

    /** The exception and its causes on one line: Felix puts the resolver's explanation in the message. */
    static String describe(Throwable t) {
        StringBuilder sb = new StringBuilder();
        for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
            if (sb.length() > 0) {
                sb.append(" / caused by: ");
            }
            sb.append(c.getMessage() != null ? c.getMessage() : c.getClass().getName());
        }
        return sb.toString();
    }
}
