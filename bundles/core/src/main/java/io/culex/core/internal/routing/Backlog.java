package io.culex.core.internal.routing;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How far one subscriber is behind, as the publishers feeding it see it: the messages handed to it from other event
 * loops and not yet taken, plus what its session holds queued while its client is connected.
 *
 * <p>At the high-water mark the subscriber is <em>congested</em>: a publisher whose message reaches it pauses
 * ({@link FlowSource#pause}) and waits here, and all waiters resume when the backlog is down to the low-water mark
 * (half the high mark). This is how a slow subscriber slows its publishers down instead of losing their messages,
 * and what bounds the hand-off between event loops: a publisher adds at most one message after the mark.
 *
 * <p>A subscriber that takes nothing for a while although publishers wait for it (a client that stopped reading)
 * is <em>stalled</em>: its waiters are resumed and it no longer pauses anyone until it has caught up again; from
 * then its queue limits ({@code max_queued_messages}/{@code max_queued_bytes}) decide what is dropped. Without
 * this, one client that stops reading would stop every publisher on its topics.
 *
 * <p>Threading: the queued part is written only by the subscriber's own loop ({@link #queued}); in-transit counts
 * and waiters may change on any loop. A waiter registers, then checks again (see {@link #await}), so a subscriber
 * that caught up in between cannot leave it paused.
 */
public final class Backlog {

    private static final Logger LOG = LoggerFactory.getLogger(Backlog.class);
    /** High-water mark when no queue limit is configured (Mosquitto's default {@code max_queued_messages}, 1000). */
    static final int DEFAULT_HIGH_MESSAGES = 500;

    private final String subscriberId;
    private final AtomicInteger inTransit = new AtomicInteger();
    /**
     * The payload bytes of the messages in transit. Without them a byte limit saw only what had reached the queue:
     * publishers on other loops could hand over up to the message mark (500 messages) while the queue held less than
     * its byte mark, and the session's queue then overflowed {@code max_queued_bytes} and dropped messages of a
     * client that was reading all along.
     */
    private final AtomicLong inTransitBytes = new AtomicLong();
    private volatile int queuedMessages;
    private volatile long queuedBytes;
    private volatile int highMessages = DEFAULT_HIGH_MESSAGES;
    private volatile long highBytes;
    private volatile boolean stalled;
    private volatile long lastProgressNanos;
    private volatile FlowSource owner;
    /**
     * The paused sources, a lock-free stack. Waking takes the whole stack at once, so a source that pauses again
     * while others are being woken waits for the next wake instead of being resumed at once by this one (which would
     * let it add message after message while the subscriber is congested).
     */
    private final AtomicReference<Waiter> waiters = new AtomicReference<>();

    /** @param subscriberId the client id, for the log */
    public Backlog(String subscriberId) {
        this.subscriberId = subscriberId;
    }

    /**
     * The high-water marks for the queue limits: half of each, so that the messages publishers add until they have
     * paused still fit.
     *
     * @param maxQueuedMessages {@code max_queued_messages}, 0 for no limit
     * @param maxQueuedBytes {@code max_queued_bytes}, 0 for no limit
     */
    public void limits(int maxQueuedMessages, long maxQueuedBytes) {
        int high = maxQueuedMessages > 0 ? Math.max(1, maxQueuedMessages / 2) : DEFAULT_HIGH_MESSAGES;
        if (high != highMessages) {
            highMessages = high;
        }
        long bytes = maxQueuedBytes > 0 ? Math.max(1, maxQueuedBytes / 2) : 0;
        if (bytes != highBytes) {
            highBytes = bytes;
        }
    }

    /**
     * The connection the subscriber's own client is on, or {@code null} while offline: a client is never paused by
     * its own backlog (it may be subscribed to what it publishes, and pausing it would hold back its acknowledgements).
     */
    public void owner(FlowSource connection) {
        owner = connection;
    }

    /** @return whether publishers that reach this subscriber should pause now */
    public boolean isCongested() {
        if (stalled) {
            return false;
        }
        long bytes = highBytes;
        return inTransit.get() + queuedMessages >= highMessages
                || (bytes > 0 && inTransitBytes.get() + queuedBytes >= bytes);
    }

    /** @return messages in transit to the subscriber plus those queued for its connected client */
    public int size() {
        return inTransit.get() + queuedMessages;
    }

    private boolean hasCaughtUp() {
        long bytes = highBytes;
        return inTransit.get() + queuedMessages <= highMessages / 2
                && (bytes == 0 || inTransitBytes.get() + queuedBytes <= bytes / 2);
    }

    /** A message with this many payload bytes was handed to the subscriber's loop from another loop (any thread). */
    void handedOver(int payloadBytes) {
        inTransit.incrementAndGet();
        inTransitBytes.addAndGet(payloadBytes);
    }

    /** A handed-over message reached the subscriber (on its loop): it is sent or queued now. */
    void taken(int payloadBytes) {
        inTransit.decrementAndGet();
        inTransitBytes.addAndGet(-payloadBytes);
        if (hasWaiters()) {
            lastProgressNanos = System.nanoTime();
        }
        wakeIfCaughtUp();
    }

    /**
     * What the session holds queued for its connected client (on the subscriber's loop); 0 while offline, where
     * only the queue limits apply.
     */
    public void queued(int messages, long bytes) {
        boolean less = messages < queuedMessages;
        queuedMessages = messages;
        queuedBytes = bytes;
        if (less) {
            if (hasWaiters()) {
                lastProgressNanos = System.nanoTime();
            }
            wakeIfCaughtUp();
        }
    }

    /**
     * Pause a source that routed a message here while congested, and register it to be resumed. Checks again after
     * registering: if the subscriber caught up in between, nobody else would wake it.
     */
    void await(FlowSource source) {
        if (source == owner) {
            return;
        }
        source.pause(this);
        Waiter top;
        Waiter added = new Waiter(source);
        do {
            top = waiters.get();
            added.next = top;
        } while (!waiters.compareAndSet(top, added));
        if (!isCongested()) {
            wakeAll();
        }
    }

    private void wakeIfCaughtUp() {
        if ((stalled || hasWaiters()) && hasCaughtUp()) {
            if (stalled) {
                stalled = false;
                LOG.debug("Client {} has caught up: it paces its publishers again.", subscriberId);
            }
            wakeAll();
        }
    }

    private void wakeAll() {
        for (Waiter w = waiters.getAndSet(null); w != null; w = w.next) {
            w.source.resume();
        }
    }

    private boolean hasWaiters() {
        return waiters.get() != null;
    }

    /** @return when the subscriber last took a message while publishers waited ({@link System#nanoTime()}) */
    public long lastProgressNanos() {
        return lastProgressNanos;
    }

    /**
     * A waiting source found that the subscriber took nothing for the stall time: stop pacing publishers by it and
     * resume every waiter.
     */
    public void stall() {
        if (!stalled) {
            stalled = true;
            LOG.info("Client {} is not taking messages: its publishers are no longer held back for it; messages "
                    + "beyond its queue limit are dropped.", subscriberId);
        }
        wakeAll();
    }

    /** @return whether the subscriber is stalled (for tests and statistics) */
    public boolean isStalled() {
        return stalled;
    }

    private static final class Waiter {
        final FlowSource source;
        Waiter next;

        Waiter(FlowSource source) {
            this.source = source;
        }
    }

    @Override
    public String toString() {
        return "Backlog[" + subscriberId + ": " + inTransit.get() + " in transit (" + inTransitBytes.get() + " bytes), "
                + queuedMessages + " queued (" + queuedBytes + " bytes), high " + highMessages
                + (highBytes > 0 ? " / " + highBytes + " bytes" : "") + (stalled ? ", stalled" : "") + "]";
    }
}
