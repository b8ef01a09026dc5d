package io.culex.config.internal;

import java.util.Map;

/** A {@code plugin}, {@code auth_plugin} or {@code global_plugin} line with the options that follow it. */
record PluginDefinition(String key, int order, SourceLocation source, Map<String, Object> properties) {

    PluginDefinition {
        properties = Map.copyOf(properties);
    }
}
