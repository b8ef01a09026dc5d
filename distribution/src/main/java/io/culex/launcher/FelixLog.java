package io.culex.launcher;

import org.apache.felix.framework.Logger;

/**
 * The framework's own log (resolver errors, exceptions in listeners) in the launcher's format, on stderr. Felix
 * accepts only a subclass of its Logger as {@code felix.log.logger}; the level is {@code felix.log.level}.
 */
final class FelixLog extends Logger {
    private static final String[] LEVELS = {"", "ERROR", "WARNING", "INFO", "DEBUG"};

    /** While the launcher starts the system bundles, their start failures are left to its report (same reason). */
    static volatile boolean starting;

    @Override
    protected void doLog(int level, String msg, Throwable throwable) {
        if (starting && msg != null && msg.startsWith("Bundle ") && msg.contains(" Error starting ") && !Console.verbose()) {
            return;
        }
        String prefix = level > 0 && level < LEVELS.length ? LEVELS[level] : Integer.toString(level);
        Console.info("Felix " + prefix + ": " + msg); // Felix has put the exception's text in the message
        if (throwable != null && Console.verbose()) {
            throwable.printStackTrace();
        }
    }
}
