package io.culex.core.internal.messaging;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.culex.api.InternalSubscription;
import io.culex.api.MessageConsumer;
import io.culex.api.MessageSelector;
import io.culex.core.internal.engine.Engine;
import io.culex.core.internal.routing.Backlog;
import io.culex.core.internal.routing.Message;
import io.culex.core.internal.routing.Settlement;
import io.culex.core.internal.routing.Subscriber;
import io.culex.core.internal.routing.Subscription;
import io.culex.core.internal.settings.BrokerSettings;
import io.netty.channel.EventLoop;

/**
 * A bundle's subscription inside the broker: a {@link Subscriber} like a client's session, but its deliveries go to
 * a {@link MessageConsumer} as {@link Delivery} objects instead of to a socket.
 *
 * <p>Every delivery given to the consumer and not completed counts in its {@link Backlog} the way a session's queue
 * does, so a consumer that falls behind pauses the publishers that feed it; at {@code max_queued_messages} pending
 * the next messages are dropped and counted. All state belongs to one event loop, chosen at creation; completions
 * from other threads are handed to it.
 */
public final class InternalSubscriber implements Subscriber, InternalSubscription {

    private static final Logger LOG = LoggerFactory.getLogger(InternalSubscriber.class);

    private final Engine engine;
    private final String filter;
    private final String origin;
    private final MessageConsumer consumer;
    /** {@code null}: every matching message, counted */
    private final MessageSelector selector;
    private final AtomicLong selectorFailures = new AtomicLong();
    private final EventLoop loop;
    private final Backlog backlog;
    private final Subscription subscription;
    private final boolean listed;
    private final boolean holdsAcknowledgement;
    /** Deliveries given to the consumer and not completed, on the loop. */
    private final Map<Delivery, Boolean> pending = new IdentityHashMap<>();
    private volatile int pendingCount;
    private long pendingBytes;
    private final AtomicLong dropped = new AtomicLong();
    private volatile boolean closed;
    private Runnable onClose = () -> { };

    InternalSubscriber(Engine engine, String filter, int qos, String origin, boolean noLocal,
                       boolean retainAsPublished, boolean listed, boolean holdsAcknowledgement,
                       MessageSelector selector, MessageConsumer consumer) {
        this.selector = selector;
        this.engine = engine;
        this.listed = listed;
        this.holdsAcknowledgement = holdsAcknowledgement;
        this.filter = filter;
        this.origin = origin;
        this.consumer = consumer;
        this.loop = engine.eventLoops().workers().next();
        this.backlog = new Backlog(name());
        BrokerSettings settings = engine.settings();
        backlog.limits(settings.maxQueuedMessages, settings.maxQueuedBytes);
        this.subscription = new Subscription(this, filter, qos, noLocal, retainAsPublished, 0, 0);
    }

    @Override
    public boolean listed() {
        return listed;
    }

    /** @param action run once when the subscription closes (its owner forgets it) */
    public void onClose(Runnable action) {
        onClose = action;
    }

    /** Enter the subscription tree, then send the retained messages the filter matches (on the loop). */
    void start(boolean sendRetained) {
        if (holdsAcknowledgement) {
            engine.acknowledgementHolders(1);
        }
        engine.subscriptions().subscribe(subscription);
        if (sendRetained) {
            loop.execute(this::sendRetained);
        }
    }

    private void sendRetained() {
        List<Message> retained = new ArrayList<>();
        engine.retained().match(filter, retained);
        for (Message m : retained) {
            try {
                if (!closed && interest(m) != Interest.DECLINES) {
                    give(m, Math.min(m.qos(), subscription.qos()), true);
                }
            } finally {
                m.release();
            }
        }
    }

    private String name() {
        return "internal subscription '" + filter + "'" + (origin == null ? "" : " of " + origin);
    }

    // ---------------------------------------------------------------- Subscriber

    @Override
    public EventLoop loop() {
        return loop;
    }

    @Override
    public String clientId() {
        return origin;
    }

