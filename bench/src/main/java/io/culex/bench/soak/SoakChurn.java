package io.culex.bench.soak;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Connection churn: short-lived clean-session clients, their ids drawn from a small pool so that two threads
 * sometimes use one id at the same moment (session takeover). Each connects (half of them with a will), subscribes
 * to the retained topics and takes what the broker sends for a moment, publishes one QoS 1 message, and leaves,
 * half of them cleanly and half by dropping the socket (the will is then published).
 */
final class SoakChurn {

    private static final int IDS = 20;

    private final Soak.Settings settings;
    private final int threads;
    private volatile boolean running = true;
    /**
     * The cycles under way per id. A cycle that overlapped another with its id may have been taken over (the
     * broker's order of two CONNECTs is not ours), so a close of it by the broker is not counted as a failure.
     */
    private final ConcurrentHashMap<String, Set<Cycle>> active = new ConcurrentHashMap<>();
    private final AtomicLong cycleNumbers = new AtomicLong();

    private static final class Cycle {
        volatile boolean overlapped;
    }

    final AtomicLong connects = new AtomicLong();
    final AtomicLong abrupt = new AtomicLong();
    final AtomicLong withWill = new AtomicLong();
    final AtomicLong takenOver = new AtomicLong();
    final AtomicLong retainedReceived = new AtomicLong();
    final AtomicLong failures = new AtomicLong();

    SoakChurn(Soak.Settings settings, int threads) {
        this.settings = settings;
        this.threads = threads;
    }

    void start() {
        for (int i = 0; i < threads; i++) {
            Thread t = new Thread(this::run, "soak-churn-" + i);
            t.setDaemon(true);
            t.start();
        }
    }

    void stop() {
        running = false;
    }

    private void run() {
        while (running) {
            long cycle = cycleNumbers.incrementAndGet();
            String id = "soak-churn-" + ThreadLocalRandom.current().nextInt(IDS);
            boolean will = ThreadLocalRandom.current().nextBoolean();
            Cycle me = new Cycle();
            Set<Cycle> sameId = active.computeIfAbsent(id, k -> ConcurrentHashMap.newKeySet());
            synchronized (sameId) {
                for (Cycle other : sameId) {
                    other.overlapped = true;
                    me.overlapped = true;
                }
                sameId.add(me);
            }
            try {
                oneCycle(id, cycle, will);
            } catch (IOException e) {
                if (me.overlapped) {
                    takenOver.incrementAndGet();
                } else {
                    failures.incrementAndGet();
                    Soak.log(id + ": " + e);
                }
            } catch (Exception e) {
                failures.incrementAndGet();
                Soak.log(id + ": " + e);
            } finally {
                synchronized (sameId) {
                    sameId.remove(me);
                }
            }
        }
    }

    private void oneCycle(String id, long cycle, boolean will) throws Exception {
        SoakConnection.Will w = will ? new SoakConnection.Will("soak/will/" + id,
                ("gone " + cycle).getBytes(StandardCharsets.UTF_8), 1, false) : null;
        SoakConnection c = SoakConnection.connect(settings.host, settings.port, id, true, 10, w);
        connects.incrementAndGet();
        if (will) {
            withWill.incrementAndGet();
        }
        CompletableFuture<Void> suback = new CompletableFuture<>();
        CompletableFuture<Void> puback = new CompletableFuture<>();
        CompletableFuture<IOException> closed = new CompletableFuture<>();
        c.start(new SoakConnection.Handler() {
            @Override
            public void packet(SoakConnection connection, int type, int flags, byte[] body) throws IOException {
                if (type == SoakConnection.SUBACK) {
                    suback.complete(null);
                } else if (type == SoakConnection.PUBACK) {
                    puback.complete(null);
                } else if (type == SoakConnection.PUBLISH) {
                    retainedReceived.incrementAndGet();
                    int qos = (flags >>> 1) & 3;
                    if (qos == 1) {
                        int topicLength = SoakConnection.packetId(body, 0);
                        connection.ack(SoakConnection.PUBACK, SoakConnection.packetId(body, 2 + topicLength));
                    }
                }
            }

            @Override
            public void closed(SoakConnection connection, IOException cause) {
                closed.complete(cause);
                suback.completeExceptionally(new IOException("closed", cause));
                puback.completeExceptionally(new IOException("closed", cause));
            }
        }, id + "-reader");
        try {
            c.subscribe(1, "soak/retained/#", 1);
            await(suback);
            c.publish(SoakConnection.utf8("soak/churn/" + id), SoakConnection.utf8("hello " + cycle), 1, 2,
                    false, false);
            c.flush();
            await(puback);
            Thread.sleep(ThreadLocalRandom.current().nextLong(50, 300));
            if (closed.isDone()) {
                throw new IOException("closed by the broker", closed.getNow(null));
            }
            if (ThreadLocalRandom.current().nextBoolean()) {
                abrupt.incrementAndGet();
                c.abort();
            } else {
                c.disconnect();
            }
        } finally {
            c.abort();
        }
    }

    private static void await(CompletableFuture<Void> f) throws Exception {
        try {
            f.get(10, TimeUnit.SECONDS);
        } catch (java.util.concurrent.ExecutionException e) {
            throw e.getCause() instanceof IOException io ? io : new IOException(e.getCause());
        }
    }
}
