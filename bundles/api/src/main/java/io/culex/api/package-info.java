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
 * clients that connected before it. Unregistration (the plugin's bundle stopping, updating or uninstalling, or its
 * component deactivating) is clean: from the moment it starts, no new call enters the service (an event already
 * walking the chain skips it, as if it had started a moment later), and unregistration waits for the calls
 * already inside the service to return before the plugin's component is deactivated. So no call reaches a
 * stopped plugin. The wait is bounded (5 s) to protect the framework from a callback that blocks, which is
 * logged. An asynchronous answer (a {@link java.util.concurrent.CompletionStage}) that is still pending when the
 * plugin stops is the plugin's to complete: complete it (with {@link io.culex.api.Decision#DENY}) in
 * {@code @Deactivate}; otherwise the broker's time budget denies it.
 *
 * <p>Updating or uninstalling a plugin never disconnects clients and loses no message: a message published while
 * an interceptor is being replaced is routed either with it or without it, exactly once.
 *
 * <h2>Messages from and to bundles (1.4)</h2>
 * A bundle publishes with {@link io.culex.api.Broker#newMessage} (MQTT 5 properties, an origin for loop
 * prevention, a completion stage) and subscribes inside the broker with {@link io.culex.api.Broker#newSubscription}:
 * its {@link io.culex.api.MessageConsumer} receives {@link io.culex.api.DeliveredMessage}s the way a client's
 * session does, wildcards, share groups, no local and retained messages included, and paces the publishers by
 * completing them (flow control). This is what bridges, stores and rule engines are built on.
 *
 * <h2>Packaging and configuration</h2>
 * A plugin is an OSGi bundle jar. Dropped into the broker's {@code plugins/} directory it is installed and started
 * (replaced: updated; deleted: uninstalled). Named by a {@code plugin <path-to-jar>} line of culex.conf it is
 * installed at boot, and the {@code plugin_opt_<name> <value>} lines after it become a Config Admin configuration
 * with the properties {@code <name>} (String values, the {@code plugin_opt_} prefix removed), plus
 * {@code culex.source} ({@code file:line}). Its PID is the value of the plugin's manifest header
 * {@code Culex-Plugin-Pid}, or, without that header, the plugin's {@code Bundle-SymbolicName}; a DS component
 * receives it with {@code @Component(configurationPid = "<that PID>")}. A line without options leaves that PID to
 * other configuration sources ({@code plugins/<pid>.cfg}, the web console). The guide is {@code docs/plugins.md}.
 *
 * <h2>Threading</h2>
 * Callbacks run on the network thread (Netty event loop) that owns the client concerned. They must not block:
 * an extension that needs I/O answers asynchronously where the interface allows it (a
 * {@link java.util.concurrent.CompletionStage}), and keeps its own caches for the synchronous ones.
 *
 * <h2>Failures</h2>
 * A callback that throws (or returns {@code null}) is logged with the extension's bundle name and treated as
 * {@link io.culex.api.Decision#DENY} for authentication and authorization, and as
 * {@link io.culex.api.MessageInterceptor.Verdict#DENY} for interceptors: security fails closed. An authenticator
 * whose asynchronous answer does not come within the broker's time budget (10 s) is DENY too. A failure never
 * closes another client's connection or stops the broker.
 *
 * <h2>Null</h2>
 * Parameters and return values are never {@code null} unless marked {@link io.culex.api.Nullable}.
 *
 * <h2>Versions</h2>
 * 1.1 added {@link io.culex.api.ClientInfo#peerCertificates()}; 1.2 added MQTT 5 enhanced authentication
 * ({@link io.culex.api.EnhancedAuthenticator}, {@link io.culex.api.EnhancedAuthenticationRequest},
 * {@link io.culex.api.EnhancedAuthResult}); 1.3 added {@link io.culex.api.Broker#kickClientsByUsername}; 1.4 added
 * messages from and to bundles, administration queries and {@link io.culex.api.ServiceProperties}; 1.5 added
 * {@link io.culex.api.AccessDecision} (a denial with an MQTT 5 reason code and string, through
 * {@link io.culex.api.Authenticator#check} and {@link io.culex.api.Authorizer#check}); 1.6 added
 * {@link io.culex.api.ClientInfo#keepAliveSeconds()}; 1.7 added what a bundle needs to route messages between
 * brokers (a cluster): {@link io.culex.api.SubscriptionTableListener}, {@link io.culex.api.SubscriptionBuilder#listed},
 * {@link io.culex.api.PublishBuilder#intercept}, {@link io.culex.api.PublishBuilder#storeRetained},
 * {@link io.culex.api.PublishBuilder#route} and {@link io.culex.api.PublishBuilder#shareGroups}, and to move sessions between them: {@link io.culex.api.SessionOwnership},
 * {@link io.culex.api.Broker#importSessions} and {@link io.culex.api.Broker#releaseSession}; 1.8 added
 * {@link io.culex.api.PublishBuilder#recipients} and {@link io.culex.api.PublishBuilder#excludedRecipients}; 1.9 added
 * {@link io.culex.api.MessageSelector} ({@link io.culex.api.SubscriptionBuilder#selector}). The
 * persistence SPI is the
 * package {@code io.culex.api.persistence}.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.9.0")
package io.culex.api;
