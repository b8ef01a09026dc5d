package io.culex.config.internal.logging;

/** Puts logging settings into effect; called at start and again after each successful reload. */
public interface LoggingConfigurator {

    void apply(LoggingSettings settings);
}
