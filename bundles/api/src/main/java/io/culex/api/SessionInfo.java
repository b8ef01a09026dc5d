package io.culex.api;

import org.osgi.annotation.versioning.ProviderType;

/**
 * One session at one moment, connected or not: what {@link Broker#sessions()} reports for administration.
 * Implemented by the broker; immutable.
 *
 * @since 1.4
 */
@ProviderType
public interface SessionInfo {

    /** @return the client identifier */
    String clientId();

    /** @return the connected client, or {@code null} while the session waits for its client to come back */
    @Nullable
    ClientInfo client();

    /** @return whether a client is connected to the session */
    default boolean online() {
        return client() != null;
    }

    /**
     * @return seconds the session outlives its connection: 0 ends it with the connection, -1 never expires
     *     (MQTT 5's 0xFFFFFFFF, or an MQTT 3.x persistent session without {@code persistent_client_expiration})
     */
    long expiryIntervalSeconds();

    /** @return its subscriptions */
    int subscriptions();

    /** @return messages waiting to be sent (beyond the inflight window, or while offline) */
    int queuedMessages();

    /** @return QoS 1 and 2 messages sent and not yet acknowledged */
    int inflightMessages();
}
