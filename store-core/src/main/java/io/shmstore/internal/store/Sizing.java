package io.shmstore.internal.store;

import io.shmstore.FullPolicy;

/**
 * Turns the user's {@code entries}, {@code maxEntries}, {@code averageKeySize} and
 * {@code averageValueSize} into a geometry, reserving at creation what {@code entries} of average size
 * need and letting each segment grow for the rest:
 * <ul>
 *   <li>entries spread over segments unevenly (binomially): each segment starts sized for its share
 *       plus one standard deviation, and the sixth of them that get more grow;</li>
 *   <li>a table holds up to 0.85 of its slots before it grows (by half); it starts at 0.8;</li>
 *   <li>a segment serves about 8,192 entries (so pages rounded up per segment stay a small part of it),
 *       up to 1,024 segments;</li>
 *   <li>data starts at the share's entries of average size: entries of other sizes, and the
 *       fragmentation they cause, are what growth is for;</li>
 *   <li>each segment has room to reach twice its share of {@code maxEntries} (entries, and data for
 *       entries of average size), and all segments together may reserve {@code maxEntries / entries}
 *       times what they reserved at creation;</li>
 *   <li>the change feed holds the power of two at or above {@code entries} records, 1,024 to 65,536,
 *       each with room for keys twice the average (a smaller one saves a few bytes per entry and
 *       laps the demo's consumer).</li>
 * </ul>
 */
final class Sizing {
    /** The table load at creation, and the load at which it grows. */
    static final double INITIAL_LOAD = 0.80;
    static final double MAX_LOAD = 0.85;
    /** The entries a segment is sized for, when the user does not choose the number of segments. */
    static final long ENTRIES_PER_SEGMENT = 8192;

    private Sizing() {
    }

    static StoreConfig of(String name, long entries, long maxEntries, int avgKey, int avgValue, int segmentsOrZero,
                          FullPolicy policy, long ttlMillis, int feedCapacityOrZero) {
        // the user's count rounded up to a power of two, or one segment per ENTRIES_PER_SEGMENT entries
        int segments = (int) ceilingPowerOfTwo(segmentsOrZero > 0 ? segmentsOrZero
                : Math.min(StoreLayout.MAX_SEGMENTS, (entries + ENTRIES_PER_SEGMENT - 1) / ENTRIES_PER_SEGMENT));
        double share = (double) entries / segments;
        long perSegment = (long) Math.ceil(share + Math.sqrt(share) + 4);
        long maxPerSegment = (long) Math.ceil(2.0 * maxEntries / segments) + 16;
        long slots = Math.max(StoreLayout.MIN_SLOTS, (long) Math.ceil(perSegment / INITIAL_LOAD));
        long maxSlots = Math.max(slots, (long) Math.ceil(maxPerSegment / INITIAL_LOAD));
        if (maxSlots > StoreLayout.MAX_SLOTS) {
            throw new IllegalArgumentException("maxEntries " + maxEntries + " need " + maxSlots + " slots per segment with "
                    + segments + " segments; use more segments");
        }
        int flags = (ttlMillis > 0 ? EntryLayout.EXPIRES : 0) | (policy == FullPolicy.EVICT ? EntryLayout.WRITTEN : 0);
        long entryBytes = align((long) EntryLayout.headerLength(flags) + avgKey + avgValue);
        long chunks = (long) Math.ceil((double) perSegment * entryBytes / SegmentLayout.CHUNK) + 2;
        long maxChunks = Math.max(chunks, (long) Math.ceil((double) maxPerSegment * entryBytes / SegmentLayout.CHUNK) + 2);
        if (maxChunks > StoreLayout.MAX_CHUNKS) {
            throw new IllegalArgumentException("maxEntries " + maxEntries + " of about " + entryBytes + " bytes need "
                    + maxChunks + " chunks per segment with " + segments + " segments; use more segments");
        }
        int feed = feedCapacityOrZero > 0 ? feedCapacityOrZero
                : (int) ceilingPowerOfTwo(Math.min(1 << 16, Math.max(1024, entries)));
        long initial = segments * SegmentLayout.reservedBytes((int) slots, chunks);
        long maxReserved = Math.max(initial, (long) Math.ceil((double) initial * maxEntries / Math.max(1, entries)));
        return new StoreConfig(name, segments, (int) slots, (int) maxSlots, (int) chunks, (int) maxChunks, entries,
                maxEntries, avgKey, avgValue, policy, ttlMillis, maxReserved, feed, FeedLayout.recordSizeFor(avgKey));
    }

    /** The least power of two at or above {@code n} (1 for {@code n} below 1). */
    static long ceilingPowerOfTwo(long n) {
        return Long.highestOneBit(Math.max(1, n) * 2 - 1);
    }

    private static long align(long bytes) {
        return (bytes + SegmentLayout.CHUNK - 1) & -SegmentLayout.CHUNK;
    }
}
