package io.culex.bridge.internal;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * QoS 1 and 2 messages for the remote broker: waiting in arrival order, then in flight (sent, not acknowledged) up
 * to a window. It is bounded by the local side: every message here is an uncompleted delivery of a local
 * subscription, which the broker limits to {@code max_queued_messages}. Used on the bridge's event loop only.
 */
final class OutgoingQueue {

    private final ArrayDeque<OutgoingMessage> waiting = new ArrayDeque<>();
    /** in flight, by packet id, in the order they were sent (which is the order to resend them in) */
    private final Map<Integer, OutgoingMessage> inFlight = new LinkedHashMap<>();
    private final PacketIds packetIds;

    OutgoingQueue(PacketIds packetIds) {
        this.packetIds = packetIds;
    }

    void add(OutgoingMessage message) {
        waiting.addLast(message);
    }

    /** Puts a message before all waiting ones (the bridge's own state notification goes first). */
    void addFirst(OutgoingMessage message) {
        waiting.addFirst(message);
    }

    /** @return the next message to send, now in flight with a packet id, or null if none or the window is full */
    OutgoingMessage nextToSend(int window) {
        if (inFlight.size() >= window || waiting.isEmpty()) {
            return null;
        }
        OutgoingMessage message = waiting.pollFirst();
        message.packetId = packetIds.allocate();
        inFlight.put(message.packetId, message);
        return message;
    }

    OutgoingMessage inFlight(int packetId) {
        return inFlight.get(packetId);
    }

    /** @return the message the remote broker now has (PUBACK or PUBCOMP), no longer in flight; null if unknown */
    OutgoingMessage acknowledge(int packetId) {
        OutgoingMessage message = inFlight.remove(packetId);
        if (message != null) {
            packetIds.release(packetId);
        }
        return message;
    }

    /** @return the messages in flight, in the order they were sent: what a resumed session sends again */
    Collection<OutgoingMessage> inFlight() {
        return inFlight.values();
    }

    /**
     * The remote broker has no session for the bridge any more: what it had received in full (a PUBREC came) is
     * returned as delivered; the rest goes back before the waiting messages, in its order, to be sent anew.
     *
     * @return the messages to count as delivered
     */
    List<OutgoingMessage> restartWithoutSession() {
        List<OutgoingMessage> delivered = new ArrayList<>();
        List<OutgoingMessage> again = new ArrayList<>();
        for (OutgoingMessage message : inFlight.values()) {
            packetIds.release(message.packetId);
            message.packetId = 0;
            (message.released ? delivered : again).add(message);
        }
        inFlight.clear();
        for (int i = again.size() - 1; i >= 0; i--) {
            waiting.addFirst(again.get(i));
        }
        return delivered;
    }

    /**
     * Removes the bridge's own state notifications (QoS 1, so dropping one in flight breaks no protocol state): a
     * connection that ended makes them stale, and the next connection sends its own.
     */
    void removeBridgeState() {
        waiting.removeIf(message -> message.bridgeState);
        inFlight.values().removeIf(message -> {
            if (message.bridgeState) {
                packetIds.release(message.packetId);
            }
            return message.bridgeState;
        });
    }

    /** @return every message, waiting or in flight, now removed (the bridge stops) */
    List<OutgoingMessage> drain() {
        List<OutgoingMessage> all = new ArrayList<>(inFlight.values());
        all.addAll(waiting);
        inFlight.values().forEach(m -> packetIds.release(m.packetId));
        inFlight.clear();
        waiting.clear();
        return all;
    }

    int size() {
        return waiting.size() + inFlight.size();
    }
}
