package io.culex.core.internal;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

import io.culex.api.BrokerStatistics;

/**
 * The broker's counters. Striped adders: each event loop increments without contention.
 */
public final class Stats {

    private final long startedAtMillis = System.currentTimeMillis();
    private final LongAdder publishReceived = new LongAdder();
    private final LongAdder publishSent = new LongAdder();
    private final LongAdder publishDropped = new LongAdder();
    private final LongAdder publishersPaused = new LongAdder();
    private final LongAdder bytesReceived = new LongAdder();
    private final LongAdder bytesSent = new LongAdder();
    private final AtomicLong connected = new AtomicLong();
    private final AtomicLong maximumConnected = new AtomicLong();

    public void publishReceived() {
        publishReceived.increment();
    }

    public void publishSent() {
        publishSent.increment();
    }

    public void publishDropped() {
        publishDropped.increment();
    }

    /** Flow control paused a connection's PUBLISH input because a subscriber it feeds was congested. */
    public void publisherPaused() {
        publishersPaused.increment();
    }

    /** @return how often flow control paused a publisher */
    public long publishersPaused() {
        return publishersPaused.sum();
    }

    /** @return messages dropped so far (queue limits, size limits) */
    public long droppedMessages() {
        return publishDropped.sum();
    }

    public void bytesReceived(long n) {
        bytesReceived.add(n);
    }

    public void bytesSent(long n) {
        bytesSent.add(n);
    }

    public void clientConnected() {
        long now = connected.incrementAndGet();
        maximumConnected.accumulateAndGet(now, Math::max);
    }

    public void clientDisconnected() {
        connected.decrementAndGet();
    }

    /** @return a snapshot; the counters that live elsewhere (sessions, retained, subscriptions) are passed in */
    public BrokerStatistics snapshot(long sessions, long retained, long subscriptions) {
        long c = connected.get();
        long max = maximumConnected.get();
        long received = publishReceived.sum();
        long sent = publishSent.sum();
        long dropped = publishDropped.sum();
        long in = bytesReceived.sum();
        long out = bytesSent.sum();
        long uptime = (System.currentTimeMillis() - startedAtMillis) / 1000;
        return new BrokerStatistics() {
            @Override public long connectedClients() { return c; }
            @Override public long sessions() { return sessions; }
            @Override public long maximumConnectedClients() { return max; }
            @Override public long publishReceived() { return received; }
            @Override public long publishSent() { return sent; }
            @Override public long publishDropped() { return dropped; }
            @Override public long bytesReceived() { return in; }
            @Override public long bytesSent() { return out; }
            @Override public long retainedMessages() { return retained; }
            @Override public long subscriptions() { return subscriptions; }
            @Override public long uptimeSeconds() { return uptime; }
            @Override public String toString() {
                return "connected=" + c + " sessions=" + sessions + " received=" + received + " sent=" + sent
                        + " dropped=" + dropped + " retained=" + retained + " subscriptions=" + subscriptions;
            }
        };
    }
}
