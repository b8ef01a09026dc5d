package io.culex.config.internal;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A plugin line and the {@code plugin_opt_*} lines that follow it, while the file is being read. The built-in
 * dynamic security plugin is one too, but its options are written straight into the {@code io.culex.dynsec}
 * configuration (see {@link #dynamicSecurity}) and it never becomes a {@link PluginDefinition}.
 */
final class PluginDraft {

    private final String kind;
    private final String path;
    private final SourceLocation source;
    /** The listener it belongs to when {@code per_listener_settings} is true, else null (all listeners). */
    private final ListenerDraft listener;
    private final PropertyBag properties;
    private final boolean dynamicSecurity;

    PluginDraft(String kind, String path, SourceLocation source, ListenerDraft listener) {
        this(kind, path, source, listener, new PropertyBag(), false);
    }

    private PluginDraft(String kind, String path, SourceLocation source, ListenerDraft listener,
            PropertyBag properties, boolean dynamicSecurity) {
        this.kind = kind;
        this.path = path;
        this.source = source;
        this.listener = listener;
        this.properties = properties;
        this.dynamicSecurity = dynamicSecurity;
    }

    /**
     * The line of Mosquitto's dynamic security plugin, whose options go into {@code configuration}, the
     * {@code io.culex.dynsec} configuration; the path is kept there as {@code plugin}, for diagnostics.
     */
    static PluginDraft dynamicSecurity(String kind, String path, SourceLocation source, PropertyBag configuration) {
        configuration.put("plugin", path);
        return new PluginDraft(kind, path, source, null, configuration, true);
    }

    boolean isDynamicSecurity() {
        return dynamicSecurity;
    }

    SourceLocation source() {
        return source;
    }

    PropertyBag properties() {
        return properties;
    }

    /** The identity across reloads: the plugin's path (and listener), so reordering lines does not restart it. */
    String baseKey() {
        return listener == null ? path : path + "@" + listener.key();
    }

    PluginDefinition toDefinition(String key, int order) {
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("plugin", path);
        result.put("plugin_type", kind);
        if (listener != null) {
            result.put(ConfigContract.LISTENER_KEY, listener.key());
        }
        result.putAll(properties.toMap());
        return new PluginDefinition(key, order, source, result);
    }
}
