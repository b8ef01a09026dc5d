package io.culex.config.internal;

import static io.culex.config.internal.ConfigContract.ADMIN_FEATURE;
import static io.culex.config.internal.ConfigContract.BRIDGE_FACTORY_PID;
import static io.culex.config.internal.ConfigContract.BRIDGE_KEY;
import static io.culex.config.internal.ConfigContract.BROKER_PID;
import static io.culex.config.internal.ConfigContract.CLUSTER_FEATURE;
import static io.culex.config.internal.ConfigContract.CLUSTER_PID;
import static io.culex.config.internal.ConfigContract.DYNSEC_PID;
import static io.culex.config.internal.ConfigContract.DYNSEC_PROVIDER;
import static io.culex.config.internal.ConfigContract.FEATURES_PID;
import static io.culex.config.internal.ConfigContract.HTTP_PID;
import static io.culex.config.internal.ConfigContract.LISTENER_FACTORY_PID;
import static io.culex.config.internal.ConfigContract.LISTENER_KEY;
import static io.culex.config.internal.ConfigContract.LOCAL_ONLY;
import static io.culex.config.internal.ConfigContract.ORIGIN;
import static io.culex.config.internal.ConfigContract.ORIGIN_CULEX_CONF;
import static io.culex.config.internal.ConfigContract.PLUGIN_FACTORY_PID;
import static io.culex.config.internal.ConfigContract.PLUGIN_KEY;
import static io.culex.config.internal.ConfigContract.PLUGIN_ORDER;
import static io.culex.config.internal.ConfigContract.REQUIRED_AUTHENTICATORS;
import static io.culex.config.internal.ConfigContract.REQUIRED_AUTHORIZERS;
import static io.culex.config.internal.ConfigContract.REQUIRED_PROVIDERS;
import static io.culex.config.internal.ConfigContract.LISTENER_KEYS;
import static io.culex.config.internal.ConfigContract.SOURCE;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Turns a parsed configuration and the command line into the Config Admin configurations that should exist. */
final class ConfigurationPlanner {

    /** Mosquitto 2's local only mode listens on both loopback addresses. */
    static final List<String> LOOPBACK_ADDRESSES = List.of("127.0.0.1", "::1");
    static final String LOCAL_ONLY_SOURCE = "local only mode";

    private ConfigurationPlanner() {
    }

    static List<PlannedConfiguration> plan(ParsedConfig config, List<Integer> commandLinePorts) {
        return plan(config, commandLinePorts, List.of());
    }

    /**
     * @param commandLineFeatures features the command line asks for ({@code -i}: the shell), added to those of the
     *     file's {@code features} option; {@code admin_listener} adds the {@code admin} feature the same way
     */
    static List<PlannedConfiguration> plan(ParsedConfig config, List<Integer> commandLinePorts,
            List<String> commandLineFeatures) {
        List<PlannedConfiguration> plan = new ArrayList<>();

        Map<String, Object> broker = new LinkedHashMap<>(config.broker());
        broker.put(LOCAL_ONLY, config.localOnly());
        List<String> required = requiredProviders(config);
        if (!required.isEmpty()) {
            broker.put(REQUIRED_PROVIDERS, required.toArray(String[]::new));
        }
        // the role of each: a missing password file refuses new clients, a missing ACL denies every check
        List<String> authenticators = required.stream().filter(AUTHENTICATION_PROVIDERS::contains).toList();
        if (!authenticators.isEmpty()) {
            broker.put(REQUIRED_AUTHENTICATORS, authenticators.toArray(String[]::new));
        }
        List<String> authorizers = required.stream().filter(AUTHORIZATION_PROVIDERS::contains).toList();
        if (!authorizers.isEmpty()) {
            broker.put(REQUIRED_AUTHORIZERS, authorizers.toArray(String[]::new));
        }
        List<ListenerDefinition> listeners =
                config.localOnly() ? localOnlyListeners(commandLinePorts) : config.listeners();
        // the core starts accepting once all of these are bound
        broker.put(LISTENER_KEYS, listeners.stream().map(ListenerDefinition::key).toArray(String[]::new));
        plan.add(PlannedConfiguration.singleton(BROKER_PID, marked(broker)));

        Map<String, Map<String, Object>> owners = new LinkedHashMap<>(config.owners());
        List<String> addedFeatures = new ArrayList<>(commandLineFeatures);
        if (owners.containsKey(HTTP_PID)) {
            addedFeatures.add(ADMIN_FEATURE); // admin_listener: the HTTP service, the console and /metrics
        }
        if (owners.containsKey(CLUSTER_PID)) {
            addedFeatures.add(CLUSTER_FEATURE); // cluster_*: Hazelcast and the cluster bundle
        }
        if (!addedFeatures.isEmpty()) {
            owners.put(FEATURES_PID, withFeatures(owners.get(FEATURES_PID), addedFeatures));
        }
        owners.forEach((pid, properties) ->
                plan.add(PlannedConfiguration.singleton(pid, marked(new LinkedHashMap<>(properties)))));

        for (ListenerDefinition listener : listeners) {
            Map<String, Object> properties = new LinkedHashMap<>(listener.properties());
            properties.put(LISTENER_KEY, listener.key());
            properties.put(SOURCE, listener.source() == null ? LOCAL_ONLY_SOURCE : listener.source().toString());
            plan.add(PlannedConfiguration.factory(LISTENER_FACTORY_PID, LISTENER_KEY, listener.key(),
                    marked(properties)));
        }

        for (BridgeDefinition bridge : config.bridges()) {
            Map<String, Object> properties = new LinkedHashMap<>(bridge.properties());
            properties.put(BRIDGE_KEY, bridge.name());
            properties.put(SOURCE, bridge.source().toString());
            plan.add(PlannedConfiguration.factory(BRIDGE_FACTORY_PID, BRIDGE_KEY, bridge.name(), marked(properties)));
        }

        for (PluginDefinition plugin : config.plugins()) {
            Map<String, Object> properties = new LinkedHashMap<>(plugin.properties());
            properties.put(PLUGIN_KEY, plugin.key());
            properties.put(PLUGIN_ORDER, plugin.order());
            properties.put(SOURCE, plugin.source().toString());
            plan.add(PlannedConfiguration.factory(PLUGIN_FACTORY_PID, PLUGIN_KEY, plugin.key(), marked(properties)));
        }
        return plan;
    }

