package io.culex.config.internal;

import io.culex.config.internal.logging.LogDestination;
import io.culex.config.internal.logging.LoggingSettings;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Everything read so far from a configuration file and its includes, plus the context Mosquitto's options depend
 * on: the listener, bridge and plugin that later lines apply to, and whether security options are per listener.
 */
final class ParseState {

    private final List<Diagnostic> diagnostics = new ArrayList<>();
    private final PropertyBag broker = new PropertyBag();
    private final Map<String, PropertyBag> owners = new LinkedHashMap<>();

    private final ListenerDraft defaultListener = ListenerDraft.implicitDefault();
    private final List<ListenerDraft> listeners = new ArrayList<>();
    private ListenerDraft currentListener = defaultListener;

    private final List<BridgeDraft> bridges = new ArrayList<>();
    private BridgeDraft currentBridge;

    private final List<PluginDraft> plugins = new ArrayList<>();
    private PluginDraft currentPlugin;
    /** The line of the built-in dynamic security plugin, null while there is none. */
    private PluginDraft dynamicSecurityPlugin;

    private boolean perListenerSettings;
    private boolean securityOptionSeen;

    private final LoggingSettings.Builder logging = LoggingSettings.builder();
    private String pidFile;

    PropertyBag broker() {
        return broker;
    }

    /** The singleton configuration of another bundle, created when an option first needs it. */
    PropertyBag owner(String pid) {
        return owners.computeIfAbsent(pid, ignored -> new PropertyBag());
    }

    LoggingSettings.Builder logging() {
        return logging;
    }

    // ---- listeners ----

    ListenerDraft defaultListener() {
        return defaultListener;
    }

    /**
     * The listener a per-listener option on this line applies to. Before the first {@code listener} line that is
     * the default listener, which the option creates when {@code createsDefaultListener}: Mosquitto creates it only
     * for some options and only with a non-default value, so the caller says which.
     */
    ListenerDraft listenerFor(OptionLine line, boolean createsDefaultListener) {
        if (currentListener == defaultListener && createsDefaultListener) {
            defaultListener.markCreatedBy(line.location());
        }
        return currentListener;
    }

    void startListener(ListenerDraft listener) {
        listeners.add(listener);
        currentListener = listener;
    }

    /** Whether a {@code listener} line was seen (Mosquitto's {@code listener_count}, checked by mount_point). */
    boolean hasListenerLine() {
        return !listeners.isEmpty();
    }

    // ---- security options ----

    /**
     * Where a security option goes: with {@code per_listener_settings true} into the current listener, otherwise
     * into the global configuration {@code globalPid} (the broker's, or the owning bundle's).
     */
    PropertyBag securityTarget(OptionLine line, String globalPid, boolean createsDefaultListener) {
        securityOptionSeen = true;
        if (perListenerSettings) {
            return listenerFor(line, createsDefaultListener).properties();
        }
        return ConfigContract.BROKER_PID.equals(globalPid) ? broker : owner(globalPid);
    }

    void perListenerSettings(boolean enabled) throws ConfigException {
        if (perListenerSettings) {
            return; // Mosquitto: once set it cannot be unset
        }
        if (enabled && securityOptionSeen) {
            throw new ConfigException("Error: per_listener_settings must be set before any other security settings.");
        }
        perListenerSettings = enabled;
        broker.put("per_listener_settings", enabled);
    }

    // ---- bridges ----

    void startBridge(String name, SourceLocation location) throws ConfigException {
        for (BridgeDraft bridge : bridges) {
            if (bridge.name().equals(name)) {
                throw new ConfigException("Error: Duplicate bridge name \"" + name + "\".");
            }
        }
        currentBridge = new BridgeDraft(name, location);
        bridges.add(currentBridge);
    }

    /** The {@code connection} block the line belongs to; a bridge option outside one is Mosquitto's error. */
    BridgeDraft currentBridge() throws ConfigException {
        if (currentBridge == null) {
            throw new ConfigException("Error: Invalid bridge configuration.");
        }
        return currentBridge;
    }

    // ---- plugins ----

    void startPlugin(String kind, String path, OptionLine line) {
        ListenerDraft owner = null;
        if (!"global_plugin".equals(kind)) {
            securityOptionSeen = true;
            if (perListenerSettings) {
                owner = listenerFor(line, true);
            }
        }
        currentPlugin = new PluginDraft(kind, path, line.location(), owner);
        plugins.add(currentPlugin);
    }

