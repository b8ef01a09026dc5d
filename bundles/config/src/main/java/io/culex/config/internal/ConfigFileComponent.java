package io.culex.config.internal;

import io.culex.config.internal.logging.LoggingConfigurators;

import java.util.Dictionary;
import java.util.Hashtable;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads culex.conf when the bundle starts, reloads it when it changes or when the launcher asks, and tells the
 * launcher whether the broker may run. The launcher finds a {@link Runnable} service with the property
 * {@code culex.config.status} ({@code ready} or {@code failed}): on {@code failed} it stops with Mosquitto's exit
 * code; running the service (on SIGHUP) reloads the file.
 */
@Component(service = {})
public final class ConfigFileComponent {

    private static final Logger LOG = LoggerFactory.getLogger(ConfigFileComponent.class);
    private static final long POLL_INTERVAL_SECONDS = 1;

    private final BrokerConfigurator configurator;
    private final ConfigFileWatcher watcher;
    private final ScheduledExecutorService worker;
    /** Volatile: the launcher may run the service before the constructor has stored the registration. */
    private volatile ServiceRegistration<Runnable> status;

    @Activate
    public ConfigFileComponent(BundleContext context, @Reference ConfigurationAdmin configurationAdmin) {
        configurator = new BrokerConfigurator(context::getProperty, configurationAdmin,
                LoggingConfigurators.forCurrentProvider(), new Slf4jDiagnosticSink());
        try {
            configurator.start();
        } catch (RuntimeException e) {
            // still register the status service (as failed), or the launcher would wait for it in vain
            LOG.error("Error: Reading the configuration failed.", e);
        }
        watcher = new ConfigFileWatcher(configurator.sources());
        // One thread runs every reload, from the watcher or the launcher, so that reloads never overlap.
        worker = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread thread = new Thread(task, "culex-config");
            thread.setDaemon(true);
            return thread;
        });
        status = context.registerService(Runnable.class, this::requestReload, statusProperties());
        // in case the launcher ran the service before the line above stored the registration
        worker.execute(this::publishStatus);
        if (configurator.options().flatMap(LaunchOptions::configFile).isPresent()) {
            worker.scheduleWithFixedDelay(this::reloadIfChanged, POLL_INTERVAL_SECONDS, POLL_INTERVAL_SECONDS,
                    TimeUnit.SECONDS);
        }
    }

    @Deactivate
    void deactivate() {
        worker.shutdownNow();
        try {
            status.unregister();
        } catch (IllegalStateException alreadyUnregistered) {
            // the framework is stopping the bundle and got there first
        }
        configurator.stop();
    }

    /** What the status service does when run: reload, asynchronously, on the worker. */
    private void requestReload() {
        try {
            worker.execute(this::reload);
        } catch (RejectedExecutionException e) {
            // deactivated: there is nothing to reload any more
        }
    }

    private void reloadIfChanged() {
        // an exception would cancel the periodic task, and with it every future reload
        try {
            if (watcher.settledChange()) {
                reload();
            }
        } catch (RuntimeException e) {
            LOG.error("Error: Checking the configuration files for changes failed.", e);
        }
    }

    private void reload() {
        try {
            configurator.reload();
        } catch (RuntimeException e) {
            LOG.error("Error: Reloading the configuration failed.", e);
        }
        watcher.loaded(configurator.sources());
        publishStatus();
    }

    private void publishStatus() {
        ServiceRegistration<Runnable> registration = status;
        if (registration != null) {
            try {
                registration.setProperties(statusProperties());
            } catch (IllegalStateException unregistered) {
                // deactivated meanwhile
            }
        }
    }

    private Dictionary<String, Object> statusProperties() {
        Dictionary<String, Object> properties = new Hashtable<>();
        properties.put(ConfigContract.STATUS,
                configurator.isReady() ? ConfigContract.STATUS_READY : ConfigContract.STATUS_FAILED);
        configurator.error().ifPresent(error -> properties.put(ConfigContract.STATUS_ERROR, error));
        configurator.options().flatMap(LaunchOptions::configFile)
                .ifPresent(file -> properties.put(ConfigContract.STATUS_FILE, file.toString()));
        return properties;
    }
}
