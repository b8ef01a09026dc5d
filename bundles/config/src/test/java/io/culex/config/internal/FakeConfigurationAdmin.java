package io.culex.config.internal;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Dictionary;
import java.util.Enumeration;
import java.util.HashMap;
import java.util.Hashtable;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.osgi.framework.Constants;
import org.osgi.framework.Filter;
import org.osgi.framework.FrameworkUtil;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceReference;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;

/**
 * An in-memory Config Admin with the behaviour the synchronizer relies on: a configuration has no properties (and
 * is not listed) until its first update, update adds service.pid and service.factoryPid, and each update counts.
 */
final class FakeConfigurationAdmin implements ConfigurationAdmin {

    private final Map<String, FakeConfiguration> configurations = new LinkedHashMap<>();
    private int nextFactoryIndex;
    int updates;
    int deletions;

    @Override
    public Configuration createFactoryConfiguration(String factoryPid) {
        return createFactoryConfiguration(factoryPid, null);
    }

    @Override
    public Configuration createFactoryConfiguration(String factoryPid, String location) {
        String pid = factoryPid + "." + (++nextFactoryIndex);
        FakeConfiguration configuration = new FakeConfiguration(pid, factoryPid);
        configurations.put(pid, configuration);
        return configuration;
    }

    @Override
    public Configuration getConfiguration(String pid, String location) {
        return configurations.computeIfAbsent(pid, ignored -> new FakeConfiguration(pid, null));
    }

    @Override
    public Configuration getConfiguration(String pid) {
        return getConfiguration(pid, null);
    }

    @Override
    public Configuration getFactoryConfiguration(String factoryPid, String name, String location) {
        throw new UnsupportedOperationException();
    }

    @Override
    public Configuration getFactoryConfiguration(String factoryPid, String name) {
        throw new UnsupportedOperationException();
    }

    @Override
    public Configuration[] listConfigurations(String filter) throws InvalidSyntaxException {
        Filter parsed = filter == null ? null : FrameworkUtil.createFilter(filter);
        List<Configuration> matching = new ArrayList<>();
        for (FakeConfiguration configuration : configurations.values()) {
            if (configuration.properties != null
                    && (parsed == null || parsed.matches(asMap(configuration.properties)))) {
                matching.add(configuration);
            }
        }
        return matching.isEmpty() ? null : matching.toArray(Configuration[]::new);
    }

    // ---- test helpers ----

    /** A configuration made by someone else (the web console, FileInstall). */
    FakeConfiguration put(String pid, String factoryPid, Map<String, Object> properties) throws IOException {
        FakeConfiguration configuration = new FakeConfiguration(pid, factoryPid);
        configurations.put(pid, configuration);
        configuration.update(new Hashtable<>(properties));
        return configuration;
    }

    Map<String, Object> properties(String pid) {
        FakeConfiguration configuration = configurations.get(pid);
        return configuration == null || configuration.properties == null ? null : asMap(configuration.properties);
    }

    List<FakeConfiguration> factoryConfigurations(String factoryPid) {
        List<FakeConfiguration> result = new ArrayList<>();
        for (FakeConfiguration configuration : configurations.values()) {
            if (factoryPid.equals(configuration.factoryPid) && configuration.properties != null) {
                result.add(configuration);
            }
        }
        return result;
    }

    FakeConfiguration factoryConfiguration(String factoryPid, String keyProperty, String key) {
        return factoryConfigurations(factoryPid).stream()
                .filter(configuration -> key.equals(configuration.properties.get(keyProperty)))
                .findFirst()
                .orElse(null);
    }

    Set<String> pids() {
        Set<String> pids = new java.util.TreeSet<>();
        configurations.values().stream().filter(c -> c.properties != null).forEach(c -> pids.add(c.pid));
        return pids;
    }

    static Map<String, Object> asMap(Dictionary<String, ?> dictionary) {
        Map<String, Object> map = new HashMap<>();
        for (Enumeration<String> keys = dictionary.keys(); keys.hasMoreElements(); ) {
            String key = keys.nextElement();
            map.put(key, dictionary.get(key));
        }
        return map;
    }

    final class FakeConfiguration implements Configuration {

        private final String pid;
        private final String factoryPid;
        private Hashtable<String, Object> properties;
        private long changeCount;

        FakeConfiguration(String pid, String factoryPid) {
            this.pid = pid;
            this.factoryPid = factoryPid;
        }

        Map<String, Object> propertiesMap() {
            return properties == null ? null : asMap(properties);
        }

        @Override
        public String getPid() {
            return pid;
        }

        @Override
        public Dictionary<String, Object> getProperties() {
            return properties == null ? null : new Hashtable<>(properties);
        }

        @Override
        public Dictionary<String, Object> getProcessedProperties(ServiceReference<?> reference) {
            return getProperties();
        }

        @Override
        public void update(Dictionary<String, ?> newProperties) {
            Hashtable<String, Object> copy = new Hashtable<>();
            for (Enumeration<String> keys = newProperties.keys(); keys.hasMoreElements(); ) {
                String key = keys.nextElement();
                copy.put(key, newProperties.get(key));
            }
            copy.put(Constants.SERVICE_PID, pid);
            if (factoryPid != null) {
                copy.put(ConfigurationAdmin.SERVICE_FACTORYPID, factoryPid);
            }
            properties = copy;
            changeCount++;
            updates++;
        }

        @Override
        public void delete() {
            configurations.remove(pid);
            deletions++;
        }

        @Override
        public String getFactoryPid() {
            return factoryPid;
        }

        @Override
        public void update() {
            throw new UnsupportedOperationException();
        }

        @Override
        public boolean updateIfDifferent(Dictionary<String, ?> newProperties) {
            throw new UnsupportedOperationException("the synchronizer compares by itself");
        }

        @Override
        public void setBundleLocation(String location) {
            throw new UnsupportedOperationException();
        }

        @Override
        public String getBundleLocation() {
            return null;
        }

        @Override
        public long getChangeCount() {
            return changeCount;
        }

        @Override
        public void addAttributes(ConfigurationAttribute... attributes) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Set<ConfigurationAttribute> getAttributes() {
            return Collections.emptySet();
        }

        @Override
        public void removeAttributes(ConfigurationAttribute... attributes) {
            throw new UnsupportedOperationException();
        }
    }
}
