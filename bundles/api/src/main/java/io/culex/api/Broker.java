package io.culex.api;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

import org.osgi.annotation.versioning.ProviderType;

/**
 * The broker, as plugins may use it: what {@code mosquitto_broker.h} is for Mosquitto plugins. Registered as an OSGi
 * service by the core bundle while the engine runs. Every method is thread-safe and does not block.
 *
 * <p>The service is bundle-scoped (since 1.4): each bundle gets its own instance, and when the bundle releases it
 * (its components deactivate, it stops, is updated or uninstalled) the broker closes the
 * {@link InternalSubscription}s it started and cancels the tasks it scheduled.
 */
@ProviderType
public interface Broker {

    /**
     * Publish a message as the broker itself. It passes the {@link MessageInterceptor}s (with a {@code null}
     * publisher) but no PUBLISH access check, is retained if asked, and is routed to subscribers (each delivery is
     * still checked with {@link Access#DELIVER}).
     *
     * @param topic a valid topic name
     * @param payload the payload (copied)
     * @param qos 0, 1 or 2
     * @param retain whether to retain it
     * @throws IllegalArgumentException if the topic or QoS is invalid
     */
    void publish(String topic, byte[] payload, int qos, boolean retain);

    /**
     * Start a message to publish with MQTT 5 properties, an origin and a completion; see {@link PublishBuilder}.
     *
     * @param topic a valid topic name
     * @return a builder for one message
     * @throws IllegalArgumentException if the topic is not a valid topic name
     * @since 1.4
     */
    PublishBuilder newMessage(String topic);

    /**
     * Start a subscription inside the broker, without a network connection, for a bundle that consumes messages
     * (a bridge, a store, a rule engine); see {@link SubscriptionBuilder}.
     *
     * @param filter a valid topic filter, possibly {@code $share/<group>/<filter>}
     * @return a builder for one subscription
     * @throws IllegalArgumentException if the filter is not a valid topic filter
     * @since 1.4
     */
    SubscriptionBuilder newSubscription(String filter);

    /**
     * Bring sessions here from elsewhere (another cluster node, which released them): the records the consumer gives
     * to the {@link io.culex.api.persistence.Restorer} are applied as a store's restore is — each session offline,
     * with its subscriptions, queued and in-flight messages, incoming QoS 2 packet ids and pending will — and then
     * written to the registered {@link io.culex.api.persistence.PersistenceListener}s as their state. A client id
     * that has a session here already keeps it: its records are dropped. Retained messages given to the restorer
     * are ignored.
     *
     * @param records called once, on the caller's thread, to hand the records over
     * @return completes, once the sessions are in place, with the client ids of those imported
     * @since 1.7
     */
    java.util.concurrent.CompletionStage<java.util.Set<String>> importSessions(
            java.util.function.Consumer<io.culex.api.persistence.Restorer> records);

    /**
     * Let a session go: its client connected to another broker that now owns the session (a cluster node took it
     * over). A connected client is disconnected as in a session takeover (MQTT 5 DISCONNECT 0x8E; its will as for a
     * takeover here), and the session is forgotten here; the {@link io.culex.api.persistence.PersistenceListener}s
     * are told it was removed.
     *
     * @param clientId the client identifier
     * @return completes once the session is gone here: {@code true} if there was one
     * @since 1.7
     */
    java.util.concurrent.CompletionStage<Boolean> releaseSession(String clientId);

    /**
     * Disconnect a client, as if its network connection had been lost (its will is published).
     *
     * @param clientId the client identifier
     * @return {@code true} if the client was connected
     */
    boolean disconnectClient(String clientId);

    /**
     * Disconnect every client connected with this user name.
     *
     * @param username the user name
     * @return how many clients were connected with it
     */
    int disconnectClientsByUsername(String username);

    /**
     * Disconnect every client connected with this user name, or every client connected without one: Mosquitto's
     * {@code mosquitto_kick_client_by_username}. A plugin whose rules changed uses it so that the clients reconnect
     * and are checked again; MQTT 5 clients receive DISCONNECT "administrative action" (0x98).
     *
     * @param username the user name, or {@code null} for the clients that sent none
     * @param publishWill whether the clients' wills are published, as if their connections had been lost;
     *     {@code false} discards them, as for a normal DISCONNECT
     * @return how many clients were connected that way
     * @since 1.3
     */
    int kickClientsByUsername(@Nullable String username, boolean publishWill);

    /**
     * @param clientId a client identifier
     * @return the connected client with this identifier, if any
     */
    Optional<ClientInfo> client(String clientId);

    /** @return the clients connected now, in no particular order */
    List<ClientInfo> clients();

    /**
     * @param clientId a client identifier
     * @return the session's subscriptions, topic filter to granted QoS; empty if there is no such session
     */
    Map<String, Integer> subscriptions(String clientId);

    /**
     * Every session, connected or not, with its queues: for administration. Each session is read on its own
     * broker thread, so the stage completes once all have answered; a session being taken over at that moment may
     * be missing from the list.
     *
     * @return the sessions, in no particular order
     * @since 1.4
     */
    java.util.concurrent.CompletionStage<List<SessionInfo>> sessions();

    /**
     * @param filter a topic filter (wildcards allowed, {@code $}-rules as for subscriptions)
     * @param limit at most this many are returned
     * @return the retained messages whose topics the filter matches, in no particular order
     * @throws IllegalArgumentException if the filter is not valid or the limit is negative
     * @since 1.4
     */
    List<RetainedMessage> retainedMessages(String filter, int limit);

    /**
     * @return the listeners serving now
     * @since 1.4
     */
    List<ListenerInfo> listeners();

    /** @return the broker's counters now */
    BrokerStatistics statistics();

    /**
     * Run a task once after a delay on a broker thread: Mosquitto's {@code MOSQ_EVT_TICK}. The task must not block.
     *
     * @param task the task
     * @param delay the delay
     * @param unit the unit of {@code delay}
     * @return a future that can cancel the task
     */
    ScheduledFuture<?> schedule(Runnable task, long delay, TimeUnit unit);

    /**
     * Run a task periodically on a broker thread. The task must not block. The broker cancels it when the bundle
     * releases this service; cancel it yourself to stop it earlier.
     *
     * @param task the task
     * @param initialDelay delay before the first run
     * @param period period between runs
     * @param unit the unit of both
     * @return a future that can cancel the task
     */
    ScheduledFuture<?> scheduleAtFixedRate(Runnable task, long initialDelay, long period, TimeUnit unit);
}
