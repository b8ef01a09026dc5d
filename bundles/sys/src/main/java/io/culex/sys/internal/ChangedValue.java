package io.culex.sys.internal;

import java.util.List;
import java.util.function.ToLongFunction;

/**
 * A counter of the tree, published under its topics (Mosquitto keeps deprecated aliases such as
 * {@code clients/active} beside {@code clients/connected}) when it differs from what was last published: every
 * value at the first update, then only changes. A maximum is published only when it grows, starting from 0, as
 * Mosquitto's {@code clients/maximum}.
 */
final class ChangedValue {

    private final List<String> topics;
    private final ToLongFunction<Sample> source;
    private final boolean maximum;
    private boolean published;
    private long last;

    private ChangedValue(List<String> topics, ToLongFunction<Sample> source, boolean maximum) {
        this.topics = topics;
        this.source = source;
        this.maximum = maximum;
    }

    /** @param topics {@code $SYS/broker/}-relative topics, in the order Mosquitto publishes them */
    static ChangedValue counter(ToLongFunction<Sample> source, String... topics) {
        return new ChangedValue(absolute(topics), source, false);
    }

    static ChangedValue maximum(ToLongFunction<Sample> source, String topic) {
        return new ChangedValue(absolute(topic), source, true);
    }

    private static List<String> absolute(String... topics) {
        return java.util.Arrays.stream(topics).map(t -> SysTree.PREFIX + t).toList();
    }

    void collect(Sample sample, List<SysMessage> out) {
        long value = source.applyAsLong(sample);
        boolean changed = maximum ? value > last : !published || value != last;
        if (changed) {
            published = true;
            last = value;
            String text = Long.toString(value);
            for (String topic : topics) {
                out.add(new SysMessage(topic, text, true));
            }
        }
    }
}
