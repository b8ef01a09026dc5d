package io.culex.core.internal.routing;

import java.util.concurrent.atomic.LongAdder;

/**
 * How many {@link Message}s are alive and how many payload bytes they hold: Mosquitto's message store
 * ({@code $SYS/broker/store/messages/count} and {@code .../bytes}). A message is counted from its creation until its
 * last reference is released, so the count is the retained messages plus those queued or in flight for sessions
 * (each counted once however many sessions hold it), plus the few being routed at that moment.
 *
 * <p>Process-wide rather than per engine: a message does not know its engine, and threading one through every
 * construction site would cost more than it buys, since a broker process runs one engine. Striped adders, so the
 * message path takes no lock.
 */
public final class StoredMessages {

    private static final LongAdder COUNT = new LongAdder();
    private static final LongAdder BYTES = new LongAdder();

    private StoredMessages() {
    }

    static void added(int payloadBytes) {
        COUNT.increment();
        BYTES.add(payloadBytes);
    }

    static void removed(int payloadBytes) {
        COUNT.decrement();
        BYTES.add(-payloadBytes);
    }

    /** @return messages alive now */
    public static long count() {
        return COUNT.sum();
    }

    /** @return payload bytes of the messages alive now */
    public static long bytes() {
        return BYTES.sum();
    }
}
