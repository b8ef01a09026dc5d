/**
 * The Culex extension SPI and the {@link io.culex.api.Broker} service.
 *
 * <h2>How extensions plug in</h2>
 * Every Mosquitto plugin event is an OSGi service interface here. An extension registers an implementation as an
 * OSGi service (a Declarative Services component is the normal way); the broker core tracks these services
 * (the whiteboard pattern) and consults them on every event.
 *
 * <h2>Order and the chain</h2>
 * Services of one interface form a chain ordered by {@code service.ranking} (highest first) and then by
 * {@code service.id} (lowest, i.e. oldest, first). The first answer that is not {@link io.culex.api.Decision#DEFER}
 * wins and the rest of the chain is not consulted. What happens when every service defers is written on each
 * interface ({@link io.culex.api.Authenticator}, {@link io.culex.api.Authorizer}). An
 * {@link io.culex.api.EnhancedAuthenticator} chain holds only the services registered for the client's
 * authentication method, and its answer is an {@link io.culex.api.EnhancedAuthResult}.
 *
 * <h2>Dynamics</h2>
 * The whiteboard is consulted per event, so a service registered now applies from the next event on, also for
 * clients that connected before it; a service unregistered is no longer called from the next event on.
 *
 * <h2>Threading</h2>
 * Callbacks run on the network thread (Netty event loop) that owns the client concerned. They must not block:
 * an extension that needs I/O answers asynchronously where the interface allows it (a
 * {@link java.util.concurrent.CompletionStage}), and keeps its own caches for the synchronous ones.
 *
 * <h2>Failures</h2>
 * A callback that throws is logged with the extension's bundle name and treated as {@link io.culex.api.Decision#DENY}
 * for authentication and authorization: security fails closed. It never closes another client's connection or
 * stops the broker.
 *
 * <h2>Null</h2>
 * Parameters and return values are never {@code null} unless marked {@link io.culex.api.Nullable}.
 *
 * <h2>Versions</h2>
 * 1.1 added {@link io.culex.api.ClientInfo#peerCertificates()}; 1.2 added MQTT 5 enhanced authentication
 * ({@link io.culex.api.EnhancedAuthenticator}, {@link io.culex.api.EnhancedAuthenticationRequest},
 * {@link io.culex.api.EnhancedAuthResult}).
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.2.0")
package io.culex.api;
