package io.culex.core.internal.extension;

import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.culex.api.SubscriptionTableListener;
import io.culex.core.internal.routing.SubscriptionTree;

/**
 * The {@link SubscriptionTableListener} whiteboard: each listener observes the subscription tree through its own
 * queue, drained one call at a time on a broker thread, so the tree's write lock is never held while a listener
 * runs and each listener sees the changes in order.
 */
public final class SubscriptionTableEvents {

    private static final Logger LOG = LoggerFactory.getLogger(SubscriptionTableEvents.class);

    private final Map<Object, Channel> channels = new ConcurrentHashMap<>();
    private volatile SubscriptionTree tree;
    private volatile Executor executor;

    /**
     * Start telling the listeners bound so far, and those bound later, about this tree.
     *
     * @param executor runs the deliveries; tasks for one listener never overlap
     */
    public synchronized void start(SubscriptionTree subscriptions, Executor deliveries) {
        tree = subscriptions;
        executor = deliveries;
        channels.values().forEach(channel -> channel.open(subscriptions, deliveries));
    }

    /** The engine stopped: the listeners hear nothing more (a new engine starts them from its own table). */
    public synchronized void stop() {
        SubscriptionTree t = tree;
        tree = null;
        executor = null;
        if (t != null) {
            channels.values().forEach(channel -> channel.close(t));
        }
    }

    /**
     * @param key the service's identity (its reference)
     * @param origin the bundle, for the log
     */
    public synchronized void add(Object key, String origin, SubscriptionTableListener listener) {
        Channel channel = new Channel(origin, listener);
        channels.put(key, channel);
        SubscriptionTree t = tree;
        if (t != null) {
            channel.open(t, executor);
        }
    }

    public synchronized void remove(Object key) {
        Channel channel = channels.remove(key);
        SubscriptionTree t = tree;
        if (channel != null && t != null) {
            channel.close(t);
        }
    }

    private static final class Channel implements SubscriptionTree.FilterObserver {
        private final String origin;
        private final SubscriptionTableListener listener;
        private final Queue<Object[]> pending = new ConcurrentLinkedQueue<>();
        private final AtomicBoolean draining = new AtomicBoolean();
        private volatile Executor executor;
        private volatile boolean closed;

        Channel(String origin, SubscriptionTableListener listener) {
            this.origin = origin;
            this.listener = listener;
        }

        void open(SubscriptionTree tree, Executor deliveries) {
            executor = deliveries;
            closed = false;
            tree.observe(this);
        }

        void close(SubscriptionTree tree) {
            closed = true;
            tree.stopObserving(this);
            pending.clear();
        }

        @Override
        public void filterAdded(String filter) {
            enqueue(Boolean.TRUE, filter);
        }

        @Override
        public void filterRemoved(String filter) {
            enqueue(Boolean.FALSE, filter);
        }

        private void enqueue(Boolean added, String filter) {
            pending.add(new Object[] {added, filter});
            schedule();
        }

        private void schedule() {
            if (!closed && !pending.isEmpty() && draining.compareAndSet(false, true)) {
                try {
                    executor.execute(this::drain);
                } catch (RejectedExecutionException e) {
                    draining.set(false); // the broker is stopping: nobody is left to tell
                }
            }
        }

        private void drain() {
            Object[] event;
            while (!closed && (event = pending.poll()) != null) {
                String filter = (String) event[1];
                try {
                    if ((Boolean) event[0]) {
                        listener.filterAdded(filter);
                    } else {
                        listener.filterRemoved(filter);
                    }
                } catch (RuntimeException | LinkageError e) {
                    LOG.error("Subscription table listener from {} failed on filter {}.", origin, filter, e);
                }
            }
            draining.set(false);
            schedule(); // an event added after the last poll and before the flag cleared
        }
    }
}
