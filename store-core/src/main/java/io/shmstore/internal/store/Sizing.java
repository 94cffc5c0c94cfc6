package io.shmstore.internal.store;

import io.shmstore.FullPolicy;

/**
 * Turns the user's {@code entries}, {@code averageKeySize} and {@code averageValueSize} into a
 * geometry, the way Chronicle Map does, but with headroom so that a store does not fill at a fraction
 * of {@code entries}:
 * <ul>
 *   <li>entries spread over segments unevenly (binomially): each segment is sized for its share plus
 *       four standard deviations;</li>
 *   <li>data is sized for entries 50% larger than the averages, plus half a chunk of rounding each;</li>
 *   <li>each slot table has twice as many slots as the segment's entries (load at most 1/2), and
 *       inserts are refused only above 3/4;</li>
 *   <li>the change feed holds the power of two at or above {@code entries} (1,024 to 1,048,576)
 *       records, each with room for keys twice the average.</li>
 * </ul>
 */
final class Sizing {
    private Sizing() {
    }

    static StoreConfig of(String name, long entries, int avgKey, int avgValue, int segmentsOrZero,
                                 FullPolicy policy, long ttlMillis, int feedCapacityOrZero) {
        int segments = segmentsOrZero > 0 ? segmentsOrZero
                : (int) Math.min(1024, Long.highestOneBit(Math.max(1, (entries + 4095) / 4096) * 2 - 1));
        if (Integer.bitCount(segments) != 1) {
            segments = Integer.highestOneBit(segments) << 1;
        }
        double share = (double) entries / segments;
        long perSegment = (long) Math.ceil(share + 4 * Math.sqrt(share) + 8);
        long slots = Long.highestOneBit(Math.max(16, perSegment * 2 - 1)) << 1;
        if (slots > StoreLayout.MAX_SLOTS) {
            throw new IllegalArgumentException("entries " + entries + " need " + slots + " slots per segment with "
                    + segments + " segments; use more segments");
        }
        long entryBytes = EntryLayout.HEADER_LENGTH + (long) avgKey + avgValue;
        int chunk = (int) Math.min(1024, Math.max(StoreLayout.MIN_CHUNK, Long.highestOneBit(Math.max(1, entryBytes / 4)) << 1));
        double perEntry = (EntryLayout.HEADER_LENGTH + 1.5 * (avgKey + avgValue)) + chunk / 2.0;
        long chunks = (long) Math.ceil(perSegment * perEntry / chunk) + 4;
        if (chunks > StoreLayout.MAX_CHUNKS) {
            throw new IllegalArgumentException("entries " + entries + " of about " + entryBytes + " bytes need "
                    + chunks + " chunks per segment with " + segments + " segments; use more segments");
        }
        long stride = SegmentLayout.stride((int) slots, (int) chunks, chunk);
        int feed = feedCapacityOrZero > 0 ? feedCapacityOrZero
                : (int) Long.highestOneBit(Math.min(1 << 20, Math.max(1024, entries)) * 2 - 1);
        return new StoreConfig(name, segments, (int) slots, chunk, (int) chunks, entries, avgKey, avgValue, policy,
                ttlMillis, StoreLayout.HEADER_LENGTH, stride, feed, FeedLayout.recordSizeFor(avgKey));
    }
}
