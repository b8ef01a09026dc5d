package io.culex.sys.internal;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;

/**
 * The Java heap for {@code $SYS/broker/heap/...}: in use now, and the most seen in use at an update. Mosquitto
 * reports the memory it allocated and its peak; a JVM's nearest equivalent is the heap in use (live objects and
 * garbage not yet collected), and its peak between updates is not observable without a GC listener, so the maximum
 * is over the updates.
 */
final class HeapUsage {

    private final MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
    private long maximum;

    /** @return heap bytes in use now; also raises {@link #maximum()} */
    long used() {
        long used = memory.getHeapMemoryUsage().getUsed();
        maximum = Math.max(maximum, used);
        return used;
    }

    /** @return the most {@link #used()} has returned */
    long maximum() {
        return maximum;
    }
}
