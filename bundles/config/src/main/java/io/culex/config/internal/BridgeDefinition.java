package io.culex.config.internal;

import java.util.Map;

/** A bridge: one {@code connection} block, identified by its connection name. */
record BridgeDefinition(String name, SourceLocation source, Map<String, Object> properties) {

    BridgeDefinition {
        properties = Map.copyOf(properties);
    }
}
