package io.culex.bench.soak;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.LocalTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The soak driver ({@code itest/soak.sh}): mixed MQTT 3.1.1 traffic against one broker for a number of minutes,
 * with connection churn, and one line of figures a minute about the broker (memory, heap after a full collection,
 * GC, descriptors, threads, CPU) and the traffic (sent, received, duplicated and lost per QoS).
 *
 * <ul>
 *   <li>QoS 0: 2 publishers, 2 clean-session subscribers on {@code soak/q0/+} that never disconnect.</li>
 *   <li>QoS 1: 3 publishers with persistent sessions that disconnect every 15–45 s (half of the time by dropping
 *       the socket, then resending what was not acknowledged); subscribers on {@code soak/q1/+} with persistent
 *       sessions, one that stays and two that disconnect the same way and stay offline up to 5 s.</li>
 *   <li>QoS 2: 2 publishers and 2 subscribers (one stays, one churns) on {@code soak/q2/+}, the same way.</li>
 *   <li>Retained: one publisher sets and clears retained messages on 100 topics.</li>
 *   <li>Churn: short-lived clients (ids from a pool of 20, so some take over each other), half with a will,
 *       subscribing to the retained topics, publishing once, leaving cleanly or not.</li>
 * </ul>
 *
 * <p><b>Lost</b> counts messages the broker acknowledged to their publisher (PUBACK; PUBREC for QoS 2; for QoS 0
 * every message written) that a subscriber subscribed before they were published has not received: in the
 * minute lines only those acknowledged more than 30 s earlier (what is still on its way is not lost), at the end
 * every one, after the publishers stopped and the subscribers caught up. The exit code is 1 if any QoS 1/2
 * message was lost, a QoS 2 message was delivered twice, a persistent session was not kept, a subscriber saw a
 * publisher's messages out of order, or the broker died.
 */
public final class Soak {

    static final class Settings {
        String host = "127.0.0.1";
        int port = 1883;
        int churnMinSeconds = 15;
        int churnMaxSeconds = 45;
        int offlineMaxMillis = 5_000;
        final Set<SoakConnection> live = ConcurrentHashMap.newKeySet();
    }

    private static final PrintStream OUT = System.out;
    private static final AtomicLong LOG_LINES = new AtomicLong();
    private static final long LOST_AFTER_MILLIS = 30_000;

    private Soak() {
    }

    static void log(String message) {
        long n = LOG_LINES.incrementAndGet();
        if (n <= 200 || n % 1000 == 0) {
            System.err.println(LocalTime.now().truncatedTo(ChronoUnit.MILLIS) + " soak: " + message
                    + (n == 200 ? " (further messages: every 1000th)" : ""));
        }
    }

    public static void main(String[] args) throws Exception {
        Settings settings = new Settings();
        double minutes = 30;
        long brokerPid = 0;
        int reportSeconds = 60;
        double scale = 1.0;
        java.nio.file.Path dataDir = null;
        for (int i = 0; i + 1 < args.length; i += 2) {
            switch (args[i]) {
                case "--host" -> settings.host = args[i + 1];
                case "--port" -> settings.port = Integer.parseInt(args[i + 1]);
                case "--minutes" -> minutes = Double.parseDouble(args[i + 1]);
                case "--broker-pid" -> brokerPid = Long.parseLong(args[i + 1]);
                case "--report-seconds" -> reportSeconds = Integer.parseInt(args[i + 1]);
                case "--scale" -> scale = Double.parseDouble(args[i + 1]);
                case "--data-dir" -> dataDir = java.nio.file.Paths.get(args[i + 1]);
                default -> {
                    System.err.println("usage: soak --port 1883 [--host h] [--minutes 30] [--broker-pid pid] "
                            + "[--report-seconds 60] [--scale 1.0 (message rates)] [--data-dir dir (persistence)]");
                    System.exit(2);
                }
            }
        }
        System.exit(new Soak().run(settings, minutes, brokerPid, dataDir, reportSeconds, scale) ? 0 : 1);
    }

