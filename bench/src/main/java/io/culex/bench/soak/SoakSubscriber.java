package io.culex.bench.soak;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.BitSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A subscriber that records which sequence number of which publisher it got (bit sets), acknowledges QoS 1 and
 * runs the receiving side of QoS 2 with its own session state: the packet ids it has PUBREC'ed and not yet seen
 * PUBREL for, kept across reconnections of a persistent session, so a redelivered QoS 2 PUBLISH is recognised and
 * not counted twice. A churning subscriber disconnects at random moments (cleanly or by dropping the socket, so
 * messages it got may be unacknowledged) and reconnects to its persistent session after a few seconds offline,
 * without subscribing again: the broker must have kept the subscription and queued what came meanwhile.
 */
final class SoakSubscriber implements SoakConnection.Handler {

    final String clientId;
    final String filter;
    final int qos;
    final boolean persistent;
    private final boolean churn;
    private final Soak.Settings settings;

    // guarded by this
    private final Map<Integer, BitSet> received = new HashMap<>();
    private final Map<Integer, Long> highest = new HashMap<>();
    private final Set<Integer> awaitingRelease = new HashSet<>();
    private long deliveries;
    private long duplicates;
    private long outOfOrder;
    private long redeliveredQos2;
    private CompletableFuture<Void> subscribed = new CompletableFuture<>();

    final AtomicLong connects = new AtomicLong();
    final AtomicLong drops = new AtomicLong();
    final AtomicLong sessionsLost = new AtomicLong();
    final AtomicLong unexpected = new AtomicLong();
    private final Object steadyLock = new Object();
    private volatile boolean steady;
    private volatile boolean running = true;
    private volatile SoakConnection connection;
    final CompletableFuture<Void> firstSubscribed = new CompletableFuture<>();

    SoakSubscriber(Soak.Settings settings, String clientId, String filter, int qos, boolean persistent,
                   boolean churn) {
        this.settings = settings;
        this.clientId = clientId;
        this.filter = filter;
        this.qos = qos;
        this.persistent = persistent;
        this.churn = churn;
        this.steady = !churn;
    }

    void start() {
        Thread t = new Thread(this::run, clientId);
        t.setDaemon(true);
        t.start();
    }

    private void run() {
        boolean first = true;
        while (running) {
            try {
                SoakConnection c = SoakConnection.connect(settings.host, settings.port, clientId, !persistent, 30,
                        null);
                connects.incrementAndGet();
                CompletableFuture<Void> suback;
                synchronized (this) {
                    if (!c.sessionPresent) {
                        awaitingRelease.clear();
                        if (!first && persistent) {
                            sessionsLost.incrementAndGet();
                            Soak.log(clientId + ": the broker did not keep the session");
                        }
                    }
                    subscribed = new CompletableFuture<>();
                    suback = subscribed;
                }
                connection = c;
                settings.live.add(c);
                c.start(this, clientId + "-reader");
                if (!c.sessionPresent) {
                    c.subscribe(1, filter, qos);
                    suback.get(15, TimeUnit.SECONDS);
                }
                if (first) {
                    firstSubscribed.complete(null);
                }
                first = false;
                sleepUnlessSteady(ThreadLocalRandom.current().nextLong(settings.churnMinSeconds * 1000L,
                        settings.churnMaxSeconds * 1000L + 1));
                while (steady && running && c.isOpen()) {
                    synchronized (steadyLock) {
                        steadyLock.wait(1_000);
                    }
                }
                settings.live.remove(c);
                if (!running) {
                    c.disconnect();
                    return;
                }
                if (!c.isOpen()) {
                    continue; // closed by the broker: counted by closed(); reconnect at once
                }
                if (ThreadLocalRandom.current().nextBoolean()) {
                    drops.incrementAndGet();
                    c.abort();
                } else {
                    c.disconnect();
                }
                sleepUnlessSteady(ThreadLocalRandom.current().nextLong(500, settings.offlineMaxMillis + 1));
            } catch (Exception e) {
                if (e instanceof InterruptedException) {
                    return;
                }
                unexpected.incrementAndGet();
                Soak.log(clientId + ": " + e);
                SoakPublisher.pause(1_000);
            }
        }
    }

