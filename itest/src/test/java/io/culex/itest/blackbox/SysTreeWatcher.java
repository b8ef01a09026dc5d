package io.culex.itest.blackbox;

import java.io.IOException;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * A {@code mosquitto_sub -t '$SYS/#'} that remembers the latest value of every {@code $SYS} topic, for tests that
 * wait until the tree shows what they did.
 */
final class SysTreeWatcher implements AutoCloseable {

    static final String PREFIX = "$SYS/broker/";
    private static final long TIMEOUT_SECONDS = 20;

    private final MosquittoTools.Sub sub;
    private final Map<String, String> latest = new LinkedHashMap<>();
    private int uptimes;

    private SysTreeWatcher(MosquittoTools.Sub sub) {
        this.sub = sub;
    }

    /** Subscribes to {@code $SYS/#} (and any further filters) on the broker at this port. */
    static SysTreeWatcher start(int port, String... moreFilters) throws IOException, InterruptedException {
        String[] args = new String[4 + 2 * moreFilters.length + 2];
        int i = 0;
        for (String option : new String[] {"-h", "127.0.0.1", "-p", Integer.toString(port)}) {
            args[i++] = option;
        }
        args[i++] = "-t";
        args[i++] = "$SYS/#";
        for (String filter : moreFilters) {
            args[i++] = "-t";
            args[i++] = filter;
        }
        // a tab separates topic and payload: "retained messages/count" has a space
        return new SysTreeWatcher(MosquittoTools.subFormatted("%t\\t%p", args));
    }

    /**
     * Waits until the topic ({@code $SYS/broker/}-relative) has a value the condition accepts, and returns it.
     */
    String await(String topic, Predicate<String> condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(TIMEOUT_SECONDS);
        while (true) {
            String value = latest.get(PREFIX + topic);
            if (value != null && condition.test(value)) {
                return value;
            }
            long left = deadline - System.nanoTime();
            if (left <= 0 || !take(TimeUnit.NANOSECONDS.toMillis(left))) {
                throw new AssertionError("$SYS/broker/" + topic + " never satisfied the condition; last value "
                        + value + "; everything seen:\n" + sub.output());
            }
        }
    }

    String await(String topic, String expected) throws InterruptedException {
        return await(topic, expected::equals);
    }

    /** Waits for this many more updates of the tree (each begins with {@code uptime}) and returns the last uptime. */
    String awaitUpdates(int count) throws InterruptedException {
        int target = uptimes + count;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(TIMEOUT_SECONDS);
        while (uptimes < target) {
            long left = deadline - System.nanoTime();
            if (left <= 0 || !take(TimeUnit.NANOSECONDS.toMillis(left))) {
                throw new AssertionError("the tree was not updated " + count + " times:\n" + sub.output());
            }
        }
        return latest.get(PREFIX + "uptime");
    }

    /** @return the next message ({@code topic\tpayload}) within the time, or null; it is remembered as well */
    String poll(long millis) throws InterruptedException {
        String line = sub.poll(millis);
        if (line != null) {
            remember(line);
        }
        return line;
    }

    /** @return the latest value of each {@code $SYS} topic seen so far, by full topic */
    Map<String, String> values() {
        return Collections.unmodifiableMap(latest);
    }

    long number(String topic) {
        return Long.parseLong(latest.get(PREFIX + topic));
    }

    private boolean take(long millis) throws InterruptedException {
        return poll(Math.max(1, millis)) != null;
    }

    private void remember(String line) {
        int tab = line.indexOf('\t');
        String topic = tab < 0 ? line : line.substring(0, tab);
        String payload = tab < 0 ? "" : line.substring(tab + 1);
        latest.put(topic, payload);
        if (topic.equals(PREFIX + "uptime")) {
            uptimes++;
        }
    }

    String output() {
        return sub.output();
    }

    @Override
    public void close() throws InterruptedException {
        sub.close();
    }
}
