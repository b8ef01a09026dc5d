package io.culex.config.internal;

import static io.culex.config.internal.ConfigContract.ACL_FILE_PID;
import static io.culex.config.internal.ConfigContract.AUTH_FILE_PID;
import static io.culex.config.internal.ConfigContract.PSK_FILE_PID;

/**
 * Authentication and access control: the password, ACL and PSK files, plugins and their options, and
 * {@code per_listener_settings}. {@code password_file} and {@code acl_file} go to the io.culex.auth.file and
 * io.culex.acl.file bundles (and make them required providers, see {@link ConfigurationPlanner}); plugin lines
 * go to the io.culex.plugins bundle, which installs the jar and hands it its options; the others are kept for their
 * future owners and reported as not yet supported.
 */
final class SecurityOptions {

    private static final String AUTH_OPT_PREFIX = "auth_opt_";
    private static final String PLUGIN_OPT_PREFIX = "plugin_opt_";

    private SecurityOptions() {
    }

    static void register(OptionRegistry registry) {
        registry.add("password_file", (state, line) -> {
            state.securityTarget(line, AUTH_FILE_PID, true).putString("password_file", line);
        });
        registry.add("acl_file", (state, line) -> {
            state.securityTarget(line, ACL_FILE_PID, false).putString("acl_file", line);
        });
        registry.add("psk_file", (state, line) -> {
            state.securityTarget(line, PSK_FILE_PID, true).putString("psk_file", line);
            state.notYetSupported("psk_file", line);
        });
        registry.add("per_listener_settings", (state, line) -> {
            state.perListenerSettings(Values.bool(line, "per_listener_settings"));
        });

        registry.add("plugin", (state, line) -> startPlugin(state, line, "plugin", "auth_plugin"));
        registry.add("auth_plugin", (state, line) -> startPlugin(state, line, "auth_plugin", "auth_plugin"));
        // Mosquitto 2.1's plugin for all listeners even with per_listener_settings; accepted ahead of 2.0
        registry.add("global_plugin", (state, line) -> startPlugin(state, line, "global_plugin", "global_plugin"));
        registry.add("auth_plugin_deny_special_chars", (state, line) -> {
            PluginDraft plugin = state.currentPlugin("Error: An auth_plugin_deny_special_chars option exists in "
                    + "the config file without an auth_plugin.");
            plugin.properties().put("auth_plugin_deny_special_chars",
                    Values.bool(line, "auth_plugin_deny_special_chars"));
        });
        registry.addPrefix(AUTH_OPT_PREFIX, (state, line) -> pluginOption(state, line, AUTH_OPT_PREFIX));
        registry.addPrefix(PLUGIN_OPT_PREFIX, (state, line) -> pluginOption(state, line, PLUGIN_OPT_PREFIX));
    }

    private static void startPlugin(ParseState state, OptionLine line, String kind, String displayName)
            throws ConfigException {
        String path = Values.string(line, displayName, null);
        if (isNativeLibrary(path)) {
            // A mosquitto.conf naming mosquitto_dynamic_security.so or another C plugin: Culex cannot load it,
            // and starting without a configured (often security) plugin would be worse than not starting.
            throw new ConfigException("Error: Unable to load plugin \"" + path + "\": Culex plugins are OSGi "
                    + "bundle jars, not native Mosquitto plugins.");
        }
        state.startPlugin(kind, path, line);
    }

    private static boolean isNativeLibrary(String path) {
        String lower = path.toLowerCase(java.util.Locale.ROOT);
        return lower.endsWith(".so") || lower.contains(".so.") || lower.endsWith(".dll") || lower.endsWith(".dylib");
    }

    /**
     * {@code plugin_opt_<key> <value>} (or the older {@code auth_opt_}) for the plugin above it. Both spellings are
     * stored as {@code plugin_opt_<key>}, so the plugin needs to look for one name only.
     */
    private static void pluginOption(ParseState state, OptionLine line, String prefix) throws ConfigException {
        PluginDraft plugin =
                state.currentPlugin("Error: An auth_opt_ option exists in the config file without an auth_plugin.");
        String key = line.name().substring(prefix.length());
        if (key.isEmpty()) {
            throw new ConfigException("Error: Invalid auth_opt_ config option.");
        }
        String rest = line.remainder();
        // Mosquitto skips the blanks before the value but keeps everything after, trailing blanks included.
        String value = rest == null ? "" : rest.stripLeading();
        if (value.isEmpty()) {
            throw new ConfigException("Error: Empty " + key + " value in configuration.");
        }
        plugin.properties().put(PLUGIN_OPT_PREFIX + key, value);
    }
}