    private void sleepUnlessSteady(long millis) throws InterruptedException {
        long deadline = System.currentTimeMillis() + millis;
        synchronized (steadyLock) {
            while (!steady && running) {
                long left = deadline - System.currentTimeMillis();
                if (left <= 0) {
                    return;
                }
                steadyLock.wait(left);
            }
        }
    }

    /** Stop churning: from now on stay (or get) connected. */
    void holdSteady() {
        steady = true;
        synchronized (steadyLock) {
            steadyLock.notifyAll();
        }
    }

    void stop() {
        running = false;
        holdSteady();
        SoakConnection c = connection;
        if (c != null) {
            c.disconnect();
        }
    }

    @Override
    public void packet(SoakConnection c, int type, int flags, byte[] body) throws IOException {
        switch (type) {
            case SoakConnection.PUBLISH -> onPublish(c, flags, body);
            case SoakConnection.PUBREL -> {
                int id = SoakConnection.packetId(body, 0);
                synchronized (this) {
                    awaitingRelease.remove(id);
                }
                c.ack(SoakConnection.PUBCOMP, id);
            }
            case SoakConnection.SUBACK -> {
                CompletableFuture<Void> f;
                synchronized (this) {
                    f = subscribed;
                }
                if ((body[body.length - 1] & 0xFF) >= 0x80) {
                    f.completeExceptionally(new IOException(clientId + ": subscription refused"));
                } else {
                    f.complete(null);
                }
            }
            case SoakConnection.PINGRESP -> {
            }
            default -> {
                unexpected.incrementAndGet();
                Soak.log(clientId + ": unexpected packet type " + type);
            }
        }
    }

    private void onPublish(SoakConnection c, int flags, byte[] body) throws IOException {
        int messageQos = (flags >>> 1) & 3;
        int topicLength = SoakConnection.packetId(body, 0);
        int pos = 2 + topicLength;
        int id = 0;
        if (messageQos > 0) {
            id = SoakConnection.packetId(body, pos);
            pos += 2;
        }
        synchronized (this) {
            boolean count = true;
            if (messageQos == 2) {
                count = awaitingRelease.add(id);
                if (!count) {
                    redeliveredQos2++;
                }
            }
            if (count && body.length - pos >= 12) {
                ByteBuffer payload = ByteBuffer.wrap(body, pos, body.length - pos);
                record(payload.getInt(), payload.getLong());
            }
        }
        if (messageQos == 1) {
            c.ack(SoakConnection.PUBACK, id);
        } else if (messageQos == 2) {
            c.ack(SoakConnection.PUBREC, id);
        }
    }

    private void record(int publisher, long seq) {
        BitSet got = received.computeIfAbsent(publisher, p -> new BitSet());
        if (got.get((int) seq)) {
            duplicates++;
            return;
        }
        got.set((int) seq);
        deliveries++;
        Long top = highest.get(publisher);
        if (top != null && seq < top) {
            outOfOrder++;
        } else {
            highest.put(publisher, seq);
        }
    }

    @Override
    public void closed(SoakConnection c, IOException cause) {
        if (cause != null && running) {
            unexpected.incrementAndGet();
            Soak.log(clientId + ": connection lost: " + cause);
        }
        synchronized (this) {
            subscribed.completeExceptionally(new IOException(clientId + ": closed"));
        }
        synchronized (steadyLock) {
            steadyLock.notifyAll();
        }
    }

    // ---------------------------------------------------------------- figures

    synchronized long deliveries() {
        return deliveries;
    }

    synchronized long duplicates() {
        return duplicates;
    }

    synchronized long outOfOrder() {
        return outOfOrder;
    }

    synchronized long redeliveredQos2() {
        return redeliveredQos2;
    }

    /** @return how many of the publisher's sequence numbers below the prefix this subscriber has not got */
    synchronized long missingBelow(SoakPublisher publisher, long prefix) {
        BitSet got = received.get(publisher.index);
        long have = got == null ? 0 : got.get(0, (int) prefix).cardinality();
        return prefix - have;
    }

    /** @return how many of the expected sequence numbers this subscriber has not got */
    synchronized long missing(SoakPublisher publisher, BitSet expected) {
        BitSet missing = (BitSet) expected.clone();
        BitSet got = received.get(publisher.index);
        if (got != null) {
            missing.andNot(got);
        }
        return missing.cardinality();
    }
}
