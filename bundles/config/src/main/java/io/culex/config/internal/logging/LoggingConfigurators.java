package io.culex.config.internal.logging;

import org.slf4j.ILoggerFactory;
import org.slf4j.LoggerFactory;

/** Chooses how logging options are applied, depending on which slf4j provider is running. */
public final class LoggingConfigurators {

    private static final String LOGBACK_CONTEXT = "ch.qos.logback.classic.LoggerContext";

    private LoggingConfigurators() {
    }

    /**
     * Logback when it is the slf4j provider and this bundle is wired to the same logback; otherwise a configurator
     * that only says the options are not applied. The class name is checked first and the logback classes are
     * touched only then, because the logback import is optional and may not be wired at all.
     */
    public static LoggingConfigurator forCurrentProvider() {
        ILoggerFactory factory = LoggerFactory.getILoggerFactory();
        if (factory.getClass().getName().equals(LOGBACK_CONTEXT)) {
            try {
                return LogbackConfigurator.forFactory(factory);
            } catch (LinkageError | ClassCastException e) {
                // logback runs, but in another class space than the one this bundle sees
            }
        }
        return new UnmanagedLogging(factory.getClass().getName());
    }
}
