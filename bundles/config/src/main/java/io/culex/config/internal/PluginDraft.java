package io.culex.config.internal;

import java.util.LinkedHashMap;
import java.util.Map;

/** A plugin line and the {@code plugin_opt_*} lines that follow it, while the file is being read. */
final class PluginDraft {

    private final String kind;
    private final String path;
    private final SourceLocation source;
    /** The listener it belongs to when {@code per_listener_settings} is true, else null (all listeners). */
    private final ListenerDraft listener;
    private final PropertyBag properties = new PropertyBag();

    PluginDraft(String kind, String path, SourceLocation source, ListenerDraft listener) {
        this.kind = kind;
        this.path = path;
        this.source = source;
        this.listener = listener;
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
