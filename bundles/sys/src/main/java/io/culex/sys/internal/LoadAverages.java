package io.culex.sys.internal;

import java.util.List;
import java.util.function.ToLongFunction;

/**
 * The 1, 5 and 15 minute averages of one counter's rate, per minute, under {@code $SYS/broker/load/<name>/...}: the
 * exponentially weighted moving averages of Mosquitto's sys_tree.c. At each update the counter's rate over the
 * elapsed time {@code t} (seconds) moves each average to {@code rate + e^(-t/window) * (average - rate)}. An average
 * is published when it moved by at least 0.01 since the previous update (not since it was last published: Mosquitto's
 * rule), and all start at a published 0.00.
 */
final class LoadAverages {

    private static final String[] WINDOW_NAMES = {"1min", "5min", "15min"};
    private static final double[] WINDOW_SECONDS = {60, 300, 900};
    private static final double PUBLISH_STEP = 0.01;

    private final String[] topics = new String[WINDOW_NAMES.length];
    private final double[] averages = new double[WINDOW_NAMES.length];
    private final ToLongFunction<Sample> counter;
    private long previousCount;

    /**
     * @param name the part between {@code load/} and the window, e.g. {@code messages/received}
     * @param counter the monotonic counter whose rate is averaged
     */
    LoadAverages(String name, ToLongFunction<Sample> counter) {
        for (int i = 0; i < WINDOW_NAMES.length; i++) {
            topics[i] = SysTree.PREFIX + "load/" + name + "/" + WINDOW_NAMES[i];
        }
        this.counter = counter;
    }

    /** The first update: every average is published as 0.00 and the counter's value now becomes the baseline. */
    void start(Sample sample, List<SysMessage> out) {
        previousCount = counter.applyAsLong(sample);
        for (int i = 0; i < topics.length; i++) {
            averages[i] = 0;
            out.add(new SysMessage(topics[i], SysFormat.twoDecimals(0), true));
        }
    }

    /** A later update, {@code elapsedSeconds} (more than 0) after the previous one. */
    void update(Sample sample, double elapsedSeconds, List<SysMessage> out) {
        long count = counter.applyAsLong(sample);
        double ratePerMinute = (count - previousCount) * 60.0 / elapsedSeconds;
        previousCount = count;
        for (int i = 0; i < topics.length; i++) {
            double exponent = Math.exp(-elapsedSeconds / WINDOW_SECONDS[i]);
            double next = ratePerMinute + exponent * (averages[i] - ratePerMinute);
            if (Math.abs(next - averages[i]) >= PUBLISH_STEP) {
                out.add(new SysMessage(topics[i], SysFormat.twoDecimals(next), true));
            }
            averages[i] = next;
        }
    }
}
