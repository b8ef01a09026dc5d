package io.culex.persistence.internal;

import io.culex.api.persistence.PersistedOutgoing;
import io.culex.api.persistence.PersistedSession;
import io.culex.api.persistence.PersistedSubscription;

/**
 * One change, as the broker told it, queued for the writer thread. The writer applies it to the {@link StoreState}
 * and writes it to the log. A {@code message} carried here is the store's own copy.
 */
record StoreEvent(Type type, String key, PersistedSession session, StoredMessage will, PersistedSubscription subscription,
                  PersistedOutgoing entry, StoredMessage message, long number) {

    /** The kinds of change, with their tag in the log (never reuse a tag: logs outlive versions). */
    enum Type {
        SESSION_SAVED(1), SESSION_REMOVED(2), SUBSCRIPTION_ADDED(3), SUBSCRIPTION_REMOVED(4), OUTGOING_ADDED(5),
        OUTGOING_UPDATED(6), OUTGOING_REMOVED(7), INCOMING_QOS2_ADDED(8), INCOMING_QOS2_REMOVED(9),
        RETAINED_SET(10), RETAINED_CLEARED(11);

        final int tag;

        Type(int tag) {
            this.tag = tag;
        }

        static Type of(int tag) {
            for (Type t : values()) {
                if (t.tag == tag) {
                    return t;
                }
            }
            throw new IllegalArgumentException("unknown record type " + tag);
        }
    }

    static StoreEvent sessionSaved(PersistedSession session, StoredMessage will) {
        return new StoreEvent(Type.SESSION_SAVED, session.clientId(), session, will, null, null, null, 0);
    }

    static StoreEvent sessionRemoved(String clientId) {
        return new StoreEvent(Type.SESSION_REMOVED, clientId, null, null, null, null, null, 0);
    }

    static StoreEvent subscriptionAdded(String clientId, PersistedSubscription subscription) {
        return new StoreEvent(Type.SUBSCRIPTION_ADDED, clientId, null, null, subscription, null, null, 0);
    }

    /** @param filter carried as the subscription's filter */
    static StoreEvent subscriptionRemoved(String clientId, String filter) {
        return new StoreEvent(Type.SUBSCRIPTION_REMOVED, clientId, null, null,
                new PersistedSubscription(filter, 0, false, false, 0, 0), null, null, 0);
    }

    /** @param message the message, or {@code null} when the store has it already (or a released entry) */
    static StoreEvent outgoingAdded(String clientId, PersistedOutgoing entry, StoredMessage message) {
        return new StoreEvent(Type.OUTGOING_ADDED, clientId, null, null, null, entry, message, 0);
    }

    static StoreEvent outgoingUpdated(String clientId, PersistedOutgoing entry) {
        return new StoreEvent(Type.OUTGOING_UPDATED, clientId, null, null, null, entry, null, 0);
    }

    static StoreEvent outgoingRemoved(String clientId, long entryId) {
        return new StoreEvent(Type.OUTGOING_REMOVED, clientId, null, null, null, null, null, entryId);
    }

    static StoreEvent incomingQos2(boolean added, String clientId, int packetId) {
        return new StoreEvent(added ? Type.INCOMING_QOS2_ADDED : Type.INCOMING_QOS2_REMOVED, clientId, null, null,
                null, null, null, packetId);
    }

    static StoreEvent retainedSet(StoredMessage message) {
        return new StoreEvent(Type.RETAINED_SET, message.topic, null, null, null, null, message, 0);
    }

    static StoreEvent retainedCleared(String topic) {
        return new StoreEvent(Type.RETAINED_CLEARED, topic, null, null, null, null, null, 0);
    }
}
