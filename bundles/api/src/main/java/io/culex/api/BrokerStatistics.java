package io.culex.api;

import org.osgi.annotation.versioning.ProviderType;

/**
 * A consistent-enough snapshot of the broker's counters (each counter is exact; the set is not taken atomically).
 * Implemented by the broker. The names follow Mosquitto's {@code $SYS/broker/...} tree.
 */
@ProviderType
public interface BrokerStatistics {

    /** @return clients connected now ({@code clients/connected}) */
    long connectedClients();

    /** @return sessions known, connected or not ({@code clients/total}) */
    long sessions();

    /** @return most clients connected at once since start ({@code clients/maximum}) */
    long maximumConnectedClients();

    /** @return PUBLISH packets received from clients ({@code publish/messages/received}) */
    long publishReceived();

    /** @return PUBLISH packets sent to clients ({@code publish/messages/sent}) */
    long publishSent();

    /** @return messages dropped because a queue was full or a session offline ({@code publish/messages/dropped}) */
    long publishDropped();

    /** @return bytes received from the network ({@code bytes/received}) */
    long bytesReceived();

    /** @return bytes sent to the network ({@code bytes/sent}) */
    long bytesSent();

    /** @return retained messages stored ({@code retained messages/count}) */
    long retainedMessages();

    /** @return subscriptions in all sessions ({@code subscriptions/count}) */
    long subscriptions();

    /** @return seconds since the broker started ({@code uptime}) */
    long uptimeSeconds();

    /**
     * @return persistent sessions whose client is not connected ({@code clients/disconnected})
     * @since 1.4
     */
    long disconnectedClients();

    /**
     * @return sessions removed because their expiry interval or {@code persistent_client_expiration} passed
     *     ({@code clients/expired})
     * @since 1.4
     */
    long expiredClients();

    /**
     * @return MQTT packets of any kind received from clients ({@code messages/received})
     * @since 1.4
     */
    long messagesReceived();

    /**
     * @return MQTT packets of any kind sent to clients ({@code messages/sent})
     * @since 1.4
     */
    long messagesSent();

    /**
     * @return payload bytes of the PUBLISH packets received ({@code publish/bytes/received})
     * @since 1.4
     */
    long publishBytesReceived();

    /**
     * @return payload bytes of the PUBLISH packets sent ({@code publish/bytes/sent})
     * @since 1.4
     */
    long publishBytesSent();

    /**
     * @return subscriptions that are members of a share group ({@code shared_subscriptions/count}); included in
     *     {@link #subscriptions()}
     * @since 1.4
     */
    long sharedSubscriptions();

    /**
     * @return messages the broker holds now: retained, queued or in flight for sessions (each counted once however
     *     many sessions hold it), and those being routed ({@code store/messages/count})
     * @since 1.5
     */
    long storedMessages();

    /**
     * @return payload bytes of the {@link #storedMessages()} ({@code store/messages/bytes})
     * @since 1.5
     */
    long storedMessageBytes();

    /**
     * @return network connections accepted on the listeners since start ({@code load/sockets/...})
     * @since 1.5
     */
    long socketConnections();

    /**
     * @return CONNECT packets received since start, whether or not the client was then let in
     *     ({@code load/connections/...})
     * @since 1.5
     */
    long connectPackets();
}
