package io.culex.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioSocketChannel;

/**
 * An MQTT load generator for any broker, in the manner of emqtt-bench: connects the scenario's subscribers, then
 * its publishers, publishes for warm-up plus the measured window, drains, and reports what was sent, delivered,
 * lost and duplicated, latency percentiles, and the CPU use of itself and (with {@code --broker-pid}) the broker.
 *
 * <p>The last line is machine-readable: {@code RESULT key=value ...}.
 */
public final class Bench {

    private Bench() {
    }

    public static void main(String[] args) throws Exception {
        Options o;
        try {
            o = Options.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println((e.getMessage().equals("usage") ? "" : "bench: " + e.getMessage() + "\n")
                    + Options.usage());
            System.exit(2);
            return;
        }
        System.exit(run(o) ? 0 : 1);
    }

    private static boolean run(Options o) throws Exception {
        boolean epoll = Epoll.isAvailable();
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(o.threads,
                epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory());
        try {
            Bootstrap bootstrap = new Bootstrap().group(group)
                    .channel(epoll ? EpollSocketChannel.class : NioSocketChannel.class)
                    .option(ChannelOption.TCP_NODELAY, true)
                    .option(ChannelOption.WRITE_BUFFER_WATER_MARK, new WriteBufferWaterMark(64 * 1024, 128 * 1024));
            String runId = Long.toString(System.nanoTime() % 1_000_000_000L, 36);
            Window window = new Window();
            List<Endpoint> subscribers = new ArrayList<>();
            List<Endpoint> publishers = new ArrayList<>();
            for (int i = 0; i < o.subscribers; i++) {
                Endpoint e = Endpoint.subscriber(o, runId, i, filterFor(o, runId, i), window);
                subscribers.add(e);
                connect(bootstrap, o.host, o.subscriberPort, e);
            }
            await(subscribers, "subscribers");
            for (int i = 0; i < o.publishers; i++) {
                Endpoint e = Endpoint.publisher(o, runId, i, topicFor(o, runId, i), window);
                publishers.add(e);
                connect(bootstrap, o.host, o.port, e);
            }
            await(publishers, "publishers");
            long start = System.nanoTime();
            window.start = start + seconds(o.warmupSeconds);
            window.end = window.start + seconds(o.durationSeconds);
            for (Endpoint p : publishers) {
                p.startPublishing();
            }
            sleepUntil(window.start);
            long cpuStart = ownCpuNanos();
            long brokerCpuStart = brokerCpuTicks(o.brokerPid);
            for (Endpoint p : publishers) {
                p.markWindowStart();
            }
            sleepUntil(window.end);
            long cpuEnd = ownCpuNanos();
            long brokerCpuEnd = brokerCpuTicks(o.brokerPid);
            List<CompletableFuture<Void>> stops = new ArrayList<>();
            for (Endpoint p : publishers) {
                stops.add(p.stopPublishing());
            }
            CompletableFuture.allOf(stops.toArray(new CompletableFuture[0])).get(10, TimeUnit.SECONDS);
            long expected = expected(o, publishers);
            drain(group, subscribers, publishers, o, expected);
            long rss = brokerRssKb(o.brokerPid);
            report(o, publishers, subscribers, expected, cpuEnd - cpuStart, brokerCpuEnd - brokerCpuStart, rss);
            for (Endpoint e : subscribers) {
                e.close();
            }
            for (Endpoint e : publishers) {
                e.close();
            }
            return true;
        } finally {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
        }
    }

    private static String filterFor(Options o, String runId, int subscriber) {
        switch (o.scenario) {
            case FANIN:
                return prefix(o, runId) + "#";
            case FANOUT:
                return prefix(o, runId) + "0";
            default:
                return prefix(o, runId) + subscriber;
        }
    }

    private static String topicFor(Options o, String runId, int publisher) {
        return prefix(o, runId) + publisher;
    }

    /**
     * Persistent subscribers outlive a run: each run has topics of its own, so that the sessions of earlier runs
     * (offline, still subscribed) do not queue this run's messages.
     */
    private static String prefix(Options o, String runId) {
        return o.persistentSubscribers ? "bench/" + runId + "/" : "bench/";
    }

    /** @return which publisher's messages subscriber {@code s} gets */
    private static boolean receives(Options o, int subscriber, int publisher) {
        return o.scenario != Options.Scenario.PAIRS || subscriber == publisher;
    }

    private static void connect(Bootstrap bootstrap, String host, int port, Endpoint e) {
        bootstrap.clone().handler(e).connect(host, port).syncUninterruptibly();
    }

    private static void await(List<Endpoint> endpoints, String what) throws Exception {
        for (Endpoint e : endpoints) {
            try {
                e.ready.get(20, TimeUnit.SECONDS);
            } catch (java.util.concurrent.ExecutionException ex) {
                throw new IllegalStateException(what + " could not connect: " + ex.getCause().getMessage(), ex);
            }
        }
    }

    private static long expected(Options o, List<Endpoint> publishers) {
        long total = 0;
        for (int s = 0; s < o.subscribers; s++) {
            for (int p = 0; p < publishers.size(); p++) {
                if (receives(o, s, p)) {
                    total += publishers.get(p).windowEnd - publishers.get(p).windowFirst;
                }
            }
        }
        return total;
    }

