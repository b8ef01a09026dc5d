package io.culex.config.internal;

import java.util.Map;

/** A listener as the file defines it: its identity ({@code culex.listener.key}), where, and its properties. */
record ListenerDefinition(String key, SourceLocation source, Map<String, Object> properties) {

    ListenerDefinition {
        properties = Map.copyOf(properties);
    }
}
