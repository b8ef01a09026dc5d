package io.culex.itest.blackbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Issue 14, slow consumers, against the assembled broker as a process: publishers send as fast as the broker takes
 * their messages to subscribers that read slowly or not at all. The broker's resident memory ({@code VmRSS}) must
 * not grow with the traffic while its queues stay within {@code max_queued_bytes}; what does not fit is dropped
 * and counted ({@code $SYS/broker/publish/messages/dropped}), QoS 1 is queued up to the limit, and a subscriber
 * that reads slowly holds its publisher back (flow control) instead of the broker buffering for it.
 *
 * <p>The broker runs with a fixed, pre-touched heap ({@code -Xms=-Xmx}, {@code -XX:+AlwaysPreTouch}): its heap is
 * resident from the start, so RSS grows only with memory outside the heap: Netty's direct buffers, where queued
 * payloads live, the allocator's chunks and the JIT. Measured from the end of a warm-up; see {@link
 * #RSS_GROWTH_BOUND_KIB} for what RSS can and cannot tell. The in-process details (pause, stall, which message is
 * dropped) are in core's {@code FlowControlTest}.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SlowConsumerIT {

    private static final int PAYLOAD = 2048;
    private static final int MAX_QUEUED_BYTES = 1024 * 1024;
    /** What {@code max_queued_bytes} admits of these payloads: the byte limit binds before the message limit. */
    private static final int QUEUE_CAPACITY = MAX_QUEUED_BYTES / PAYLOAD;
    private static final int MAX_QUEUED_MESSAGES = 1000;
    private static final int MAX_INFLIGHT = 20;
    /**
     * Allowed RSS growth after warm-up. What the limits let the broker hold is small: the two stuck subscribers'
     * queues 2 MiB of payload, messages on their way between event loops (a few hundred, measured in process) about
     * as much again, 64 KiB of outbound buffer per connection. RSS cannot measure that finely, because Netty's
     * allocator does not hold only live buffers. Measured while writing this test (native memory tracking, a class
     * histogram and {@code /proc/<pid>/smaps} of the broker; the allocator's own metric in process): at one moment
     * 53 MiB of direct memory in 62 allocator chunks for 1,573 live messages (about 4 MiB), up to 98 MiB at other
     * moments (with the pooled allocator as well), and glibc keeps freed chunks and the JIT's compiler arenas
     * resident, so RSS rises in steps while the JVM's own accounts fall back. Seen in 4 to 6 s windows: +3 to +128
     * MiB sustained; over a minute RSS rose 75 MiB and flattened. So the bound is 256 MiB, and what makes it a
     * test is the traffic: the window lasts until the publishers sent 3 times the bound ({@link
     * #MEANINGFUL_BYTES}), all of it routed to the stuck subscribers, so a broker that kept what it could not
     * deliver would exceed the bound 3 times over (direct memory is allowed up to 1 GiB, so it would not die of
     * OutOfDirectMemoryError first). The limits themselves are checked exactly by counting messages: what the
     * stuck subscribers get afterwards, and the dropped counter.
     */
    private static final long RSS_GROWTH_BOUND_KIB = 256 * 1024;
    /** What the publishers must send in the window for the test to mean something: 3 times the bound. */
    private static final long MEANINGFUL_BYTES = 3 * RSS_GROWTH_BOUND_KIB * 1024;
    private static final long WARMUP_MILLIS = 3_000;

    private static CulexProcess culex;
    private static SysTreeWatcher sys;
    private static int port;

    @BeforeAll
    static void start() throws Exception {
        port = CulexProcess.freePort();
        // Netty's default (sampling) leak detection instead of PARANOID, which records a stack trace per buffer and
        // held the publishers to 20 MiB/s: too little traffic to tell a bounded queue from an unbounded one
        culex = CulexProcess.install().javaOptions("-Xms192m", "-Xmx192m", "-XX:+AlwaysPreTouch",
                "-XX:MaxDirectMemorySize=1g", "-Dio.netty.leakDetection.level=simple");
        Path conf = culex.writeConfig("slow.conf", "listener " + port + " 127.0.0.1\nallow_anonymous true\n"
                + "sys_interval 1\nconnection_messages false\n"
                + "max_queued_messages " + MAX_QUEUED_MESSAGES + "\nmax_queued_bytes " + MAX_QUEUED_BYTES + "\n"
                + "max_inflight_messages " + MAX_INFLIGHT + "\n");
        culex.startAndAwait(conf, port);
        sys = SysTreeWatcher.start(port);
        sys.await("publish/messages/dropped", "0");
    }

    @AfterAll
    static void stop() throws Exception {
        if (sys != null) {
            sys.close();
        }
        if (culex != null) {
            culex.close();
        }
    }

    /**
     * Two subscribers stop reading (their socket receive buffers fixed at 32 KiB), one at QoS 0 and one at QoS 1,
     * while a QoS 0 and a QoS 1 publisher send at full speed and a third subscriber takes everything. After the
     * stall time the stuck ones pace nobody; their queues fill to {@code max_queued_bytes} and stay there, what
     * does not fit is dropped and counted, and RSS stays flat. Then they read: the QoS 1 one gets exactly its
     * inflight window plus the queue's capacity, the oldest messages in order; the QoS 0 one the newest ones (the
     * oldest QoS 0 message makes room); and every message routed to them was either delivered or counted dropped.
     */
    @Test
    @Order(1)
    void subscribersThatStopReadingCostTheirQueueLimitAndTheRestIsDroppedAndCounted() throws Exception {
        long droppedBefore = sys.number("publish/messages/dropped");
        try (RawMqttClient stuck0 = RawMqttClient.connect(port, "stuck-qos0", 32 * 1024);
             RawMqttClient stuck1 = RawMqttClient.connect(port, "stuck-qos1", 32 * 1024);
             RawMqttClient reader = RawMqttClient.connect(port, "reader", 0);
             RawMqttClient pub0 = RawMqttClient.connect(port, "flood-qos0", 0);
             RawMqttClient pub1 = RawMqttClient.connect(port, "flood-qos1", 0)) {
            stuck0.subscribe("load/0", 0);
            stuck1.subscribe("load/1", 1);
            reader.subscribe("load/#", 1);
            Reader all = Reader.start(reader, 0);
            Publisher p0 = Publisher.start(pub0, "load/0", 0);
            Publisher p1 = Publisher.start(pub1, "load/1", 1);

            RssWindow rss = RssWindow.measure(WARMUP_MILLIS, 4_000, MEANINGFUL_BYTES, null, p0, p1);
            System.out.printf(Locale.ROOT, "[slow] stuck subscribers: %s%n", rss);
            rss.assertMeaningfulAndBounded();
            p0.stop();
            p1.stop();
            long sent0 = p0.sent.get();
            long sent1 = p1.sent.get();
            all.awaitCount("load/0", sent0);
            all.awaitCount("load/1", sent1);
            all.check();

            // the QoS 1 subscriber: its inflight window, then the queue up to max_queued_bytes, the oldest first
            long received1 = 0;
            for (int i = 0; i < MAX_INFLIGHT + QUEUE_CAPACITY; i++) {
                RawMqttClient.Packet p = stuck1.read();
                assertEquals("load/1", p.topic());
                assertEquals(1, p.qos());
                assertEquals(i, sequence(p), "QoS 1 message " + i + " of the stuck subscriber");
                stuck1.puback(p.packetId());
                stuck1.flush();
                received1++;
            }
            assertNull(stuck1.poll(500), "more than the inflight window and max_queued_bytes were kept for it");

            // the QoS 0 subscriber: what its socket held, then the newest messages, which pushed older ones out
            AtomicLong received0 = new AtomicLong();
            AtomicLong last0 = new AtomicLong(-1);
            CompletableFuture<Void> drained0 = drain(stuck0, received0, last0);
            long expectedDrops = sent0 + sent1 - received1;
            sys.await("publish/messages/dropped",
                    v -> Long.parseLong(v) - droppedBefore == expectedDrops - received0.get());
            assertEquals(sent0 - 1, last0.get(), "the QoS 0 subscriber's last message is the newest");
            assertTrue(received0.get() >= QUEUE_CAPACITY, "a full queue at the end: " + received0);
            assertFalse(drained0.isDone(), "the QoS 0 subscriber's messages were out of order: " + drained0);
            System.out.printf(Locale.ROOT, "[slow] sent %d QoS 0 and %d QoS 1 messages; dropped %d (QoS 0 %d, QoS 1 "
                    + "%d)%n", sent0, sent1, expectedDrops
                    - received0.get(), sent0 - received0.get(), sent1 - received1);
        }
        // one line per client and episode, not one per dropped message
        for (String client : new String[] {"stuck-qos0", "stuck-qos1"}) {
            String line = "Outgoing messages are being dropped for client " + client + ".";
            assertEquals(1, culex.log().lines().filter(l -> l.endsWith(line)).count(), line);
        }
        assertCleanLog();
    }

    /**
     * A subscriber that reads, but slowly (about 2,000 messages a second), while a QoS 0 publisher sends as fast as
     * the broker lets it: the broker stops reading the publisher (TCP pushes back), so the publisher gets ahead of
     * the subscriber by no more than the queue's high-water mark, the publisher's held packets and the socket
     * buffers; nothing is dropped, RSS stays flat, and once the subscriber reads at full speed it gets every message
     * in order.
     */
    @Test
    @Order(2)
    void aSlowSubscriberPacesThePublisherInsteadOfTheBrokerBuffering() throws Exception {
        long droppedBefore = sys.number("publish/messages/dropped");
        try (RawMqttClient slow = RawMqttClient.connect(port, "slow", 32 * 1024);
             RawMqttClient pub = RawMqttClient.connect(port, "fast", 0)) {
            slow.subscribe("paced", 0);
            Reader reader = Reader.start(slow, 2_000);
            Publisher publisher = Publisher.start(pub, "paced", 0);

            RssWindow rss = RssWindow.measure(2_000, 4_000, 0, () -> reader.count("paced"), publisher);
            long sentInWindow = rss.sentAtEnd - rss.sentAtStart;
            long receivedInWindow = rss.receivedAtEnd - rss.receivedAtStart;
            publisher.stop();
            reader.fullSpeed();
            long sent = publisher.sent.get();
            reader.awaitCount("paced", sent);
            reader.check();
            System.out.printf(Locale.ROOT, "[slow] slow subscriber: %s; in the window %d sent, %d received%n", rss,
                    sentInWindow, receivedInWindow);
            assertTrue(receivedInWindow > 0, "the slow subscriber received nothing");
            // ahead by at most: the high-water mark (half of the queue), 256 held packets, kernel socket buffers
            long slack = QUEUE_CAPACITY + 256 + 8 * 1024 * 1024 / PAYLOAD;
            assertTrue(sentInWindow <= receivedInWindow + slack, "the publisher was not held back: sent "
                    + sentInWindow + ", the subscriber took " + receivedInWindow);
            rss.assertBounded();
            sys.awaitUpdates(2);
            assertEquals(droppedBefore, sys.number("publish/messages/dropped"), "messages were dropped");
            reader.check();
        }
        assertCleanLog();
    }

    // ---------------------------------------------------------------- helpers

    private static final Pattern BAD_LOG =
            Pattern.compile("(?m)^.*(\\bERROR\\b|LEAK:|Exception|OutOf(Direct)?Memory).*$");

    private static void assertCleanLog() {
        Matcher bad = BAD_LOG.matcher(culex.log());
        assertFalse(bad.find(), () -> "broker log: " + bad.group());
    }

    private static long sequence(RawMqttClient.Packet p) {
        return ByteBuffer.wrap(p.body(), p.payloadOffset(), 8).getLong();
    }

    /** Reads a QoS 0 subscriber's messages until the socket closes; completes (exceptionally) only on disorder. */
    private static CompletableFuture<Void> drain(RawMqttClient client, AtomicLong count, AtomicLong last) {
        CompletableFuture<Void> disorder = new CompletableFuture<>();
        Thread t = new Thread(() -> {
            try {
                while (true) {
                    long seq = sequence(client.read());
                    if (seq <= last.get()) {
                        disorder.completeExceptionally(new AssertionError(seq + " after " + last.get()));
                    }
                    last.set(seq);
                    count.incrementAndGet();
                }
            } catch (IOException closed) {
                // the end of the test
            }
        }, "drain-" + count);
        t.setDaemon(true);
        t.start();
        return disorder;
    }

    /**
     * RSS sampled every 100 ms after a warm-up, and the publishers' progress over the same window. What is compared
     * with the bound is the sustained RSS: the highest value that held for half a second (the lowest of 5
     * consecutive samples). A queue that grows holds its memory; what the JIT's compiler takes for a moment (a
     * single sample 100 MiB up was seen in a minute-long run) does not. The baseline is the lowest of 5 samples.
     */
    private static final class RssWindow {
        private static final int HOLD_SAMPLES = 5;
        long baselineKiB;
        long maxKiB;
        long sustainedKiB;
        long sentAtStart;
        long sentAtEnd;
        long bytesInWindow;
        long receivedAtStart;
        long receivedAtEnd;

        /**
         * @param minimumMillis the window lasts at least this long
         * @param untilBytes and until the publishers sent this many payload bytes in it (at most 15 s; 0: no need)
         * @param received what a subscriber received so far, noted with the publishers' progress; or null
         */
        static RssWindow measure(long warmupMillis, long minimumMillis, long untilBytes,
                                 java.util.function.LongSupplier received, Publisher... publishers) throws Exception {
            RssWindow w = new RssWindow();
            Thread.sleep(warmupMillis); // the broker's JIT and buffer pools settle while the publishers run
            for (Publisher p : publishers) {
                p.failure.getNow(null);
            }
            w.sentAtStart = sent(publishers);
            w.receivedAtStart = received == null ? 0 : received.getAsLong();
            w.baselineKiB = Long.MAX_VALUE;
            for (int i = 0; i < HOLD_SAMPLES; i++) {
                w.baselineKiB = Math.min(w.baselineKiB, culex.residentKiB());
                Thread.sleep(100);
            }
            long started = System.nanoTime();
            long[] recent = new long[HOLD_SAMPLES];
            int samples = 0;
            while (true) {
                long elapsed = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
                long bytes = (sent(publishers) - w.sentAtStart) * PAYLOAD;
                if (elapsed >= minimumMillis && (bytes >= untilBytes || elapsed >= 15_000)) {
                    break;
                }
                Thread.sleep(100);
                long rss = culex.residentKiB();
                w.maxKiB = Math.max(w.maxKiB, rss);
                recent[samples++ % HOLD_SAMPLES] = rss;
                if (samples >= HOLD_SAMPLES) {
                    w.sustainedKiB = Math.max(w.sustainedKiB, java.util.Arrays.stream(recent).min().getAsLong());
                }
            }
            w.sentAtEnd = sent(publishers);
            w.receivedAtEnd = received == null ? 0 : received.getAsLong();
            w.bytesInWindow = (w.sentAtEnd - w.sentAtStart) * PAYLOAD;
            return w;
        }

        private static long sent(Publisher... publishers) {
            long n = 0;
            for (Publisher p : publishers) {
                n += p.sent.get();
            }
            return n;
        }

        /** The publishers offered far more than the bound: a broker that kept it all would have failed. */
        void assertMeaningfulAndBounded() {
            assertTrue(bytesInWindow >= MEANINGFUL_BYTES, "the publishers sent only "
                    + bytesInWindow / (1024 * 1024) + " MiB in 15 s: too little to tell a bounded broker");
            assertBounded();
        }

        void assertBounded() {
            assertTrue(sustainedKiB - baselineKiB < RSS_GROWTH_BOUND_KIB, "RSS grew from " + baselineKiB / 1024
                    + " MiB to " + sustainedKiB / 1024 + " MiB (sustained for half a second)");
        }

        @Override
        public String toString() {
            return String.format(Locale.ROOT, "RSS %d MiB after warm-up, sustained at most %d MiB (%+d MiB; highest "
                    + "sample %+d MiB) while %d MiB were published", baselineKiB / 1024, sustainedKiB / 1024,
                    (sustainedKiB - baselineKiB) / 1024, (maxKiB - baselineKiB) / 1024,
                    bytesInWindow / (1024 * 1024));
        }
    }

    /** Publishes 2 KiB messages numbered from 0 as fast as the socket takes them; QoS 1 with 20 unacknowledged. */
    private static final class Publisher {
        final AtomicLong sent = new AtomicLong();
        final CompletableFuture<Void> failure = new CompletableFuture<>();
        private final Semaphore window = new Semaphore(MAX_INFLIGHT);
        private final AtomicLong acked = new AtomicLong();
        private volatile boolean running = true;
        private Thread writer;
        private int qos;

        static Publisher start(RawMqttClient client, String topic, int qos) {
            Publisher p = new Publisher();
            p.qos = qos;
            byte[] t = topic.getBytes(StandardCharsets.UTF_8);
            p.writer = new Thread(() -> {
                byte[] payload = new byte[PAYLOAD];
                ByteBuffer seq = ByteBuffer.wrap(payload);
                try {
                    while (p.running) {
                        if (qos > 0 && !p.window.tryAcquire()) {
                            client.flush();
                            if (!p.window.tryAcquire(20, TimeUnit.SECONDS)) {
                                throw new IOException("no PUBACK for 20 s");
                            }
                        }
                        long n = p.sent.get();
                        seq.putLong(0, n);
                        client.publish(t, payload, qos, (int) (n % 65535) + 1);
                        p.sent.incrementAndGet();
                    }
                    client.flush();
                } catch (IOException | InterruptedException e) {
                    p.failure.completeExceptionally(e);
                }
            }, "publisher-" + topic);
            p.writer.setDaemon(true);
            p.writer.start();
            if (qos > 0) {
                Thread acks = new Thread(() -> {
                    try {
                        while (true) {
                            RawMqttClient.Packet ack = client.read();
                            if (ack.type() != RawMqttClient.PUBACK) {
                                throw new IOException("expected PUBACK, got type " + ack.type());
                            }
                            p.acked.incrementAndGet();
                            p.window.release();
                        }
                    } catch (IOException closed) {
                        // the end of the test
                    }
                }, "publisher-acks-" + topic);
                acks.setDaemon(true);
                acks.start();
            }
            return p;
        }

        /** Stops publishing; returns once the last message is written and (QoS 1) every one is acknowledged. */
        void stop() throws Exception {
            running = false;
            writer.join(20_000);
            failure.getNow(null);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (qos > 0 && acked.get() < sent.get()) {
                assertTrue(System.nanoTime() < deadline, "unacknowledged: " + (sent.get() - acked.get()));
                Thread.sleep(10);
            }
        }
    }

    /**
     * Reads everything a subscriber gets, checks each topic's messages arrive in order without gaps, acknowledges
     * QoS 1; optionally at a limited rate (messages per second) until {@link #fullSpeed()}.
     */
    private static final class Reader {
        final CompletableFuture<Void> failure = new CompletableFuture<>();
        private final java.util.concurrent.ConcurrentHashMap<String, AtomicLong> counts =
                new java.util.concurrent.ConcurrentHashMap<>();
        private volatile int rate;

        static Reader start(RawMqttClient client, int rate) {
            Reader r = new Reader();
            r.rate = rate;
            Thread t = new Thread(() -> {
                long started = System.nanoTime();
                long total = 0;
                boolean unflushed = false;
                try {
                    while (true) {
                        RawMqttClient.Packet p = client.read();
                        if (p.type() != RawMqttClient.PUBLISH) {
                            throw new IOException("expected PUBLISH, got type " + p.type());
                        }
                        AtomicLong count = r.counts.computeIfAbsent(p.topic(), k -> new AtomicLong());
                        long seq = sequence(p);
                        if (seq != count.get()) {
                            throw new AssertionError(p.topic() + ": message " + seq + " where " + count.get()
                                    + " was due");
                        }
                        count.incrementAndGet();
                        if (p.qos() == 1) {
                            client.puback(p.packetId());
                            unflushed = true;
                        }
                        if (unflushed && !client.hasBuffered()) {
                            client.flush(); // once a burst, whatever its last packet: the broker waits for these
                            unflushed = false;
                        }
                        total++;
                        int limit = r.rate;
                        if (limit > 0) {
                            long due = started + total * 1_000_000_000L / limit;
                            long ahead = due - System.nanoTime();
                            if (ahead > 1_000_000) {
                                Thread.sleep(ahead / 1_000_000); // reading slowly is what this client is for
                            }
                        }
                    }
                } catch (IOException | AssertionError | InterruptedException e) {
                    r.failure.completeExceptionally(new AssertionError("the reader stopped after " + total
                            + " messages: " + e, e));
                }
            }, "reader");
            t.setDaemon(true);
            t.start();
            return r;
        }

        /** Throws what stopped the reader, if something did. */
        void check() {
            if (failure.isCompletedExceptionally()) {
                try {
                    failure.join();
                } catch (java.util.concurrent.CompletionException e) {
                    throw (AssertionError) e.getCause();
                }
            }
        }

        long count(String topic) {
            AtomicLong c = counts.get(topic);
            return c == null ? 0 : c.get();
        }

        void fullSpeed() {
            rate = 0;
        }

        void awaitCount(String topic, long expected) throws Exception {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (count(topic) < expected) {
                check();
                assertTrue(System.nanoTime() < deadline, topic + ": received " + count(topic) + " of " + expected);
                Thread.sleep(10);
            }
            assertEquals(expected, count(topic), topic);
        }
    }
}
