package io.culex.core.internal.routing;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * Tells a publisher when every delivery of its message has reached its subscriber, also those handed to other
 * event loops: a store has then been told of every queue entry the message made, so the publisher's
 * acknowledgement may wait for the store's durability and know that it covers them all.
 *
 * <p>The count starts at one, held by the publisher while it routes; each hand-over to another loop adds one and
 * the delivery there removes it. When the publisher is done routing it gives the action with
 * {@link #whenSettled}, which also drops its own count; the last {@code done()} runs the action, on whichever
 * thread that is.
 */
public final class Settlement {

    public Settlement() {
    }

    private final AtomicInteger pending = new AtomicInteger(1);
    /** A retained copy of a settled message can be handed over again later; that must not settle twice. */
    private final java.util.concurrent.atomic.AtomicBoolean settled = new java.util.concurrent.atomic.AtomicBoolean();
    /** A store was told of something this message made (a queue entry of a stored session, a retained set). */
    private volatile boolean stored;

    /** Written before the publisher's decrement, read after the last one: the counter orders the two. */
    private Runnable onSettled;

    /** The publisher finished routing: run the action once every delivery handed over has been made. */
    public void whenSettled(Runnable action) {
        onSettled = action;
        done();
    }

    /** A store heard of something this message made: its acknowledgement must wait for the store. */
    public void markStored() {
        stored = true;
    }

    /** @return whether a store heard of something this message made (read in the settled action) */
    public boolean isStored() {
        return stored;
    }

    /**
     * A delivery that the publisher's acknowledgement waits for beyond routing: a bundle's subscription that asked
     * to hold it until its consumer completes the message (API 1.7). {@link #release()} ends it.
     */
    public void hold() {
        add();
    }

    /** The held delivery was completed. */
    public void release() {
        done();
    }

    /** A delivery was handed to another loop. */
    void add() {
        pending.incrementAndGet();
    }

    /** A delivery handed over has been made. */
    void done() {
        if (pending.decrementAndGet() == 0 && settled.compareAndSet(false, true)) {
            Runnable action = onSettled;
            onSettled = null; // a queued or retained message keeps its settlement: not the publisher with it
            action.run();
        }
    }
}
