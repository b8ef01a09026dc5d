package io.culex.config.internal.logging;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Used when the slf4j provider is not logback: the logging options are read but cannot be put into effect. */
final class UnmanagedLogging implements LoggingConfigurator {

    private static final Logger LOG = LoggerFactory.getLogger("io.culex.config");

    private final String provider;
    private boolean noted;

    UnmanagedLogging(String provider) {
        this.provider = provider;
    }

    @Override
    public void apply(LoggingSettings settings) {
        if (!noted) {
            noted = true;
            LOG.info("Note: log_dest, log_type and log_timestamp are not applied: the slf4j provider is {}, "
                    + "not logback; its own configuration decides where log messages go.", provider);
        }
    }
}
