package io.culex.plugins.internal;

import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * One {@code plugin} line of culex.conf with its {@code plugin_opt_*} lines, as the config bundle writes it into a
 * factory configuration of {@code io.culex.plugins} (see bundles/config/README.md).
 *
 * <p>The line names either a jar ({@code plugin /opt/plugins/x.jar}: installed from {@code file:} that path) or
 * the symbolic name of a bundle that is installed by other means ({@code plugin io.culex.sample.authbyip}: only
 * its options are delivered). The options lose their {@code plugin_opt_} prefix: {@code plugin_opt_ranges} becomes
 * the property {@code ranges}, as Mosquitto hands {@code ranges} to its plugins.
 */
record PluginLine(String target, String source, Map<String, Object> options) {

    static final String PLUGIN = "plugin";
    static final String OPTION_PREFIX = "plugin_opt_";
    static final String SOURCE = "culex.source";

    PluginLine {
        options = Map.copyOf(options);
    }

    /**
     * @param configuration the factory configuration's properties
     * @throws IllegalArgumentException if there is no {@code plugin} property
     */
    static PluginLine from(Map<String, ?> configuration) {
        Object target = configuration.get(PLUGIN);
        if (!(target instanceof String) || ((String) target).isBlank()) {
            throw new IllegalArgumentException("the configuration has no 'plugin' property");
        }
        Object source = configuration.get(SOURCE);
        Map<String, Object> options = new TreeMap<>();
        configuration.forEach((key, value) -> {
            if (key.startsWith(OPTION_PREFIX) && key.length() > OPTION_PREFIX.length()) {
                options.put(key.substring(OPTION_PREFIX.length()), value);
            }
        });
        return new PluginLine(((String) target).strip(), source == null ? "?" : source.toString(), options);
    }

    /** @return whether the line names a jar file (rather than an installed bundle's symbolic name) */
    boolean namesJar() {
        return target.toLowerCase(Locale.ROOT).endsWith(".jar") || target.indexOf('/') >= 0
                || target.indexOf('\\') >= 0;
    }

    /** @return whether the line names a native Mosquitto plugin, which Culex cannot load */
    boolean namesNativeLibrary() {
        String lower = target.toLowerCase(Locale.ROOT);
        return lower.endsWith(".so") || lower.contains(".so.") || lower.endsWith(".dll") || lower.endsWith(".dylib");
    }

    /** Relative paths are taken from the working directory, as Mosquitto takes them. */
    Path jarPath() {
        return Path.of(target).toAbsolutePath().normalize();
    }

    /** @return the bundle location the jar is installed under: its {@code file:} URI */
    String location() {
        return jarPath().toUri().toString();
    }

    @Override
    public String toString() {
        return "plugin " + target + " (" + source + ")";
    }
}
