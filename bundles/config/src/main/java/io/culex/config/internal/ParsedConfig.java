package io.culex.config.internal;

import io.culex.config.internal.logging.LoggingSettings;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What a configuration file says, validated and grouped by the bundle that owns each part; no defaults are filled
 * in except where Mosquitto's meaning requires it (a listener's port and protocol).
 *
 * @param broker the core's global options, only those the file sets
 * @param listeners the listeners the file defines; empty means Mosquitto's local only mode
 * @param owners singleton configurations of other bundles (password file, ACL file, persistence, ...), by PID
 */
record ParsedConfig(
        Map<String, Object> broker,
        List<ListenerDefinition> listeners,
        List<BridgeDefinition> bridges,
        List<PluginDefinition> plugins,
        Map<String, Map<String, Object>> owners,
        LoggingSettings logging,
        Optional<Path> pidFile) {

    ParsedConfig {
        broker = Map.copyOf(broker);
        listeners = List.copyOf(listeners);
        bridges = List.copyOf(bridges);
        plugins = List.copyOf(plugins);
        owners = Map.copyOf(owners);
    }

    /** The configuration without a file: Mosquitto's defaults, which is local only mode. */
    static ParsedConfig empty() {
        return new ParsedConfig(Map.of(), List.of(), List.of(), List.of(), Map.of(), LoggingSettings.defaults(),
                Optional.empty());
    }

    boolean localOnly() {
        return listeners.isEmpty();
    }
}
