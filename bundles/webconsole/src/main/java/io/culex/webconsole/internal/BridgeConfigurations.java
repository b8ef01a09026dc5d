package io.culex.webconsole.internal;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.osgi.framework.InvalidSyntaxException;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;

/**
 * Bridges as Config Admin factory configurations of {@code io.culex.bridge}, the way the config bundle writes a
 * {@code connection} block: the bridge bundle starts one bridge per configuration. Bridges from culex.conf (marked
 * {@code culex.origin=culex.conf}) belong to the file, which rewrites them on reload: the console shows them but
 * changes only those made here.
 */
final class BridgeConfigurations {

    static final String FACTORY_PID = "io.culex.bridge";
    private static final String ORIGIN = "culex.origin";
    private static final String SOURCE = "culex.source";
    private static final String SOURCE_CONSOLE = "web console";

    /** One configured bridge as the page shows it. */
    record ConfiguredBridge(String name, String source, boolean editable, List<String> addresses,
            List<String> topics) {
    }

    private final ConfigurationAdmin configurationAdmin;

    BridgeConfigurations(ConfigurationAdmin configurationAdmin) {
        this.configurationAdmin = configurationAdmin;
    }

    List<ConfiguredBridge> list() throws IOException {
        List<ConfiguredBridge> bridges = new ArrayList<>();
        for (Configuration configuration : all()) {
            Dictionary<String, Object> p = configuration.getProperties();
            if (p == null || p.get("connection") == null) {
                continue;
            }
            boolean fromFile = p.get(ORIGIN) != null;
            bridges.add(new ConfiguredBridge(String.valueOf(p.get("connection")),
                    String.valueOf(p.get(SOURCE) == null ? "Config Admin" : p.get(SOURCE)), !fromFile,
                    strings(p.get("address")), strings(p.get("topic"))));
        }
        bridges.sort(java.util.Comparator.comparing(ConfiguredBridge::name));
        return bridges;
    }

    /**
     * Adds a bridge, or changes one made here (the bridge restarts with the new settings).
     *
     * @param addresses remote addresses, {@code host[:port]}, blank separated
     * @param topics topic lines as culex.conf's {@code topic} takes them ({@code sensors/# out 1})
     */
    void save(String name, String addresses, List<String> topics, boolean create) throws IOException {
        if (name.isBlank() || name.contains(" ")) {
            throw new IllegalArgumentException("A bridge needs a name without blanks");
        }
        List<String> addressList = Arrays.stream(addresses.trim().split("\\s+")).filter(a -> !a.isEmpty()).toList();
        List<String> topicLines = topics.stream().map(String::trim).filter(t -> !t.isEmpty()).toList();
        if (addressList.isEmpty() || topicLines.isEmpty()) {
            throw new IllegalArgumentException("A bridge needs an address and at least one topic");
        }
        Configuration existing = find(name);
        if (existing != null && create) {
            throw new IllegalArgumentException("There is already a bridge " + name);
        }
        if (existing != null && existing.getProperties().get(ORIGIN) != null) {
            throw new IllegalArgumentException("Bridge " + name + " comes from culex.conf: change it there");
        }
        Map<String, Object> properties = new LinkedHashMap<>();
        properties.put("connection", name);
        properties.put("address", addressList.toArray(String[]::new));
        properties.put("topic", topicLines.toArray(String[]::new));
        properties.put(SOURCE, SOURCE_CONSOLE);
        Configuration configuration = existing != null ? existing
                : configurationAdmin.createFactoryConfiguration(FACTORY_PID, "?");
        configuration.update(new Hashtable<>(properties));
    }

    void remove(String name) throws IOException {
        Configuration existing = find(name);
        if (existing == null) {
            throw new IllegalArgumentException("There is no bridge " + name);
        }
        if (existing.getProperties().get(ORIGIN) != null) {
            throw new IllegalArgumentException("Bridge " + name + " comes from culex.conf: remove it there");
        }
        existing.delete();
    }

    private Configuration find(String name) throws IOException {
        for (Configuration configuration : all()) {
            Dictionary<String, Object> p = configuration.getProperties();
            if (p != null && name.equals(p.get("connection"))) {
                return configuration;
            }
        }
        return null;
    }

    private Configuration[] all() throws IOException {
        try {
            Configuration[] found = configurationAdmin.listConfigurations(
                    "(service.factoryPid=" + FACTORY_PID + ")");
            return found == null ? new Configuration[0] : found;
        } catch (InvalidSyntaxException e) {
            throw new IllegalStateException("constant filter", e);
        }
    }

    private static List<String> strings(Object value) {
        if (value instanceof String[] array) {
            return List.of(array);
        }
        if (value instanceof java.util.Collection<?> collection) {
            return collection.stream().map(String::valueOf).toList();
        }
        return value == null ? List.of() : List.of(String.valueOf(value));
    }
}