    /**
     * Mosquitto 2 without any listener in its configuration: it listens only on the loopback addresses, on 1883
     * or on each {@code -p} port, and allows anonymous clients (the core's rule for {@code local_only}).
     */
    private static List<ListenerDefinition> localOnlyListeners(List<Integer> commandLinePorts) {
        List<Integer> ports = commandLinePorts.isEmpty() ? List.of(ListenerDraft.DEFAULT_PORT) : commandLinePorts;
        List<ListenerDefinition> listeners = new ArrayList<>();
        for (int port : ports) {
            for (String address : LOOPBACK_ADDRESSES) {
                ListenerDraft listener = ListenerDraft.tcp(port, address, null);
                listeners.add(new ListenerDefinition(listener.key(), null, listener.toDefinition().properties()));
            }
        }
        return listeners;
    }

    /** The required providers that authenticate: their absence refuses new clients. */
    private static final List<String> AUTHENTICATION_PROVIDERS = List.of("password_file", DYNSEC_PROVIDER);
    /** The required providers that authorize: their absence denies every ACL check. */
    private static final List<String> AUTHORIZATION_PROVIDERS = List.of("acl_file", DYNSEC_PROVIDER);

    /**
     * The security providers the file asks for, named by their option (the value of the provider service's
     * {@code culex.provider} property). The core refuses clients while one of them is not registered, so that a
     * missing or stopped bundle never means open access. Listener properties count too
     * ({@code per_listener_settings true}). The dynamic security plugin counts only with a {@code config_file}:
     * without one Mosquitto runs with the plugin inactive, and so does Culex.
     */
    private static List<String> requiredProviders(ParsedConfig config) {
        List<String> required = new ArrayList<>();
        for (String option : List.of("password_file", "acl_file")) {
            boolean named = config.owners().values().stream().anyMatch(p -> p.containsKey(option))
                    || config.listeners().stream().anyMatch(l -> l.properties().containsKey(option));
            if (named) {
                required.add(option);
            }
        }
        Map<String, Object> dynamicSecurity = config.owners().get(DYNSEC_PID);
        if (dynamicSecurity != null && dynamicSecurity.containsKey(SecurityOptions.CONFIG_FILE)) {
            required.add(DYNSEC_PROVIDER);
        }
        return required;
    }

    /** The {@code io.culex.features} properties with these features added to the file's, each once. */
    private static Map<String, Object> withFeatures(Map<String, Object> fromFile, List<String> more) {
        Map<String, Object> properties = fromFile == null ? new LinkedHashMap<>() : new LinkedHashMap<>(fromFile);
        java.util.LinkedHashSet<String> names = new java.util.LinkedHashSet<>();
        if (properties.get("features") instanceof String[] listed) {
            names.addAll(List.of(listed));
        }
        names.addAll(more);
        properties.put("features", names.toArray(String[]::new));
        return properties;
    }

    private static Map<String, Object> marked(Map<String, Object> properties) {
        properties.put(ORIGIN, ORIGIN_CULEX_CONF);
        return properties;
    }
}
