package io.culex.api.persistence;

import org.osgi.annotation.versioning.ProviderType;

import io.culex.api.Nullable;

/**
 * Where a store puts what it gives back in {@link PersistenceListener#restore}. Implemented by the broker; may be
 * called from any thread, one call at a time. Records may come in any order (a subscription before its session);
 * the broker applies them together when the restore's stage completes. Records for a client id without a
 * {@link #session session} are dropped, logged.
 *
 * @since 1.0
 */
@ProviderType
public interface Restorer {

    /** @param session a stored session */
    void session(PersistedSession session);

    /**
     * @param clientId the session's client id
     * @param subscription one of its subscriptions
     */
    void subscription(String clientId, PersistedSubscription subscription);

    /**
     * One outgoing entry; the broker restores a session's entries in entry id order.
     *
     * @param clientId the session's client id
     * @param entry the entry
     * @param message the message it delivers; may be {@code null} only for a {@link PersistedOutgoing.State#RELEASED}
     *     entry. Messages are matched by id: the broker keeps one copy per id
     */
    void outgoing(String clientId, PersistedOutgoing entry, @Nullable PersistedMessage message);

    /**
     * @param clientId the session's client id
     * @param packetId an incoming QoS 2 packet id waiting for PUBREL
     */
    void incomingQos2(String clientId, int packetId);

    /** @param message a retained message */
    void retained(PersistedMessage message);
}
