package io.culex.config.internal;

import io.culex.config.internal.logging.LoggingConfigurator;
import io.culex.config.internal.logging.LoggingSettings;

import java.io.IOException;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

import org.osgi.service.cm.ConfigurationAdmin;

/**
 * Reads the configuration file and puts it into effect: Config Admin configurations for the other bundles, and
 * logging. At start a bad file means the broker must not run, so nothing is configured (and what an earlier run
 * configured is removed); on reload a bad file changes nothing. Free of OSGi framework types so that it can be
 * tested with a fake Config Admin.
 */
final class BrokerConfigurator {

    private static final List<String> LOCAL_ONLY_MESSAGES = List.of(
            "Starting in local only mode. Connections will only be possible from clients running on this machine.",
            "Create a configuration file which defines a listener to allow remote access.",
            "For more details see https://mosquitto.org/documentation/authentication-methods/");

    private final Function<String, String> frameworkProperties;
    private final ConfigAdminSynchronizer configurations;
    private final LoggingConfigurator logging;
    private final DiagnosticSink log;
    private final ConfParser parser = new ConfParser();

    /** Null until started, and when the launcher's properties are invalid (nothing can be reloaded then). */
    private LaunchOptions options;
    private boolean ready;
    private String error;
    private boolean localOnly;
    private WatchedSources sources = WatchedSources.none();
    private PidFile pidFile;

    BrokerConfigurator(Function<String, String> frameworkProperties, ConfigurationAdmin configurationAdmin,
            LoggingConfigurator logging, DiagnosticSink log) {
        this.frameworkProperties = frameworkProperties;
        this.configurations = new ConfigAdminSynchronizer(configurationAdmin);
        this.logging = logging;
        this.log = log;
    }

    /** Reads and applies the configuration at start; false when the broker must not start. */
    synchronized boolean start() {
        try {
            options = LaunchOptions.from(frameworkProperties);
        } catch (ConfigException e) {
            logging.apply(LoggingSettings.defaults());
            return failStart(e);
        }
        ParseOutcome outcome = read();
        // Even a bad file gets Mosquitto's default logging, so that its error is printed the way Mosquitto prints it.
        applyLogging(outcome.config().map(ParsedConfig::logging).orElse(LoggingSettings.defaults()));
        outcome.diagnostics().forEach(log::report);
        if (outcome.error().isPresent()) {
            return failStart(outcome.error().get());
        }
        ParsedConfig config = outcome.config().orElseThrow();
        if (config.pidFile().isPresent()) {
            try {
                pidFile = PidFile.write(config.pidFile().get());
            } catch (ConfigException e) {
                return failStart(e);
            }
        }
        log.report(Diagnostic.info(options.configFile()
                .map(file -> "Config loaded from " + file + ".")
                .orElse("Using default config.")));
        try {
            configurations.apply(ConfigurationPlanner.plan(config, options.ports(), options.features()));
        } catch (IOException e) {
            return failStart(configAdminFailure(e));
        }
        localOnly = config.localOnly();
        if (localOnly) {
            LOCAL_ONLY_MESSAGES.forEach(message -> log.report(Diagnostic.warning(message)));
        } else if (!options.ports().isEmpty()) {
            log.report(Diagnostic.info("Note: the -p ports are not used because the configuration defines "
                    + "listeners (as in Mosquitto)."));
        }
        ready = true;
        return true;
    }

    /**
     * Re-reads the file and applies what changed. A bad file is reported and leaves everything as it is; a good
     * one after a failed start makes the configuration ready.
     */
    synchronized boolean reload() {
        if (options == null) {
            return false;
        }
        log.report(Diagnostic.notice("Reloading config."));
        ParseOutcome outcome = read();
        if (outcome.error().isPresent()) {
            outcome.diagnostics().forEach(log::report);
            reportError(outcome.error().get());
            log.report(Diagnostic.warning("Warning: The configuration was not reloaded; "
                    + (ready ? "the running configuration is unchanged." : "the broker is not configured.")));
            return false;
        }
        ParsedConfig config = outcome.config().orElseThrow();
        applyLogging(config.logging());
        outcome.diagnostics().forEach(log::report);
        SyncResult result;
        try {
            result = configurations.apply(ConfigurationPlanner.plan(config, options.ports(), options.features()));
        } catch (IOException e) {
            reportError(configAdminFailure(e));
            return false;
        }
        result.created().forEach(name -> log.report(Diagnostic.info("Configuration created: " + name)));
        result.updated().forEach(name -> log.report(Diagnostic.info("Configuration updated: " + name)));
        result.deleted().forEach(name -> log.report(Diagnostic.info("Configuration deleted: " + name)));
        if (config.localOnly() && !localOnly) {
            LOCAL_ONLY_MESSAGES.forEach(message -> log.report(Diagnostic.warning(message)));
        }
        localOnly = config.localOnly();
        ready = true;
        error = null;
        return true;
    }

    /** Removes the pid file, as Mosquitto does when it exits; configurations stay, so that a restart is seamless. */
    synchronized void stop() {
        if (pidFile != null) {
            pidFile.delete();
            pidFile = null;
        }
    }

    synchronized boolean isReady() {
        return ready;
    }

    /** The error that stopped the start, in Mosquitto's words with file and line, while not ready. */
    synchronized Optional<String> error() {
        return Optional.ofNullable(error);
    }

    synchronized Optional<LaunchOptions> options() {
        return Optional.ofNullable(options);
    }

    /** The files the last read looked at, for the watcher. */
    synchronized WatchedSources sources() {
        return sources;
    }

    private ParseOutcome read() {
        if (options.configFile().isEmpty()) {
            return ParseOutcome.success(ParsedConfig.empty(), List.of(), WatchedSources.none());
        }
        ParseOutcome outcome = parser.parse(options.configFile().get());
        sources = outcome.sources();
        return outcome;
    }

    private void applyLogging(LoggingSettings settings) {
        logging.apply(options.verbose() ? settings.withAllTypes() : settings);
    }

    private boolean failStart(ConfigException e) {
        reportError(e);
        try {
            // Leftovers from an earlier run would otherwise start listeners for a configuration that failed.
            configurations.removeAll();
        } catch (IOException removal) {
            log.report(Diagnostic.error("Error: Unable to remove the previous configuration: " + removal.getMessage()));
        }
        stop();
        ready = false;
        error = e.summary();
        return false;
    }

    private void reportError(ConfigException e) {
        e.reportLines().forEach(line -> log.report(Diagnostic.error(line)));
    }

    private static ConfigException configAdminFailure(IOException e) {
        return new ConfigException("Error: Unable to store the configuration in Config Admin: " + e.getMessage());
    }
}