    @Override
    public boolean isClientSession() {
        return false;
    }

    @Override
    public boolean isOnline() {
        return !closed;
    }

    @Override
    public Backlog backlog() {
        return backlog;
    }

    @Override
    public int subscriptionCount() {
        return 1;
    }

    @Override
    public Interest interest(Message message) {
        if (selector == null) {
            return Interest.TAKES;
        }
        MessageSelector.Selection selection;
        try {
            selection = selector.select(message.topic(), message.isRetain());
        } catch (RuntimeException | LinkageError e) {
            // delivering is the side that loses nothing; the consumer sees the message and decides
            if (selectorFailures.getAndIncrement() == 0 || LOG.isDebugEnabled()) {
                LOG.error("The selector of {} failed on a message to {}; delivering it: {}", name(),
                        message.topic(), e.toString(), e);
            }
            return Interest.TAKES;
        }
        if (selection == MessageSelector.Selection.SKIP) {
            return Interest.DECLINES;
        }
        return selection == MessageSelector.Selection.OBSERVE ? Interest.OBSERVES : Interest.TAKES;
    }

    @Override
    public void deliver(Message message, Subscription matched) {
        if (Subscriber.handedToOwnLoop(this, message, matched)) {
            return;
        }
        if (closed || (message.hasExpiry() && message.isExpired(System.nanoTime()))) {
            return;
        }
        BrokerSettings settings = engine.settings();
        int qos = settings.upgradeOutgoingQos ? matched.qos() : Math.min(message.qos(), matched.qos());
        give(message, qos, matched.retainAsPublished() && message.isRetain());
    }

    private void give(Message message, int qos, boolean retainFlag) {
        BrokerSettings settings = engine.settings();
        backlog.limits(settings.maxQueuedMessages, settings.maxQueuedBytes);
        if (settings.isQueueFull(pending.size(), pendingBytes, message.payloadSize())) {
            if (dropped.getAndIncrement() == 0 || LOG.isDebugEnabled()) {
                LOG.info("Outgoing messages are being dropped for {}.", name());
            }
            engine.stats().publishDropped();
            return;
        }
        Settlement held = holdsAcknowledgement && message.qos() > 0 ? message.settlement() : null;
        Delivery delivery = new Delivery(this, message.retain(), qos, retainFlag, held);
        pending.put(delivery, Boolean.TRUE);
        pendingBytes += message.payloadSize();
        updateBacklog();
        try {
            consumer.onMessage(delivery);
        } catch (RuntimeException | LinkageError e) {
            LOG.error("The consumer of {} failed on a message to {}: {}", name(), message.topic(), e.toString(), e);
            delivery.complete();
        }
    }

    /** A delivery was completed (any thread). */
    void completed(Delivery delivery) {
        if (!loop.inEventLoop()) {
            loop.execute(() -> completed(delivery));
            return;
        }
        if (pending.remove(delivery) != null) {
            pendingBytes -= delivery.size();
            delivery.release();
            updateBacklog();
        }
    }

    private void updateBacklog() {
        pendingCount = pending.size();
        backlog.queued(pending.size(), pendingBytes);
    }

    // ---------------------------------------------------------------- InternalSubscription

    @Override
    public String filter() {
        return filter;
    }

    @Override
    public int pending() {
        return pendingCount;
    }

    @Override
    public long dropped() {
        return dropped.get();
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        engine.subscriptions().unsubscribe(this, subscription.key());
        if (holdsAcknowledgement) {
            engine.acknowledgementHolders(-1);
        }
        Runnable forget = onClose;
        forget.run();
        try {
            loop.execute(this::releasePending);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            // the broker is stopping: its loops release nothing more; the messages go with the heap
        }
    }

    private void releasePending() {
        for (Delivery d : pending.keySet()) {
            d.abandon();
        }
        pending.clear();
        pendingBytes = 0;
        updateBacklog(); // publishers waiting for this subscription go on
    }

    @Override
    public String toString() {
        return name();
    }
}