    private final List<SoakPublisher> publishers = new ArrayList<>();
    private final List<SoakSubscriber> subscribers = new ArrayList<>();
    private BrokerProbe probe;
    private Watcher watcher;
    private SoakChurn churn;
    private BrokerProbe.Sample previousSample;
    private long previousSampleNanos;
    private final Map<String, Long> previous = new ConcurrentHashMap<>();

    private boolean run(Settings s, double minutes, long brokerPid, java.nio.file.Path dataDir, int reportSeconds,
                        double scale) throws Exception {
        probe = brokerPid > 0 ? new BrokerProbe(brokerPid, dataDir) : null;
        // subscribers first: every message published later is expected at each of them
        subscribers.add(new SoakSubscriber(s, "soak-sub-q0-a", "soak/q0/+", 0, false, false));
        subscribers.add(new SoakSubscriber(s, "soak-sub-q0-b", "soak/q0/+", 0, false, false));
        subscribers.add(new SoakSubscriber(s, "soak-sub-q1-stable", "soak/q1/+", 1, true, false));
        subscribers.add(new SoakSubscriber(s, "soak-sub-q1-a", "soak/q1/+", 1, true, true));
        subscribers.add(new SoakSubscriber(s, "soak-sub-q1-b", "soak/q1/+", 1, true, true));
        subscribers.add(new SoakSubscriber(s, "soak-sub-q2-stable", "soak/q2/+", 2, true, false));
        subscribers.add(new SoakSubscriber(s, "soak-sub-q2-a", "soak/q2/+", 2, true, true));
        watcher = new Watcher(s);
        watcher.start();
        for (SoakSubscriber sub : subscribers) {
            sub.start();
        }
        for (SoakSubscriber sub : subscribers) {
            sub.firstSubscribed.get(30, TimeUnit.SECONDS);
        }
        publishers.add(new SoakPublisher(s, 100, 0, "soak/q0/100", rate(500, scale), false, 0));
        publishers.add(new SoakPublisher(s, 101, 0, "soak/q0/101", rate(500, scale), false, 0));
        publishers.add(new SoakPublisher(s, 200, 1, "soak/q1/200", rate(300, scale), true, 0));
        publishers.add(new SoakPublisher(s, 201, 1, "soak/q1/201", rate(300, scale), true, 0));
        publishers.add(new SoakPublisher(s, 202, 1, "soak/q1/202", rate(300, scale), true, 0));
        publishers.add(new SoakPublisher(s, 300, 2, "soak/q2/300", rate(150, scale), true, 0));
        publishers.add(new SoakPublisher(s, 301, 2, "soak/q2/301", rate(150, scale), true, 0));
        publishers.add(new SoakPublisher(s, 900, 1, "soak/retained", rate(20, scale), false, 100));
        for (SoakPublisher p : publishers) {
            p.start();
        }
        churn = new SoakChurn(s, 2);
        churn.start();

        ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "soak-timer");
            t.setDaemon(true);
            return t;
        });
        timer.scheduleAtFixedRate(() -> {
            long now = System.currentTimeMillis();
            publishers.forEach(p -> p.checkpoint(now));
        }, 0, 1, TimeUnit.SECONDS);
        timer.scheduleAtFixedRate(() -> s.live.forEach(c -> c.pingIfIdle(TimeUnit.SECONDS.toNanos(10))),
                5, 5, TimeUnit.SECONDS);

        OUT.printf(Locale.ROOT, "# soak: %.1f minutes, rates x%.2f, broker pid %d, a line every %d s%n", minutes,
                scale, brokerPid, reportSeconds);
        header();
        if (probe != null) {
            previousSample = probe.sample();
            previousSampleNanos = System.nanoTime();
        }
        long start = System.nanoTime();
        long end = start + (long) (minutes * 60e9);
        int line = 0;
        boolean brokerAlive = true;
        while (System.nanoTime() < end) {
            long next = start + TimeUnit.SECONDS.toNanos((long) reportSeconds * (line + 1));
            long wait = Math.min(next, end) - System.nanoTime();
            if (wait > 0) {
                Thread.sleep(TimeUnit.NANOSECONDS.toMillis(wait) + 1);
            }
            if (System.nanoTime() < next - TimeUnit.MILLISECONDS.toNanos(500)) {
                break; // the run ends before the next full interval
            }
            line++;
            report(line * reportSeconds / 60.0);
            if (probe != null && !probe.isAlive()) {
                brokerAlive = false;
                OUT.println("# the broker process is gone");
                break;
            }
        }
        return finish(brokerAlive, timer);
    }

    private static int rate(int base, double scale) {
        return Math.max(1, (int) Math.round(base * scale));
    }

    // ---------------------------------------------------------------- per-minute lines

    private static final String FORMAT = "%6s %6s %6s %5s %6s %4s %5s %4s %5s %4s %7s | %7s %7s %5s | %7s %7s %5s "
            + "%5s | %6s %6s %4s %5s | %5s %5s %8s %4s%n";

    private static void header() {
        OUT.printf(Locale.ROOT, FORMAT, "min", "rssMB", "heapMB", "metaMB", "gcMs", "ygc", "fgc*", "fds", "thr",
                "cpu%", "storeMB", "q0sent", "q0recv", "q0lost", "q1sent", "q1recv", "q1dup", "q1lost", "q2sent", "q2recv",
                "q2dup", "q2lost", "conns", "wills", "dropped", "anom");
    }

    private void report(double minute) throws IOException, InterruptedException {
        String[] broker = {"-", "-", "-", "-", "-", "-", "-", "-", "-", "-"};
        if (probe != null && probe.isAlive()) {
            BrokerProbe.Sample now = probe.sample();
            BrokerProbe.Sample was = previousSample;
            long nowNanos = System.nanoTime();
            double wallMillis = (nowNanos - previousSampleNanos) / 1e6;
            previousSampleNanos = nowNanos;
            broker = new String[] {
                mb(now.rssKiB()), mb(now.heapAfterGcKiB()), mb(now.metaspaceKiB()),
                Long.toString(now.gcMillis() - was.gcMillis()),
                Long.toString(now.youngGcs() - was.youngGcs()),
                Long.toString(now.fullGcs() - was.fullGcs() - 1), // less the collection the previous sample forced
                Long.toString(now.fds()), Long.toString(now.threads()),
                String.format(Locale.ROOT, "%.1f", 100.0 * (now.cpuMillis() - was.cpuMillis()) / wallMillis),
                mb(now.storeKiB())};
            previousSample = now;
        }
        long cutoff = System.currentTimeMillis() - LOST_AFTER_MILLIS;
        OUT.printf(Locale.ROOT, FORMAT, String.format(Locale.ROOT, "%.1f", minute), broker[0], broker[1],
                broker[2], broker[3], broker[4], broker[5], broker[6], broker[7], broker[8], broker[9],
                delta("q0sent", sent(0)), delta("q0recv", received(0)), lostBefore(0, cutoff),
                delta("q1sent", sent(1)), delta("q1recv", received(1)), duplicates(1), lostBefore(1, cutoff),
                delta("q2sent", sent(2)), delta("q2recv", received(2)), duplicates(2), lostBefore(2, cutoff),
                delta("conns", connects()), watcher.wills.get(), watcher.sys("publish/messages/dropped"),
                anomalies());
        OUT.flush();
    }

    private static String mb(long kib) {
        return kib < 0 ? "-" : String.format(Locale.ROOT, "%.1f", kib / 1024.0);
    }

    private String delta(String key, long value) {
        Long was = previous.put(key, value);
        return Long.toString(value - (was == null ? 0 : was));
    }

    private long sent(int qos) {
        return publishers.stream().filter(p -> p.qos == qos && p.counted()).mapToLong(SoakPublisher::sent).sum();
    }

    private long received(int qos) {
        return subscribers.stream().filter(s -> s.qos == qos).mapToLong(SoakSubscriber::deliveries).sum();
    }

    private long duplicates(int qos) {
        return subscribers.stream().filter(s -> s.qos == qos).mapToLong(SoakSubscriber::duplicates).sum();
    }

    private long lostBefore(int qos, long cutoffMillis) {
        long lost = 0;
        for (SoakPublisher p : publishers) {
            if (p.qos != qos || !p.counted()) {
                continue;
            }
            long prefix = p.prefixAt(cutoffMillis);
            for (SoakSubscriber s : subscribers) {
                if (s.qos == qos) {
                    lost += s.missingBelow(p, prefix);
                }
            }
        }
        return lost;
    }

    private long connects() {
        return churn.connects.get() + publishers.stream().mapToLong(p -> p.connects.get()).sum()
                + subscribers.stream().mapToLong(s -> s.connects.get()).sum();
    }

    /** Sessions the broker did not keep, messages out of order, connections the broker closed, failed cycles. */
    private long anomalies() {
        return subscribers.stream().mapToLong(s -> s.sessionsLost.get() + s.outOfOrder() + s.unexpected.get()).sum()
                + publishers.stream().mapToLong(p -> p.sessionsLost.get() + p.unexpected.get()).sum()
                + churn.failures.get() + watcher.unexpected.get();
    }

    // ---------------------------------------------------------------- the end

    private boolean finish(boolean brokerAlive, ScheduledExecutorService timer) throws Exception {
        churn.stop();
        subscribers.forEach(SoakSubscriber::holdSteady);
        List<Thread> stopping = new ArrayList<>();
        for (SoakPublisher p : publishers) {
            Thread t = new Thread(() -> {
                try {
                    p.stop();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            t.start();
            stopping.add(t);
        }
        for (Thread t : stopping) {
            t.join();
        }
        // the subscribers catch up: wait until nothing is missing, or nothing has arrived for 30 s
        long lastProgress = System.nanoTime();
        long lastCount = -1;
        while (brokerAlive) {
            long missing = 0;
            for (int qos = 0; qos <= 2; qos++) {
                missing += lostNow(qos, false);
            }
            long count = received(0) + received(1) + received(2);
            if (missing == 0) {
                break;
            }
            if (count != lastCount) {
                lastCount = count;
                lastProgress = System.nanoTime();
            } else if (System.nanoTime() - lastProgress > TimeUnit.SECONDS.toNanos(30)) {
                break;
            }
            Thread.sleep(200);
        }
        timer.shutdownNow();

        OUT.println();
        OUT.println("# final tally (publishers stopped, subscribers caught up)");
        boolean ok = brokerAlive;
        for (int qos = 0; qos <= 2; qos++) {
            final int q = qos;
            long lost = lostNow(qos, true);
            long dup = duplicates(qos);
            long expected = 0;
            for (SoakPublisher p : publishers) {
                if (p.qos == qos && p.counted()) {
                    long n = p.expected().cardinality();
                    expected += n * subscribers.stream().filter(s -> s.qos == q).count();
                }
            }
            OUT.printf(Locale.ROOT, "qos %d: published %d, deliveries expected %d, received %d, duplicates %d, "
                    + "lost %d%n", qos, sent(qos), expected, received(qos), dup, lost);
            if (qos > 0 && lost > 0 || qos == 2 && dup > 0) {
                ok = false;
            }
        }
        for (SoakSubscriber s : subscribers) {
            OUT.printf(Locale.ROOT, "  %-20s qos %d %s: connects %d, dropped connections %d, received %d, "
                    + "duplicates %d, qos2 redelivered %d, out of order %d, sessions not kept %d, closed by the "
                    + "broker %d%n", s.clientId, s.qos, s.persistent ? "persistent" : "clean", s.connects.get(),
                    s.drops.get(), s.deliveries(), s.duplicates(), s.redeliveredQos2(), s.outOfOrder(),
                    s.sessionsLost.get(), s.unexpected.get());
            if (s.outOfOrder() > 0 || s.sessionsLost.get() > 0) {
                ok = false;
            }
        }
        for (SoakPublisher p : publishers) {
            OUT.printf(Locale.ROOT, "  %-20s qos %d: published %d, connects %d, dropped connections %d, resent %d, "
                    + "sessions not kept %d, unexpected %d%n", p.clientId, p.qos, p.sent(), p.connects.get(),
                    p.drops.get(), p.resent.get(), p.sessionsLost.get(), p.unexpected.get());
            if (p.sessionsLost.get() > 0) {
                ok = false;
            }
        }
        OUT.printf(Locale.ROOT, "churn: connects %d (with will %d, left without DISCONNECT %d), taken over %d, "
                        + "retained messages received %d, failed cycles %d; wills received %d%n",
                churn.connects.get(), churn.withWill.get(), churn.abrupt.get(), churn.takenOver.get(),
                churn.retainedReceived.get(), churn.failures.get(), watcher.wills.get());
        OUT.printf(Locale.ROOT, "$SYS: dropped %s, clients connected %s, retained %s, heap %s%n",
                watcher.sys("publish/messages/dropped"), watcher.sys("clients/connected"),
                watcher.sys("retained messages/count"), watcher.sys("heap/current"));
        if (probe != null && probe.isAlive()) {
            BrokerProbe.Sample end = probe.sample();
            OUT.printf(Locale.ROOT, "broker at the end: rss %s MB, heap after GC %s MB, metaspace %s MB, threads %d, "
                            + "fds %d, GC total %d ms (%d young, %d full), cpu %d s, store %s MB%n", mb(end.rssKiB()),
                    mb(end.heapAfterGcKiB()), mb(end.metaspaceKiB()), end.threads(), end.fds(), end.gcMillis(),
                    end.youngGcs(), end.fullGcs(), end.cpuMillis() / 1000, mb(end.storeKiB()));
        }
        subscribers.forEach(SoakSubscriber::stop);
        watcher.stop();
        OUT.println(ok ? "# RESULT ok" : "# RESULT FAILED");
        return ok;
    }

    /** @return expected deliveries not received; {@code all}: every expected one, else what was sent (QoS 0) */
    private long lostNow(int qos, boolean all) {
        long lost = 0;
        for (SoakPublisher p : publishers) {
            if (p.qos != qos || !p.counted()) {
                continue;
            }
            BitSet expected = p.expected();
            for (SoakSubscriber s : subscribers) {
                if (s.qos == qos) {
                    lost += s.missing(p, expected);
                }
            }
        }
        return lost;
    }

    /** Subscribes to {@code $SYS/broker/#} and the wills; remembers the latest value of each topic. */
    private static final class Watcher implements SoakConnection.Handler {
        private final Settings settings;
        private final Map<String, String> values = new ConcurrentHashMap<>();
        final AtomicLong wills = new AtomicLong();
        final AtomicLong unexpected = new AtomicLong();
        private volatile boolean running = true;
        private volatile SoakConnection connection;

        Watcher(Settings settings) {
            this.settings = settings;
        }

        void start() throws IOException {
            SoakConnection c = SoakConnection.connect(settings.host, settings.port, "soak-watch", true, 30, null);
            connection = c;
            settings.live.add(c);
            c.start(this, "soak-watch-reader");
            c.subscribe(1, "$SYS/broker/#", 0);
            c.subscribe(2, "soak/will/#", 1);
        }

        String sys(String topic) {
            return values.getOrDefault("$SYS/broker/" + topic, "-");
        }

        void stop() {
            running = false;
            connection.disconnect();
        }

        @Override
        public void packet(SoakConnection c, int type, int flags, byte[] body) throws IOException {
            if (type != SoakConnection.PUBLISH) {
                return;
            }
            int qos = (flags >>> 1) & 3;
            int topicLength = SoakConnection.packetId(body, 0);
            String topic = new String(body, 2, topicLength, StandardCharsets.UTF_8);
            int pos = 2 + topicLength;
            if (qos > 0) {
                c.ack(qos == 1 ? SoakConnection.PUBACK : SoakConnection.PUBREC, SoakConnection.packetId(body, pos));
                pos += 2;
            }
            if (topic.startsWith("soak/will/")) {
                wills.incrementAndGet();
            } else {
                values.put(topic, new String(body, pos, body.length - pos, StandardCharsets.UTF_8));
            }
        }

        @Override
        public void closed(SoakConnection c, IOException cause) {
            settings.live.remove(c);
            if (running) {
                unexpected.incrementAndGet();
                log("watcher: connection lost: " + cause);
                new Thread(() -> {
                    while (running) {
                        try {
                            start();
                            return;
                        } catch (IOException e) {
                            SoakPublisher.pause(1_000);
                        }
                    }
                }, "soak-watch-reconnect").start();
            }
        }
    }
}
