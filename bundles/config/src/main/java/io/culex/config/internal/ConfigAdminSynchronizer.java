package io.culex.config.internal;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Dictionary;
import java.util.Enumeration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

import org.osgi.framework.Constants;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;

/**
 * Makes Config Admin hold exactly the planned configurations, touching as little as possible: a configuration
 * whose properties are already the planned ones is not updated (an update restarts the component that uses it,
 * e.g. closes a listener's connections), a factory configuration keeps its PID across reloads (matched by its key
 * property), and only configurations marked as coming from culex.conf are ever deleted.
 */
final class ConfigAdminSynchronizer {

    /** Multi-location: any bundle may receive the configuration, none is bound to it. */
    private static final String ANY_LOCATION = "?";
    /** Properties Config Admin adds itself, not part of what was planned. */
    private static final Set<String> ADMIN_PROPERTIES = Set.of(Constants.SERVICE_PID,
            ConfigurationAdmin.SERVICE_FACTORYPID, ConfigurationAdmin.SERVICE_BUNDLELOCATION);

    private final ConfigurationAdmin configurationAdmin;

    ConfigAdminSynchronizer(ConfigurationAdmin configurationAdmin) {
        this.configurationAdmin = configurationAdmin;
    }

    SyncResult apply(List<PlannedConfiguration> plan) throws IOException {
        List<String> created = new ArrayList<>();
        List<String> updated = new ArrayList<>();
        List<String> deleted = new ArrayList<>();
        int unchanged = 0;

        Set<String> plannedSingletons = new HashSet<>();
        Set<FactoryKey> plannedFactories = new HashSet<>();
        Map<String, String> keyProperties = new HashMap<>();
        for (PlannedConfiguration planned : plan) {
            if (planned.isFactory()) {
                plannedFactories.add(new FactoryKey(planned.factoryPid(), planned.key()));
                keyProperties.put(planned.factoryPid(), planned.keyProperty());
            } else {
                plannedSingletons.add(planned.pid());
            }
        }

        // Delete first: a listener that moves from *:1883 to 127.0.0.1:1883 must release the port before the
        // new one binds it.
        Map<FactoryKey, Configuration> existingFactories = new HashMap<>();
        for (Configuration existing : ownConfigurations()) {
            String factoryPid = existing.getFactoryPid();
            if (factoryPid == null) {
                if (!plannedSingletons.contains(existing.getPid())) {
                    existing.delete();
                    deleted.add(existing.getPid());
                }
                continue;
            }
            FactoryKey key = new FactoryKey(factoryPid, keyOf(existing, keyProperties));
            if (!plannedFactories.contains(key) || existingFactories.putIfAbsent(key, existing) != null) {
                existing.delete(); // no longer in the file, or a leftover duplicate of one that is
                deleted.add(key.key() == null ? existing.getPid() : key.describe());
            }
        }

        for (PlannedConfiguration planned : plan) {
            Configuration configuration;
            if (planned.isFactory()) {
                configuration = existingFactories.get(new FactoryKey(planned.factoryPid(), planned.key()));
                if (configuration == null) {
                    configuration = configurationAdmin.createFactoryConfiguration(planned.factoryPid(), ANY_LOCATION);
                    configuration.update(planned.dictionary());
                    created.add(planned.describe());
                    continue;
                }
            } else {
                configuration = configurationAdmin.getConfiguration(planned.pid(), ANY_LOCATION);
                if (configuration.getProperties() == null) {
                    configuration.update(planned.dictionary());
                    created.add(planned.describe());
                    continue;
                }
            }
            if (sameProperties(configuration.getProperties(), planned.properties())) {
                unchanged++;
            } else {
                configuration.update(planned.dictionary());
                updated.add(planned.describe());
            }
        }
        return new SyncResult(created, updated, deleted, unchanged);
    }

    /** Deletes every configuration an earlier run made from culex.conf; returns how many. */
    int removeAll() throws IOException {
        List<Configuration> own = ownConfigurations();
        for (Configuration configuration : own) {
            configuration.delete();
        }
        return own.size();
    }

    private List<Configuration> ownConfigurations() throws IOException {
        try {
            Configuration[] found = configurationAdmin.listConfigurations(ConfigContract.ORIGIN_FILTER);
            return found == null ? List.of() : List.of(found);
        } catch (InvalidSyntaxException e) {
            throw new IllegalStateException("Invalid constant filter " + ConfigContract.ORIGIN_FILTER, e);
        }
    }

    /**
     * The identity of an existing factory configuration: the value of the key property the plan uses for its
     * factory, or null when the plan has none of that factory left (it is then deleted anyway).
     */
    private static String keyOf(Configuration configuration, Map<String, String> keyProperties) {
        String keyProperty = keyProperties.get(configuration.getFactoryPid());
        Dictionary<String, Object> properties = configuration.getProperties();
        if (keyProperty == null || properties == null) {
            return null;
        }
        Object key = properties.get(keyProperty);
        return key == null ? null : key.toString();
    }

    /** Compares what Config Admin holds with the plan, values by content (arrays included). */
    static boolean sameProperties(Dictionary<String, Object> existing, Map<String, Object> planned) {
        Map<String, Object> current = new LinkedHashMap<>();
        for (Enumeration<String> keys = existing.keys(); keys.hasMoreElements(); ) {
            String key = keys.nextElement();
            if (!ADMIN_PROPERTIES.contains(key)) {
                current.put(key, existing.get(key));
            }
        }
        if (!current.keySet().equals(planned.keySet())) {
            return false;
        }
        for (Map.Entry<String, Object> entry : planned.entrySet()) {
            if (!Objects.deepEquals(entry.getValue(), current.get(entry.getKey()))) {
                return false;
            }
        }
        return true;
    }

    private record FactoryKey(String factoryPid, String key) {

        String describe() {
            return factoryPid + "[" + key + "]";
        }
    }
}
