package io.culex.plugins.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.Map;
import java.util.Objects;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleException;
import org.osgi.framework.Constants;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One {@code plugin} line of culex.conf, alive as long as its {@code io.culex.plugins} factory configuration:
 * installs and starts the jar it names, and publishes its {@code plugin_opt_*} options as the configuration of the
 * PID the plugin declares ({@link PluginConfigurationPid}). A reload that changes only the options updates that
 * configuration (the plugin's {@code @Modified} runs; the bundle is not restarted); a reload that removes the line
 * uninstalls the jar and deletes the options.
 *
 * <p>A plugin that cannot be installed or started is logged with its {@code file:line} and the reason, and the
 * broker runs on without it: Culex does not stop a running broker for a plugin, and at boot the listeners do not
 * wait for one (a plugin that must be there for security registers its services with {@code culex.provider} and is
 * listed in {@code required_providers}, which fails closed).
 */
@Component(configurationPid = ConfiguredPlugin.FACTORY_PID, configurationPolicy = ConfigurationPolicy.REQUIRE,
        service = {})
public final class ConfiguredPlugin {

    static final String FACTORY_PID = "io.culex.plugins";
    /** Marks the configurations this component writes, so that it deletes only its own. */
    static final String OPTIONS_OWNER = "culex.plugin.options.of";

    // ComponentConstants.DEACTIVATION_REASON_*: the values are fixed by the DS specification (112.5.15), and
    // naming them here spares this bundle an import of the DS API package at run time.
    private static final int REASON_DISABLED = 1;
    private static final int REASON_CONFIGURATION_DELETED = 4;

    private static final Logger LOG = LoggerFactory.getLogger(ConfiguredPlugin.class);

    private final BundleContext context;
    private final ConfigurationAdmin configurationAdmin;
    private PluginLine line;
    /** The bundle this line installed, which it uninstalls when the line goes; null when it names an existing one. */
    private Bundle installed;
    private String optionsPid;

    @Activate
    public ConfiguredPlugin(BundleContext context, @Reference ConfigurationAdmin configurationAdmin,
                            Map<String, Object> configuration) {
        this.context = context;
        this.configurationAdmin = configurationAdmin;
        apply(PluginLine.from(configuration));
    }

    @Modified
    void modified(Map<String, Object> configuration) {
        apply(PluginLine.from(configuration));
    }

    @Deactivate
    void deactivate(int reason) {
        boolean lineRemoved = reason == REASON_CONFIGURATION_DELETED || reason == REASON_DISABLED;
        if (!lineRemoved) {
            // This bundle is stopping or being updated, not the line going away: the plugin keeps running, and a
            // new instance of this component finds it by its location.
            return;
        }
        deleteOptions();
        if (installed != null && installed.getState() != Bundle.UNINSTALLED) {
            try {
                installed.uninstall();
                LOG.info("Plugin {} uninstalled: {} {} (its plugin line was removed).", line.target(),
                        installed.getSymbolicName(), installed.getVersion());
            } catch (BundleException | IllegalStateException e) {
                LOG.error("Error: {}: could not uninstall {}: {}", line, installed.getSymbolicName(), e.getMessage());
            }
        }
    }

    private void apply(PluginLine next) {
        PluginLine previous = line;
        line = next;
        if (next.namesNativeLibrary()) {
            // The config bundle refuses these lines; this covers configurations from other sources.
            LOG.error("Error: {}: Culex plugins are OSGi bundle jars; a Mosquitto native plugin cannot be loaded.",
                    next);
            return;
        }
        Bundle bundle = previous != null && previous.target().equals(next.target()) && bundleIsThere()
                ? currentBundle() : installOrFind(next);
        if (bundle == null) {
            return;
        }
        optionsPid = PluginConfigurationPid.of(bundle);
        publishOptions(next);
        start(bundle, next);
    }

    private boolean bundleIsThere() {
        Bundle bundle = currentBundle();
        return bundle != null && bundle.getState() != Bundle.UNINSTALLED;
    }

    private Bundle currentBundle() {
        return installed != null ? installed : line.namesJar() ? null : findBySymbolicName(line.target());
    }

    private Bundle installOrFind(PluginLine plugin) {
        if (!plugin.namesJar()) {
            Bundle named = findBySymbolicName(plugin.target());
            if (named == null) {
                LOG.error("Error: {}: no bundle with the symbolic name {} is installed (name a jar file to install "
                        + "one).", plugin, plugin.target());
            }
            return named;
        }
        if (!Files.isRegularFile(plugin.jarPath())) {
            LOG.error("Error: {}: Unable to load plugin: no such file {}.", plugin, plugin.jarPath());
            return null;
        }
        String location = plugin.location();
        Bundle existing = context.getBundle(location);
        try {
            if (existing == null) {
                installed = context.installBundle(location);
                LOG.info("Plugin {} installed: {} {}.", plugin.target(), installed.getSymbolicName(),
                        installed.getVersion());
            } else {
                installed = existing;
                if (Files.getLastModifiedTime(plugin.jarPath()).toMillis() > existing.getLastModified()) {
                    existing.update();
                    LOG.info("Plugin {} updated: {} {}.", plugin.target(), existing.getSymbolicName(),
                            existing.getVersion());
                }
            }
            return installed;
        } catch (BundleException | IOException | IllegalStateException | SecurityException e) {
            // Not a bundle (no manifest, no Bundle-SymbolicName), a duplicate symbolic name and version, unreadable
            LOG.error("Error: {}: Unable to install {}: {}", plugin, plugin.jarPath(), ResolutionReport.reason(e));
            return null;
        }
    }

    private Bundle findBySymbolicName(String symbolicName) {
        for (Bundle bundle : context.getBundles()) {
            if (symbolicName.equals(bundle.getSymbolicName())) {
                return bundle;
            }
        }
        return null;
    }

    private void start(Bundle bundle, PluginLine plugin) {
        if (bundle.getHeaders("").get(Constants.FRAGMENT_HOST) != null || bundle.getState() == Bundle.ACTIVE) {
            return;
        }
        try {
            bundle.start();
            LOG.info("Plugin {} started: {} {}, configuration PID {}.", plugin.target(), bundle.getSymbolicName(),
                    bundle.getVersion(), optionsPid);
        } catch (BundleException | IllegalStateException e) {
            LOG.error("Error: {}: {} did not start: {}", plugin, bundle.getSymbolicName(),
                    ResolutionReport.reason(e));
        }
    }

    /**
     * The options become the plugin's configuration before it starts, so that its component activates once, with
     * them. A line without options leaves the PID alone: a {@code plugins/<pid>.cfg} or an administrator's
     * configuration stays in charge.
     */
    private void publishOptions(PluginLine plugin) {
        try {
            Configuration configuration = configurationAdmin.getConfiguration(optionsPid, "?");
            Dictionary<String, Object> current = configuration.getProperties();
            boolean ours = current == null || plugin.target().equals(current.get(OPTIONS_OWNER));
            if (plugin.options().isEmpty()) {
                if (current != null && ours) {
                    configuration.delete(); // the options were removed from the file
                }
                return;
            }
            if (!ours) {
                LOG.warn("{}: the configuration {} was made by other means ({}); the plugin_opt_* lines replace it.",
                        plugin, optionsPid, current.get(Constants.SERVICE_PID));
            }
            Dictionary<String, Object> wanted = new Hashtable<>(plugin.options());
            wanted.put(OPTIONS_OWNER, plugin.target());
            wanted.put(PluginLine.SOURCE, plugin.source());
            if (!sameProperties(current, wanted)) {
                configuration.update(wanted);
            }
        } catch (IOException | IllegalStateException e) {
            LOG.error("Error: {}: could not publish its options as configuration {}: {}", plugin, optionsPid,
                    e.getMessage());
        }
    }

    private void deleteOptions() {
        if (optionsPid == null) {
            return;
        }
        try {
            Configuration[] ours = configurationAdmin.listConfigurations(
                    "(&(" + Constants.SERVICE_PID + "=" + optionsPid + ")(" + OPTIONS_OWNER + "=*))");
            if (ours != null) {
                for (Configuration configuration : ours) {
                    configuration.delete();
                }
            }
        } catch (IOException | org.osgi.framework.InvalidSyntaxException | IllegalStateException e) {
            LOG.warn("{}: could not delete its options configuration {}: {}", line, optionsPid, e.getMessage());
        }
    }

    private static boolean sameProperties(Dictionary<String, Object> current, Dictionary<String, Object> wanted) {
        if (current == null) {
            return false;
        }
        for (java.util.Enumeration<String> keys = wanted.keys(); keys.hasMoreElements();) {
            String key = keys.nextElement();
            if (!Objects.equals(current.get(key), wanted.get(key))) {
                return false;
            }
        }
        // Config Admin adds service.pid (and factory properties); any other extra key means the options changed
        int extra = 0;
        for (java.util.Enumeration<String> keys = current.keys(); keys.hasMoreElements();) {
            String key = keys.nextElement();
            if (wanted.get(key) == null && !key.startsWith("service.")) {
                extra++;
            }
        }
        return extra == 0;
    }
}
