package io.culex.config.internal;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/** The options Culex understands, by name, plus the {@code auth_opt_*}/{@code plugin_opt_*} prefixes. */
final class OptionRegistry {

    private final Map<String, OptionHandler> byName = new LinkedHashMap<>();
    private final Map<String, OptionHandler> byPrefix = new LinkedHashMap<>();

    /**
     * Every option of Mosquitto 2.0's mosquitto.conf (and {@code global_plugin}), except {@code include_dir}, and
     * Culex's own ({@code features}, {@code persistence_durability}, {@code admin_listener}, {@code admin_user}).
     */
    static OptionRegistry mosquittoOptions() {
        OptionRegistry registry = new OptionRegistry();
        GeneralOptions.register(registry);
        SecurityOptions.register(registry);
        PersistenceOptions.register(registry);
        ListenerOptions.register(registry);
        TlsOptions.register(registry);
        LoggingOptions.register(registry);
        BridgeOptions.register(registry);
        AdminOptions.register(registry);
        ClusterOptions.register(registry);
        return registry;
    }

    void add(String name, OptionHandler handler) {
        if (byName.putIfAbsent(name, handler) != null) {
            throw new IllegalStateException("Option registered twice: " + name);
        }
    }

    void addPrefix(String prefix, OptionHandler handler) {
        byPrefix.put(prefix, handler);
    }

    Optional<OptionHandler> find(String name) {
        OptionHandler handler = byName.get(name);
        if (handler != null) {
            return Optional.of(handler);
        }
        return byPrefix.entrySet().stream()
                .filter(entry -> name.startsWith(entry.getKey()))
                .map(Map.Entry::getValue)
                .findFirst();
    }
}
