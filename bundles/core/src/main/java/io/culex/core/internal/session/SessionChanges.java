package io.culex.core.internal.session;

import io.culex.api.ClientInfo;
import io.culex.api.persistence.PersistedOutgoing;
import io.culex.core.internal.routing.Message;
import io.culex.core.internal.routing.Subscription;

/**
 * What a session tells a store about itself: the changes of its durable state. Implemented by the persistence
 * whiteboard; {@link #NONE} while no store is registered. Called on the session's loop, in order.
 */
public interface SessionChanges {

    /** No store: every call is a no-op and {@link #isActive()} is false, so sessions build no events. */
    SessionChanges NONE = new SessionChanges() {
        @Override
        public boolean isActive() {
            return false;
        }

        @Override
        public void sessionSaved(String clientId, ClientInfo client, long expirySeconds, long disconnectedAtMillis,
                                 Message will, long willDelaySeconds) {
        }

        @Override
        public void sessionRemoved(String clientId) {
        }

        @Override
        public void subscriptionAdded(String clientId, Subscription subscription) {
        }

        @Override
        public void subscriptionRemoved(String clientId, String filter) {
        }

        @Override
        public void outgoingAdded(String clientId, PersistedOutgoing entry, Message message) {
        }

        @Override
        public void outgoingUpdated(String clientId, PersistedOutgoing entry) {
        }

        @Override
        public void outgoingRemoved(String clientId, long entryId) {
        }

        @Override
        public void incomingQos2Added(String clientId, int packetId) {
        }

        @Override
        public void incomingQos2Removed(String clientId, int packetId) {
        }
    };

    /** @return whether any store listens (checked before building an event) */
    boolean isActive();

    /**
     * @param client the client that connected last, or {@code null} if unknown
     * @param disconnectedAtMillis epoch ms of the disconnection, 0 while connected
     * @param will the will due when the connection ends or its delay passes, or {@code null}
     */
    void sessionSaved(String clientId, ClientInfo client, long expirySeconds, long disconnectedAtMillis,
                      Message will, long willDelaySeconds);

    void sessionRemoved(String clientId);

    void subscriptionAdded(String clientId, Subscription subscription);

    void subscriptionRemoved(String clientId, String filter);

    void outgoingAdded(String clientId, PersistedOutgoing entry, Message message);

    void outgoingUpdated(String clientId, PersistedOutgoing entry);

    void outgoingRemoved(String clientId, long entryId);

    void incomingQos2Added(String clientId, int packetId);

    void incomingQos2Removed(String clientId, int packetId);
}