    /** Wait until every message of the window has arrived, or nothing more arrives for two seconds. */
    private static void drain(EventLoopGroup group, List<Endpoint> subscribers, List<Endpoint> publishers, Options o,
                              long expected) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        long lastTotal = -1;
        long lastChange = System.nanoTime();
        while (System.nanoTime() < deadline) {
            long total = onLoops(group, () -> distinctInWindow(o, subscribers, publishers));
            if (total >= expected) {
                return;
            }
            if (total != lastTotal) {
                lastTotal = total;
                lastChange = System.nanoTime();
            } else if (System.nanoTime() - lastChange > TimeUnit.SECONDS.toNanos(2)) {
                return;
            }
            Thread.sleep(100);
        }
    }

    /** Read the tallies on the event loops (one thread with {@code --threads 1}; otherwise a consistent-enough view). */
    private static long onLoops(EventLoopGroup group, java.util.function.LongSupplier read) throws Exception {
        CompletableFuture<Long> result = new CompletableFuture<>();
        group.next().execute(() -> result.complete(read.getAsLong()));
        return result.get(10, TimeUnit.SECONDS);
    }

    private static long distinctInWindow(Options o, List<Endpoint> subscribers, List<Endpoint> publishers) {
        long total = 0;
        for (int s = 0; s < subscribers.size(); s++) {
            for (int p = 0; p < publishers.size(); p++) {
                if (receives(o, s, p)) {
                    Endpoint pub = publishers.get(p);
                    total += subscribers.get(s).tally.distinct(p, pub.windowFirst, pub.windowEnd);
                }
            }
        }
        return total;
    }

    private static void report(Options o, List<Endpoint> publishers, List<Endpoint> subscribers, long expected,
                               long ownCpuNanos, long brokerCpuTicks, long brokerRssKb) {
        long sent = 0;
        for (Endpoint p : publishers) {
            sent += p.windowEnd - p.windowFirst;
        }
        long distinct = distinctInWindow(o, subscribers, publishers);
        long duplicates = 0;
        long arrivals = 0;
        LatencyHistogram latency = new LatencyHistogram();
        for (Endpoint s : subscribers) {
            duplicates += s.tally.duplicates;
            arrivals += s.tally.arrivalsInWindow;
            latency.add(s.tally.latency);
        }
        long lost = Math.max(0, expected - distinct);
        double d = o.durationSeconds;
        double ownCpu = 100.0 * ownCpuNanos / (d * 1e9);
        double brokerCpu = brokerCpuTicks < 0 ? -1 : 100.0 * brokerCpuTicks / (d * 100);
        System.out.printf(Locale.ROOT,
                "%s %s qos%d %dB p%d s%d: sent %.0f/s, delivered %.0f/s, expected %d, lost %d (%.2f %%), "
                        + "duplicates %d, latency ms p50 %.2f p90 %.2f p99 %.2f max %.2f, load generator CPU %.0f %%%s%n",
                o.label, o.scenario.name().toLowerCase(Locale.ROOT), o.qos, o.size, o.publishers, o.subscribers,
                sent / d, arrivals / d, expected, lost, expected == 0 ? 0.0 : 100.0 * lost / expected, duplicates,
                ms(latency.percentile(0.5)), ms(latency.percentile(0.9)), ms(latency.percentile(0.99)),
                ms(latency.max()), ownCpu,
                o.brokerPid > 0 ? String.format(Locale.ROOT, ", broker CPU %.0f %%, broker RSS %d MB", brokerCpu,
                        brokerRssKb / 1024) : "");
        System.out.printf(Locale.ROOT,
                "RESULT label=%s scenario=%s qos=%d size=%d publishers=%d subscribers=%d rate=%d sent_per_s=%.0f "
                        + "delivered_per_s=%.0f expected=%d lost=%d duplicates=%d p50_ms=%.3f p90_ms=%.3f p99_ms=%.3f "
                        + "max_ms=%.3f bench_cpu_pct=%.0f broker_cpu_pct=%.0f broker_rss_kb=%d%n",
                o.label, o.scenario.name().toLowerCase(Locale.ROOT), o.qos, o.size, o.publishers, o.subscribers,
                o.rate, sent / d, arrivals / d, expected, lost, duplicates, ms(latency.percentile(0.5)),
                ms(latency.percentile(0.9)), ms(latency.percentile(0.99)), ms(latency.max()), ownCpu, brokerCpu,
                brokerRssKb);
    }

    private static double ms(long nanos) {
        return nanos / 1e6;
    }

    private static long seconds(double s) {
        return (long) (s * 1e9);
    }

    private static void sleepUntil(long nanoTime) throws InterruptedException {
        long left;
        while ((left = nanoTime - System.nanoTime()) > 0) {
            TimeUnit.NANOSECONDS.sleep(Math.min(left, 50_000_000L));
        }
    }

    private static long ownCpuNanos() {
        java.lang.management.OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
        if (os instanceof com.sun.management.OperatingSystemMXBean) {
            return ((com.sun.management.OperatingSystemMXBean) os).getProcessCpuTime();
        }
        return 0;
    }

    /** @return utime + stime of the process in clock ticks (1/100 s on Linux), or -1 */
    private static long brokerCpuTicks(long pid) {
        if (pid <= 0) {
            return -1;
        }
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return Long.parseLong(f[11]) + Long.parseLong(f[12]);
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /** @return the broker's resident set in KiB, from {@code /proc/<pid>/status}, or -1 */
    static long brokerRssKb(long pid) {
        if (pid <= 0) {
            return -1;
        }
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", ""));
                }
            }
        } catch (IOException | RuntimeException e) {
            // the broker is gone
        }
        return -1;
    }
}
