/**
 * The state of Culex's bridges, for administration (shell, web console, monitoring bundles).
 *
 * <p>Every running bridge (one per {@code connection} block of culex.conf, or per {@code io.culex.bridge} factory
 * configuration) is registered as a {@link io.culex.bridge.BridgeStatus} service with the service property
 * {@value io.culex.bridge.BridgeStatus#NAME_PROPERTY} set to its connection name. The service comes when the bridge
 * starts and goes when it is removed or changed; {@link io.culex.bridge.BridgeStatus#state()} is a snapshot, cheap
 * to call from any thread.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.0.0")
package io.culex.bridge;
