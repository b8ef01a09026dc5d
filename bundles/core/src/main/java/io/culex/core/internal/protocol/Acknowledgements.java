package io.culex.core.internal.protocol;

import java.util.ArrayDeque;
import java.util.function.Consumer;

import io.netty.util.ReferenceCountUtil;

/**
 * The acknowledgements of one connection (PUBACK, PUBREC, PUBCOMP, SUBACK, UNSUBACK) in the order their requests
 * arrived, as MQTT requires [MQTT-4.6.0-2..4], also while some of them wait for a store to make what they
 * acknowledge durable. Without a store nothing waits and each goes out at once. On the connection's loop.
 */
final class Acknowledgements {

    /** A place in the order whose packet comes when it is ready. */
    static final class Slot {
        private Object packet;
        private boolean ready;
    }

    // small at first: waiting acknowledgements are rare (ArrayDeque's default holds 16, 80 bytes)
    private final ArrayDeque<Slot> waiting = new ArrayDeque<>(2);
    private boolean discarded;
    private final Consumer<Object> writer;

    /** @param writer writes one packet (ownership passes) */
    Acknowledgements(Consumer<Object> writer) {
        this.writer = writer;
    }

    /** Send now, or after the acknowledgements still waiting. Ownership of the packet passes. */
    void send(Object packet) {
        if (waiting.isEmpty()) {
            writer.accept(packet);
        } else {
            Slot slot = new Slot();
            slot.packet = packet;
            slot.ready = true;
            waiting.addLast(slot);
        }
    }

    /** @return a place for an acknowledgement that must wait; fill it with {@link #complete} */
    Slot reserve() {
        Slot slot = new Slot();
        waiting.addLast(slot);
        return slot;
    }

    /**
     * The acknowledgement of a slot is ready: it goes out as soon as those before it have.
     *
     * @param packet the packet (ownership passes), or {@code null} to send nothing in its place
     */
    void complete(Slot slot, Object packet) {
        if (discarded) {
            ReferenceCountUtil.release(packet);
            return;
        }
        slot.packet = packet;
        slot.ready = true;
        while (!waiting.isEmpty() && waiting.peekFirst().ready) {
            Object next = waiting.pollFirst().packet;
            if (next != null) {
                writer.accept(next);
            }
        }
    }

    /** @return whether acknowledgements are waiting */
    boolean isWaiting() {
        return !waiting.isEmpty();
    }

    /** The connection closed: what waits will not be sent. */
    void discard() {
        discarded = true;
        for (Slot slot : waiting) {
            ReferenceCountUtil.release(slot.packet);
        }
        waiting.clear();
    }
}