    /**
     * Mosquitto's dynamic security plugin: the built-in io.culex.dynsec bundle, configured through the singleton
     * {@code io.culex.dynsec} configuration rather than as an io.culex.plugins jar. That bundle is global, so
     * unlike other plugins it cannot belong to a listener, and it exists once.
     */
    void startDynamicSecurityPlugin(String kind, String path, OptionLine line) throws ConfigException {
        if (!"global_plugin".equals(kind)) {
            securityOptionSeen = true;
            if (perListenerSettings) {
                // Mosquitto would load it for the current listener only; applying it to all would change access.
                throw new ConfigException("Error: The dynamic security plugin cannot be configured per listener "
                        + "(per_listener_settings true) in Culex.");
            }
        }
        if (dynamicSecurityPlugin != null) {
            // Mosquitto 2.0 loads it twice (later versions refuse: "can currently only be loaded once"); Culex has
            // one dynamic security bundle.
            throw new ConfigException("Error: The dynamic security plugin is configured twice (first at "
                    + dynamicSecurityPlugin.source() + ").");
        }
        dynamicSecurityPlugin =
                PluginDraft.dynamicSecurity(kind, path, line.location(), owner(ConfigContract.DYNSEC_PID));
        currentPlugin = dynamicSecurityPlugin;
    }

    PluginDraft currentPlugin(String errorIfNone) throws ConfigException {
        if (currentPlugin == null) {
            throw new ConfigException(errorIfNone);
        }
        return currentPlugin;
    }

    // ---- misc ----

    String pidFile() {
        return pidFile;
    }

    void pidFile(String path) {
        pidFile = path;
    }

    void report(Diagnostic diagnostic) {
        diagnostics.add(diagnostic);
    }

    /** The warning for an option whose owner bundle does not exist yet; the value is kept for that bundle. */
    void notYetSupported(String option, OptionLine line) {
        report(Diagnostic.warning("Warning: " + option + " is not yet supported by Culex (" + line.location() + ")"));
    }

    List<Diagnostic> diagnostics() {
        return List.copyOf(diagnostics);
    }

    /** Checks what can only be checked once everything is read, and assembles the result. */
    ParsedConfig finish() throws ConfigException {
        for (BridgeDraft bridge : bridges) {
            bridge.validate();
        }
        LoggingSettings loggingSettings = logging.build();
        if (loggingSettings.destinations().contains(LogDestination.TOPIC)) {
            owner(ConfigContract.SYS_PID).put("log_dest_topic", true);
        }
        Map<String, Map<String, Object>> ownerConfigurations = new LinkedHashMap<>();
        owners.forEach((pid, bag) -> ownerConfigurations.put(pid, bag.toMap()));
        return new ParsedConfig(
                broker.toMap(),
                listenerDefinitions(),
                bridges.stream().map(BridgeDraft::toDefinition).toList(),
                pluginDefinitions(),
                ownerConfigurations,
                loggingSettings,
                Optional.ofNullable(pidFile).map(Path::of));
    }

    private List<ListenerDefinition> listenerDefinitions() throws ConfigException {
        List<ListenerDraft> all = new ArrayList<>(listeners);
        if (defaultListener.isCreated()) {
            all.add(defaultListener); // Mosquitto appends it after the explicit ones
        }
        Map<String, ListenerDraft> byKey = new HashMap<>();
        List<ListenerDefinition> result = new ArrayList<>();
        for (ListenerDraft listener : all) {
            ListenerDraft earlier = byKey.putIfAbsent(listener.key(), listener);
            if (earlier != null) {
                // Mosquitto would fail later, binding the same address twice; here it is a configuration error.
                throw new ConfigException("Error: Listener " + listener.key() + " is already defined at "
                        + earlier.source() + ".").foundAt(listener.source());
            }
            result.add(listener.toDefinition());
        }
        return result;
    }

    private List<PluginDefinition> pluginDefinitions() {
        Map<String, Integer> seen = new HashMap<>();
        List<PluginDefinition> result = new ArrayList<>();
        for (int i = 0; i < plugins.size(); i++) {
            PluginDraft plugin = plugins.get(i);
            int occurrence = seen.merge(plugin.baseKey(), 1, Integer::sum);
            String key = occurrence == 1 ? plugin.baseKey() : plugin.baseKey() + "#" + occurrence;
            result.add(plugin.toDefinition(key, i));
        }
        return result;
    }
}
