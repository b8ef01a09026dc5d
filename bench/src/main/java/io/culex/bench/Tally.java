package io.culex.bench;

import java.util.BitSet;

/**
 * What one subscriber received: which sequence numbers of which publisher (for loss and duplicates), arrivals in the
 * measured window and their latencies. Touched only on the subscriber's event loop until the run is over.
 */
final class Tally {

    private final BitSet[] seen;
    private final Window window;
    final LatencyHistogram latency = new LatencyHistogram();
    long received;
    long duplicates;
    long arrivalsInWindow;
    long lastArrivalNanos;

    Tally(int publishers, Window window) {
        seen = new BitSet[publishers];
        for (int i = 0; i < publishers; i++) {
            seen[i] = new BitSet();
        }
        this.window = window;
    }

    void record(int publisher, long sequence, long sentNanos, long now) {
        received++;
        lastArrivalNanos = now;
        if (publisher < 0 || publisher >= seen.length || sequence < 0 || sequence > Integer.MAX_VALUE) {
            duplicates++; // not a message of this run
            return;
        }
        BitSet bits = seen[publisher];
        int bit = (int) sequence;
        if (bits.get(bit)) {
            duplicates++;
        } else {
            bits.set(bit);
        }
        if (now >= window.start && now < window.end) {
            arrivalsInWindow++;
            latency.record(now - sentNanos);
        }
    }

    /** @return distinct messages of the publisher with sequence numbers in [from, to) */
    long distinct(int publisher, long from, long to) {
        if (from < 0 || to <= from) {
            return 0;
        }
        return seen[publisher].get((int) from, (int) to).cardinality();
    }
}
