package io.culex.bench.soak;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A publisher at a fixed rate, with at most {@link #WINDOW} QoS 1/2 messages unacknowledged. The payload carries
 * its number and a sequence number (then zero padding of a varying size), so subscribers know exactly what they
 * got. QoS 1/2 publishers keep a persistent session and, at random moments, disconnect (cleanly or by dropping the
 * socket) and come back: after a drop they resend what was not acknowledged, with DUP (and PUBREL where PUBREC
 * came), as a client must. Which sequence numbers the broker acknowledged (PUBACK, or PUBREC for QoS 2) is what
 * subscribers are checked against.
 */
final class SoakPublisher implements SoakConnection.Handler {

    static final int WINDOW = 20;
    private static final long TICK_NANOS = TimeUnit.MILLISECONDS.toNanos(10);

    final int index;
    final int qos;
    final String clientId;
    private final byte[] topic;
    private final int rate;
    private final boolean churn;
    private final Soak.Settings settings;
    /** Retained-message publisher: topic {@code <base>/<seq % retainedTopics>}, retain flag, some empty payloads. */
    private final int retainedTopics;

    // guarded by this
    private long nextSeq;
    private final BitSet acked = new BitSet();
    private long ackedPrefix;
    private final LinkedHashMap<Integer, Inflight> inflight = new LinkedHashMap<>();
    private int nextPacketId = 1;
    private SoakConnection connection;
    /** (time, prefix) pairs: every sequence number below prefix was acknowledged by that time. */
    private final List<long[]> checkpoints = new ArrayList<>();

    final AtomicLong resent = new AtomicLong();
    final AtomicLong connects = new AtomicLong();
    final AtomicLong drops = new AtomicLong();
    final AtomicLong sessionsLost = new AtomicLong();
    final AtomicLong unexpected = new AtomicLong();
    private volatile boolean running = true;
    private volatile Thread thread;

    private static final class Inflight {
        final long seq;
        final byte[] topic;
        final byte[] payload;
        boolean received; // PUBREC came (QoS 2)

        Inflight(long seq, byte[] topic, byte[] payload) {
            this.seq = seq;
            this.topic = topic;
            this.payload = payload;
        }
    }

    SoakPublisher(Soak.Settings settings, int index, int qos, String topic, int rate, boolean churn,
                  int retainedTopics) {
        this.settings = settings;
        this.index = index;
        this.qos = qos;
        this.clientId = "soak-pub-" + index;
        this.topic = SoakConnection.utf8(topic);
        this.rate = rate;
        this.churn = churn;
        this.retainedTopics = retainedTopics;
    }

    void start() {
        thread = new Thread(this::run, clientId);
        thread.setDaemon(true);
        thread.start();
    }

    /** Stop publishing; waits (bounded) until what is in flight is acknowledged, then disconnects. */
    void stop() throws InterruptedException {
        running = false;
        Thread t = thread;
        if (t != null) {
            t.join(30_000);
        }
    }

    private void run() {
        boolean first = true;
        while (running) {
            try {
                SoakConnection c = SoakConnection.connect(settings.host, settings.port, clientId,
                        qos == 0 || retainedTopics > 0, 30, null);
                connects.incrementAndGet();
                synchronized (this) {
                    connection = c;
                    if (!first && qos > 0 && retainedTopics == 0 && !c.sessionPresent) {
                        sessionsLost.incrementAndGet();
                    }
                    resendInflight(c);
                }
                settings.live.add(c);
                c.start(this, clientId + "-reader");
                first = false;
                long until = churn ? System.nanoTime() + TimeUnit.SECONDS.toNanos(
                        ThreadLocalRandom.current().nextLong(settings.churnMinSeconds, settings.churnMaxSeconds + 1))
                        : Long.MAX_VALUE;
                publishUntil(c, until);
                settings.live.remove(c);
                if (!running) {
                    awaitAcknowledged(10_000);
                    c.disconnect();
                    return;
                }
                if (ThreadLocalRandom.current().nextBoolean()) {
                    drops.incrementAndGet();
                    c.abort(); // unacknowledged messages are resent after reconnecting
                } else {
                    awaitAcknowledged(5_000);
                    c.disconnect();
                }
                Thread.sleep(ThreadLocalRandom.current().nextLong(200, 2_000));
            } catch (IOException e) {
                unexpected.incrementAndGet();
                Soak.log(clientId + ": " + e);
                pause(1_000);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private void resendInflight(SoakConnection c) throws IOException {
        if (inflight.isEmpty()) {
            return;
        }
        if (!c.sessionPresent) {
            // clean session (or a session the broker did not keep): the packet ids start afresh; resend as new
            List<Inflight> again = new ArrayList<>(inflight.values());
            inflight.clear();
            for (Inflight i : again) {
                int id = nextId();
                inflight.put(id, i);
                c.publish(i.topic, i.payload, qos, id, false, retainedTopics > 0);
                resent.incrementAndGet();
            }
        } else {
            for (Map.Entry<Integer, Inflight> e : inflight.entrySet()) {
                Inflight i = e.getValue();
                if (i.received) {
                    c.ack(SoakConnection.PUBREL, e.getKey());
                } else {
                    c.publish(i.topic, i.payload, qos, e.getKey(), true, retainedTopics > 0);
                    resent.incrementAndGet();
                }
            }
        }
        c.flush();
    }

    private void publishUntil(SoakConnection c, long until) throws IOException, InterruptedException {
        long start = System.nanoTime();
        long sentHere = 0;
        while (running && c.isOpen() && System.nanoTime() < until) {
            long allowed = (long) ((System.nanoTime() - start) * (rate / 1e9)) + 1 - sentHere;
            synchronized (this) {
                int n = 0;
                while (n < allowed && (qos == 0 || inflight.size() < WINDOW)) {
                    publishOne(c);
                    n++;
                }
                sentHere += n;
                if (n > 0) {
                    c.flush();
                }
                if (qos > 0 && inflight.size() >= WINDOW && allowed > n) {
                    wait(TimeUnit.NANOSECONDS.toMillis(TICK_NANOS) + 1);
                    continue;
                }
            }
            Thread.sleep(TimeUnit.NANOSECONDS.toMillis(TICK_NANOS));
        }
    }

    private void publishOne(SoakConnection c) throws IOException {
        long seq = nextSeq++;
        byte[] t = topic;
        int padding = (int) (seq * 7919 % 1000);
        boolean delete = false;
        if (retainedTopics > 0) {
            t = SoakConnection.utf8(new String(topic, java.nio.charset.StandardCharsets.UTF_8) + "/"
                    + (seq % retainedTopics));
            delete = seq % 10 == 9;
        }
        byte[] payload = delete ? new byte[0] : ByteBuffer.allocate(12 + padding).putInt(index).putLong(seq).array();
        int id = 0;
        if (qos > 0) {
            id = nextId();
            inflight.put(id, new Inflight(seq, t, payload));
        }
        c.publish(t, payload, qos, id, false, retainedTopics > 0);
    }

    private int nextId() {
        while (true) {
            int id = nextPacketId;
            nextPacketId = id == 65535 ? 1 : id + 1;
            if (!inflight.containsKey(id)) {
                return id;
            }
        }
    }

    private synchronized void awaitAcknowledged(long millis) throws InterruptedException {
        long deadline = System.currentTimeMillis() + millis;
        while (!inflight.isEmpty() && connection != null && connection.isOpen()) {
            long left = deadline - System.currentTimeMillis();
            if (left <= 0) {
                return;
            }
            wait(left);
        }
    }

    @Override
    public void packet(SoakConnection c, int type, int flags, byte[] body) throws IOException {
        synchronized (this) {
            int id = SoakConnection.packetId(body, 0);
            Inflight i = inflight.get(id);
            if (type == SoakConnection.PUBACK && qos == 1 && i != null) {
                inflight.remove(id);
                markAcked(i.seq);
            } else if (type == SoakConnection.PUBREC && qos == 2 && i != null) {
                if (!i.received) {
                    i.received = true;
                    markAcked(i.seq);
                }
                c.ack(SoakConnection.PUBREL, id);
            } else if (type == SoakConnection.PUBCOMP && qos == 2 && i != null && i.received) {
                inflight.remove(id);
            } else if (type != SoakConnection.PINGRESP) {
                unexpected.incrementAndGet();
                Soak.log(clientId + ": unexpected packet " + type + " for id " + id);
            }
            notifyAll();
        }
    }

    private void markAcked(long seq) {
        acked.set((int) seq);
        while (acked.get((int) ackedPrefix)) {
            ackedPrefix++;
        }
    }

    @Override
    public void closed(SoakConnection c, IOException cause) {
        synchronized (this) {
            notifyAll();
        }
        if (cause != null && running) {
            unexpected.incrementAndGet();
            Soak.log(clientId + ": connection lost: " + cause);
        }
    }

    // ---------------------------------------------------------------- figures, for the reporter

    /** @return messages published so far, resends not counted */
    synchronized long sent() {
        return nextSeq;
    }

    /** Note the acknowledged prefix now (called once a second). */
    synchronized void checkpoint(long nowMillis) {
        checkpoints.add(new long[] {nowMillis, qos == 0 ? nextSeq : ackedPrefix});
    }

    /** @return a prefix of sequence numbers all acknowledged (all sent, for QoS 0) by the given time */
    synchronized long prefixAt(long millis) {
        long prefix = 0;
        for (long[] c : checkpoints) {
            if (c[0] > millis) {
                break;
            }
            prefix = c[1];
        }
        return prefix;
    }

    /** @return the sequence numbers a subscriber must have: acknowledged ones (QoS 0: every one sent) */
    synchronized BitSet expected() {
        if (qos == 0) {
            BitSet all = new BitSet();
            all.set(0, (int) nextSeq);
            return all;
        }
        return (BitSet) acked.clone();
    }

    static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Not used for the retained publisher's messages: their payloads carry no sequence number when empty. */
    boolean counted() {
        return retainedTopics == 0;
    }

    @Override
    public String toString() {
        return clientId;
    }
}
