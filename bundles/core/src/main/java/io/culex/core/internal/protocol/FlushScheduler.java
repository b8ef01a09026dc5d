package io.culex.core.internal.protocol;

import java.util.ArrayList;
import java.util.List;

import io.netty.channel.EventLoop;
import io.netty.util.concurrent.FastThreadLocal;

/**
 * Coalesces flushes: a connection that was written to is flushed once, by a task that runs after the event loop's
 * current burst of work (all reads of this select round, or a whole delivery batch), instead of once per packet.
 */
final class FlushScheduler {

    private static final FastThreadLocal<FlushScheduler> PER_LOOP = new FastThreadLocal<>() {
        @Override
        protected FlushScheduler initialValue() {
            return new FlushScheduler();
        }
    };

    private final List<MqttConnection> dirty = new ArrayList<>();
    private final Runnable flushAll = this::flushAll;

    /** @return the scheduler of the calling event loop thread */
    static FlushScheduler current() {
        return PER_LOOP.get();
    }

    void schedule(MqttConnection connection, EventLoop loop) {
        if (dirty.isEmpty()) {
            loop.execute(flushAll);
        }
        dirty.add(connection);
    }

    private void flushAll() {
        // a flush can trigger writability events that write again; those land in a fresh round
        for (int i = 0; i < dirty.size(); i++) {
            dirty.get(i).flushNow();
        }
        dirty.clear();
    }
}
