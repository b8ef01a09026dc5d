package io.culex.core.internal.metrics;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

import io.culex.api.BrokerStatistics;
import io.culex.core.internal.routing.StoredMessages;

/**
 * The broker's counters. Striped adders: each event loop increments without contention.
 */
public final class Stats {

    private final long startedAtMillis = System.currentTimeMillis();
    private final LongAdder publishReceived = new LongAdder();
    private final LongAdder publishSent = new LongAdder();
    private final LongAdder publishDropped = new LongAdder();
    private final LongAdder publishersPaused = new LongAdder();
    private final LongAdder packetsReceived = new LongAdder();
    private final LongAdder controlPacketsSent = new LongAdder();
    private final LongAdder publishBytesReceived = new LongAdder();
    private final LongAdder publishBytesSent = new LongAdder();
    private final LongAdder expired = new LongAdder();
    private final LongAdder bytesReceived = new LongAdder();
    private final LongAdder bytesSent = new LongAdder();
    private final LongAdder socketsAccepted = new LongAdder();
    private final LongAdder connectsReceived = new LongAdder();
    private final LongAdder internalErrors = new LongAdder();
    private final AtomicLong connected = new AtomicLong();
    private final AtomicLong maximumConnected = new AtomicLong();

    /** A PUBLISH with this many payload bytes was written to a client. */
    public void publishSent(int payloadBytes) {
        publishSent.increment();
        publishBytesSent.add(payloadBytes);
    }

    /** A PUBLISH with this many payload bytes arrived from a client. */
    public void publishReceived(int payloadBytes) {
        publishReceived.increment();
        publishBytesReceived.add(payloadBytes);
    }

    /** An MQTT packet of any kind arrived from a client. */
    public void packetReceived() {
        packetsReceived.increment();
    }

    /** A packet other than PUBLISH was written to a client (acknowledgements, CONNACK, SUBACK, PINGRESP, ...). */
    public void controlPacketSent() {
        controlPacketsSent.increment();
    }

    /** A session expired. */
    public void sessionExpired() {
        expired.increment();
    }

    /** An exception escaped the handling of a connection's packet or event: a bug of ours cost that connection. */
    public void internalError() {
        internalErrors.increment();
    }

    public long internalErrors() {
        return internalErrors.sum();
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

    /** A network connection was accepted on a listener. */
    public void socketAccepted() {
        socketsAccepted.increment();
    }

    /** A CONNECT packet arrived (whether or not the client is then let in). */
    public void connectReceived() {
        connectsReceived.increment();
    }

    public void clientConnected() {
        long now = connected.incrementAndGet();
        maximumConnected.accumulateAndGet(now, Math::max);
    }

    public void clientDisconnected() {
        connected.decrementAndGet();
    }

    /**
     * @return a snapshot; the counters that live elsewhere (sessions, retained, subscriptions) are passed in
     */
    public BrokerStatistics snapshot(long sessions, long retained, long subscriptions, long sharedSubscriptions) {
        return new Snapshot(this, sessions, retained, subscriptions, sharedSubscriptions);
    }

    /** The counters at one moment (each exact; not taken atomically as a set). */
    private static final class Snapshot implements BrokerStatistics {
        private final long connected;
        private final long maximumConnected;
        private final long sessions;
        private final long publishReceived;
        private final long publishSent;
        private final long publishDropped;
        private final long bytesReceived;
        private final long bytesSent;
        private final long retained;
        private final long subscriptions;
        private final long sharedSubscriptions;
        private final long uptime;
        private final long expired;
        private final long packetsReceived;
        private final long packetsSent;
        private final long publishBytesReceived;
        private final long publishBytesSent;
        private final long storedMessages;
        private final long storedMessageBytes;
        private final long socketConnections;
        private final long connectPackets;

        Snapshot(Stats s, long sessions, long retained, long subscriptions, long sharedSubscriptions) {
            this.connected = s.connected.get();
            this.maximumConnected = s.maximumConnected.get();
            this.sessions = sessions;
            this.publishReceived = s.publishReceived.sum();
            this.publishSent = s.publishSent.sum();
            this.publishDropped = s.publishDropped.sum();
            this.bytesReceived = s.bytesReceived.sum();
            this.bytesSent = s.bytesSent.sum();
            this.retained = retained;
            this.subscriptions = subscriptions;
            this.sharedSubscriptions = sharedSubscriptions;
            this.uptime = (System.currentTimeMillis() - s.startedAtMillis) / 1000;
            this.expired = s.expired.sum();
            this.packetsReceived = s.packetsReceived.sum();
            this.packetsSent = publishSent + s.controlPacketsSent.sum();
            this.publishBytesReceived = s.publishBytesReceived.sum();
            this.publishBytesSent = s.publishBytesSent.sum();
            this.storedMessages = StoredMessages.count();
            this.storedMessageBytes = StoredMessages.bytes();
            this.socketConnections = s.socketsAccepted.sum();
            this.connectPackets = s.connectsReceived.sum();
        }

        @Override public long connectedClients() { return connected; }
        @Override public long sessions() { return sessions; }
        @Override public long maximumConnectedClients() { return maximumConnected; }
        @Override public long publishReceived() { return publishReceived; }
        @Override public long publishSent() { return publishSent; }
        @Override public long publishDropped() { return publishDropped; }
        @Override public long bytesReceived() { return bytesReceived; }
        @Override public long bytesSent() { return bytesSent; }
        @Override public long retainedMessages() { return retained; }
        @Override public long subscriptions() { return subscriptions; }
        @Override public long uptimeSeconds() { return uptime; }
        @Override public long disconnectedClients() { return Math.max(0, sessions - connected); }
        @Override public long expiredClients() { return expired; }
        @Override public long messagesReceived() { return packetsReceived; }
        @Override public long messagesSent() { return packetsSent; }
        @Override public long publishBytesReceived() { return publishBytesReceived; }
        @Override public long publishBytesSent() { return publishBytesSent; }
        @Override public long sharedSubscriptions() { return sharedSubscriptions; }
        @Override public long storedMessages() { return storedMessages; }
        @Override public long storedMessageBytes() { return storedMessageBytes; }
        @Override public long socketConnections() { return socketConnections; }
        @Override public long connectPackets() { return connectPackets; }

        @Override
        public String toString() {
            return "connected=" + connected + " sessions=" + sessions + " received=" + publishReceived + " sent="
                    + publishSent + " dropped=" + publishDropped + " retained=" + retained + " subscriptions="
                    + subscriptions;
        }
    }
}
