package io.shmstore.examples;

/**
 * Latencies in nanoseconds, counted in log-linear buckets (HdrHistogram's idea, in a few lines): 64
 * buckets per power of two, so a percentile is within 1/64 (1.6%) of the true value, and recording
 * costs an index computation and an increment however long the consumer runs. A sorted array of every
 * sample would be exact but grow without bound.
 */
final class LatencyHistogram {
    private static final int SUB_BITS = 6;
    private static final int SUB = 1 << SUB_BITS;

    private final long[] counts = new long[(64 - SUB_BITS + 1) * SUB];
    private long total;
    private long max;

    void record(long nanos) {
        long v = Math.max(0, nanos);
        counts[index(v)]++;
        total++;
        max = Math.max(max, v);
    }

    long count() {
        return total;
    }

    long max() {
        return max;
    }

    /** The value at or below which {@code percent} percent of the samples lie; 0 when there are none. */
    long percentile(double percent) {
        long rank = Math.max(1, (long) Math.ceil(total * percent / 100.0));
        long seen = 0;
        for (int i = 0; i < counts.length; i++) {
            seen += counts[i];
            if (seen >= rank) {
                return Math.min(highestIn(i), max);
            }
        }
        return 0;
    }

    /** Values below 64 have a bucket each; above, a power of two splits into 64 equal buckets. */
    private static int index(long v) {
        if (v < SUB) {
            return (int) v;
        }
        int exponent = 63 - Long.numberOfLeadingZeros(v);
        int shift = exponent - SUB_BITS;
        return (shift + 1) * SUB + (int) ((v >>> shift) & (SUB - 1));
    }

    private static long highestIn(int index) {
        if (index < SUB) {
            return index;
        }
        int shift = index / SUB - 1;
        long sub = index % SUB;
        return ((SUB + sub + 1) << shift) - 1;
    }
}
