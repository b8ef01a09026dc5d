package io.culex.bench.soak;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The broker process as the operating system and the JVM's tools see it: resident memory, threads and open
 * descriptors from {@code /proc/<pid>}, CPU time from {@code /proc/<pid>/stat}, garbage collection counts and
 * times from {@code jstat -gc}, and the heap (and metaspace) in use after a full collection, which {@code jcmd
 * GC.run} forces, read with {@code jcmd GC.heap_info}.
 */
final class BrokerProbe {

    /** One reading. Sizes in KiB, times in milliseconds; -1 where the tool gave nothing. */
    record Sample(long rssKiB, long threads, long fds, long cpuMillis, long youngGcs, long youngGcMillis,
                  long fullGcs, long fullGcMillis, long gcMillis, long heapAfterGcKiB, long metaspaceKiB,
                  long storeKiB) {
    }

    private static final Pattern HEAP_USED = Pattern.compile("heap\\s+total \\d+K, used (\\d+)K");
    private static final Pattern METASPACE_USED = Pattern.compile("Metaspace\\s+used (\\d+)K");
    /** Clock ticks per second of {@code /proc/<pid>/stat}; 100 on Linux/x86-64. */
    private static final long TICKS = 100;

    private final long pid;
    private final Path jcmd;
    private final Path jstat;
    /** The persistence directory, whose files' sizes are summed; null if none. */
    private final Path dataDir;

    BrokerProbe(long pid, Path dataDir) {
        this.pid = pid;
        this.dataDir = dataDir;
        Path bin = Paths.get(System.getProperty("java.home"), "bin");
        this.jcmd = bin.resolve("jcmd");
        this.jstat = bin.resolve("jstat");
    }

    boolean isAlive() {
        return Files.exists(Paths.get("/proc", Long.toString(pid)));
    }

    Sample sample() throws IOException, InterruptedException {
        Path proc = Paths.get("/proc", Long.toString(pid));
        long rss = -1;
        long threads = -1;
        for (String line : Files.readAllLines(proc.resolve("status"), StandardCharsets.UTF_8)) {
            if (line.startsWith("VmRSS:")) {
                rss = Long.parseLong(line.replaceAll("\\D", ""));
            } else if (line.startsWith("Threads:")) {
                threads = Long.parseLong(line.replaceAll("\\D", ""));
            }
        }
        long fds;
        try (Stream<Path> s = Files.list(proc.resolve("fd"))) {
            fds = s.count();
        }
        String stat = Files.readString(proc.resolve("stat"), StandardCharsets.UTF_8);
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        long cpu = (Long.parseLong(f[11]) + Long.parseLong(f[12])) * 1000 / TICKS; // utime, stime

        long[] gc = jstatGc();
        String heapInfo = "";
        if (run(jcmd, "GC.run") != null) {
            heapInfo = run(jcmd, "GC.heap_info");
        }
        long heap = find(HEAP_USED, heapInfo);
        long meta = find(METASPACE_USED, heapInfo);
        return new Sample(rss, threads, fds, cpu, gc[0], gc[1], gc[2], gc[3], gc[4], heap, meta, storeKiB());
    }

    /** @return the bytes in the persistence directory, in KiB; -1 without one */
    private long storeKiB() {
        if (dataDir == null || !Files.isDirectory(dataDir)) {
            return -1;
        }
        try (Stream<Path> files = Files.walk(dataDir)) {
            return files.filter(Files::isRegularFile).mapToLong(f -> {
                try {
                    return Files.size(f);
                } catch (IOException gone) {
                    return 0; // replaced by compaction meanwhile
                }
            }).sum() / 1024;
        } catch (IOException | java.io.UncheckedIOException e) {
            return -1;
        }
    }

    /** @return YGC, YGCT, FGC, FGCT, GCT (times in ms) from {@code jstat -gc} */
    private long[] jstatGc() throws IOException, InterruptedException {
        long[] out = {-1, -1, -1, -1, -1};
        String text = run(jstat, "-gc");
        if (text == null) {
            return out;
        }
        List<String> lines = text.lines().filter(l -> !l.isBlank()).toList();
        if (lines.size() < 2) {
            return out;
        }
        List<String> names = List.of(lines.get(0).trim().split("\\s+"));
        String[] values = lines.get(1).trim().split("\\s+");
        String[] wanted = {"YGC", "YGCT", "FGC", "FGCT", "GCT"};
        for (int i = 0; i < wanted.length; i++) {
            int at = names.indexOf(wanted[i]);
            if (at >= 0 && at < values.length) {
                double v = Double.parseDouble(values[at]);
                out[i] = wanted[i].endsWith("T") ? Math.round(v * 1000) : (long) v;
            }
        }
        return out;
    }

    private String run(Path tool, String what) throws IOException, InterruptedException {
        if (!Files.isExecutable(tool)) {
            return null;
        }
        Process p = new ProcessBuilder(tool.toString(), what.startsWith("-") ? what : Long.toString(pid),
                what.startsWith("-") ? Long.toString(pid) : what).redirectErrorStream(true).start();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            p.destroyForcibly();
            return null;
        }
        return new String(out, StandardCharsets.UTF_8);
    }

    private static long find(Pattern pattern, String text) {
        Matcher m = pattern.matcher(text);
        return m.find() ? Long.parseLong(m.group(1)) : -1;
    }
}
