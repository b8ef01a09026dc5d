package io.culex.core.internal.routing;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Message ids: unique within a run and larger than every id of an earlier run, so that a store keyed by id never
 * confuses a new message with a stored one. They start at the wall-clock time in milliseconds times 2^20 (a million
 * ids per millisecond of uptime before the next run's ids could be reached, beyond any sustained message rate;
 * good until the year 2248) and move past every id a store restores (a clock set back).
 */
final class MessageIds {

    private static final AtomicLong NEXT = new AtomicLong(System.currentTimeMillis() << 20);

    private MessageIds() {
    }

    static long next() {
        return NEXT.getAndIncrement();
    }

    static void advancePast(long id) {
        long next;
        while ((next = NEXT.get()) <= id) {
            if (NEXT.compareAndSet(next, id + 1)) {
                return;
            }
        }
    }
}
