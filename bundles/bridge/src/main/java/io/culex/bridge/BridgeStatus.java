package io.culex.bridge;

import org.osgi.annotation.versioning.ProviderType;

/**
 * One running bridge, as a service: registered by the bridge bundle while the bridge's configuration is active.
 * Implemented by the bridge bundle; thread-safe.
 */
@ProviderType
public interface BridgeStatus {

    /** Service property: the bridge's connection name (the {@code connection} line of culex.conf). */
    String NAME_PROPERTY = "culex.bridge.name";

    /** @return the connection name */
    String name();

    /** @return the bridge's state now */
    BridgeState state();
}
