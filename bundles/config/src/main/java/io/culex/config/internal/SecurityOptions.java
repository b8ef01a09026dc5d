package io.culex.config.internal;

import static io.culex.config.internal.ConfigContract.ACL_FILE_PID;
import static io.culex.config.internal.ConfigContract.AUTH_FILE_PID;
import static io.culex.config.internal.ConfigContract.DYNSEC_PID;
import static io.culex.config.internal.ConfigContract.PSK_FILE_PID;

import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Authentication and access control: the password, ACL and PSK files, plugins and their options, and
 * {@code per_listener_settings}. {@code password_file} and {@code acl_file} go to the io.culex.auth.file and
 * io.culex.acl.file bundles (and make them required providers, see {@link ConfigurationPlanner}); plugin lines
 * go to the io.culex.plugins bundle, which installs the jar and hands it its options; the others are kept for their
 * future owners and reported as not yet supported.
 *
 * <p>Mosquitto's dynamic security plugin is the exception among plugin lines: a {@code plugin}, {@code auth_plugin}
 * or {@code global_plugin} line naming {@code mosquitto_dynamic_security.so} (in any directory, also
 * {@code .so.1}, {@code .dll}, {@code .dylib}), or the value {@code dynamic-security} or {@code io.culex.dynsec},
 * configures the built-in io.culex.dynsec bundle through the singleton configuration {@code io.culex.dynsec}:
 * {@code plugin} (the path as written), {@code config_file} (from {@code plugin_opt_config_file}, as written, so a
 * relative path is resolved against the working directory as Mosquitto does) and {@code plugin_opt_<key>} for its
 * other {@code plugin_opt_}/{@code auth_opt_} options. With a {@code config_file} it is a required provider
 * ({@code dynamic-security}); without one Mosquitto leaves the plugin inactive, and so does the bundle. It may be
 * configured once, and not per listener. Any other native library is an error: Culex plugins are bundle jars.
 */
final class SecurityOptions {

    private static final String AUTH_OPT_PREFIX = "auth_opt_";
    private static final String PLUGIN_OPT_PREFIX = "plugin_opt_";
    /** The dynamic security plugin's option naming its JSON file, and the io.culex.dynsec property it becomes. */
    static final String CONFIG_FILE = "config_file";
    /** Mosquitto's dynamic security library, matched against the last path element in lower case. */
    private static final Pattern DYNSEC_LIBRARY =
            Pattern.compile("mosquitto_dynamic_security\\.(so(\\.[0-9]+)*|dll|dylib)");
    /** Names that mean the built-in bundle itself, for files written for Culex. */
    private static final Set<String> DYNSEC_NAMES = Set.of("dynamic-security", DYNSEC_PID);

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
        if (isDynamicSecurity(path)) {
            state.startDynamicSecurityPlugin(kind, path, line);
            return;
        }
        if (isNativeLibrary(path)) {
            // A mosquitto.conf naming a C plugin other than dynamic security: Culex cannot load it,
            // and starting without a configured (often security) plugin would be worse than not starting.
            throw new ConfigException("Error: Unable to load plugin \"" + path + "\": Culex plugins are OSGi "
                    + "bundle jars, not native Mosquitto plugins.");
        }
        state.startPlugin(kind, path, line);
    }

    /** Whether a plugin line names Mosquitto's dynamic security plugin, which the io.culex.dynsec bundle replaces. */
    static boolean isDynamicSecurity(String path) {
        if (DYNSEC_NAMES.contains(path)) {
            return true;
        }
        String fileName = path.substring(Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\')) + 1);
        return DYNSEC_LIBRARY.matcher(fileName.toLowerCase(Locale.ROOT)).matches();
    }

    private static boolean isNativeLibrary(String path) {
        String lower = path.toLowerCase(Locale.ROOT);
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
        if (plugin.isDynamicSecurity() && key.equalsIgnoreCase(CONFIG_FILE)) {
            dynamicSecurityConfigFile(state, line, plugin, value);
            return;
        }
        plugin.properties().put(PLUGIN_OPT_PREFIX + key, value);
    }

    /**
     * The dynamic security plugin's {@code config_file}, kept as written. Mosquitto 2.0's plugin compares the key
     * ignoring case and uses the first one, so a second one is only reported.
     */
    private static void dynamicSecurityConfigFile(ParseState state, OptionLine line, PluginDraft plugin,
            String value) {
        Object first = plugin.properties().get(CONFIG_FILE);
        if (first != null) {
            state.report(Diagnostic.warning("Warning: The dynamic security plugin has more than one "
                    + "plugin_opt_config_file; the first (" + first + ") is used, as in Mosquitto ("
                    + line.location() + ")"));
            return;
        }
        plugin.properties().put(CONFIG_FILE, value);
    }
}
