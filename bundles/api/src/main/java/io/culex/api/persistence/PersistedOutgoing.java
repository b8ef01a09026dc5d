package io.culex.api.persistence;

import java.util.Objects;

/**
 * One outgoing message of a stored session: queued, or sent and waiting for the client's acknowledgement.
 *
 * @param entryId the entry's id within the session, increasing in queue order (the key, with the client id)
 * @param messageId the {@linkplain PersistedMessage#id() message} it delivers
 * @param qos the QoS it is delivered with
 * @param retainFlag the retain flag it is delivered with
 * @param subscriptionIds the MQTT 5 subscription identifiers it is delivered with (empty for none; do not modify)
 * @param state where the exchange stands
 * @param packetId the packet identifier it was sent with ({@link State#SENT}, {@link State#RELEASED}); 0 while
 *     {@link State#QUEUED}
 * @since 1.0
 */
public record PersistedOutgoing(long entryId, long messageId, int qos, boolean retainFlag, int[] subscriptionIds,
                                State state, int packetId) {

    /** Where an outgoing message stands. */
    public enum State {
        /** Waiting in the session's queue; not sent. */
        QUEUED,
        /** Sent with {@link PersistedOutgoing#packetId()}, not acknowledged: resent with DUP on reconnect. */
        SENT,
        /**
         * QoS 2: the client's PUBREC came and PUBREL was sent; waiting for PUBCOMP. The payload is no longer
         * needed: on reconnect only PUBREL is resent.
         */
        RELEASED
    }

    public PersistedOutgoing {
        Objects.requireNonNull(subscriptionIds, "subscriptionIds");
        Objects.requireNonNull(state, "state");
        if (qos < 0 || qos > 2) {
            throw new IllegalArgumentException("QoS must be 0, 1 or 2: " + qos);
        }
        if ((state == State.QUEUED) != (packetId == 0)) {
            throw new IllegalArgumentException("a packet id belongs to a sent message, and only to one: " + state
                    + " with packet id " + packetId);
        }
    }

    /** @return the same entry in another state */
    public PersistedOutgoing withState(State newState, int newPacketId) {
        return new PersistedOutgoing(entryId, messageId, qos, retainFlag, subscriptionIds, newState, newPacketId);
    }
}
