package io.culex.bench;

/**
 * Latencies in nanoseconds in log-linear buckets (64 per power of two, so within 1.6 %), enough for percentiles
 * without keeping every value.
 */
final class LatencyHistogram {

    private static final int SUB_BITS = 6;
    private static final int SUB = 1 << SUB_BITS;
    private final long[] counts = new long[64 * SUB];
    private long total;
    private long max;

    void record(long nanos) {
        if (nanos < 0) {
            nanos = 0;
        }
        counts[index(nanos)]++;
        total++;
        if (nanos > max) {
            max = nanos;
        }
    }

    private static int index(long v) {
        if (v < SUB) {
            return (int) v;
        }
        int shift = 63 - Long.numberOfLeadingZeros(v) - SUB_BITS; // v >>> shift is in [SUB, 2 * SUB)
        int mantissa = (int) (v >>> shift) - SUB;
        return (shift + 1) * SUB + mantissa;
    }

    private static long lowest(int index) {
        int exponent = index / SUB;
        int mantissa = index % SUB;
        if (exponent == 0) {
            return mantissa;
        }
        return (long) (mantissa + SUB) << (exponent - 1);
    }

    void add(LatencyHistogram other) {
        for (int i = 0; i < counts.length; i++) {
            counts[i] += other.counts[i];
        }
        total += other.total;
        max = Math.max(max, other.max);
    }

    long count() {
        return total;
    }

    long max() {
        return max;
    }

    /** @return the value below which {@code fraction} of the recorded values lie, in nanoseconds */
    long percentile(double fraction) {
        if (total == 0) {
            return 0;
        }
        long rank = (long) Math.ceil(fraction * total);
        long seen = 0;
        for (int i = 0; i < counts.length; i++) {
            seen += counts[i];
            if (seen >= rank) {
                return Math.min(lowest(i), max);
            }
        }
        return max;
    }
}
