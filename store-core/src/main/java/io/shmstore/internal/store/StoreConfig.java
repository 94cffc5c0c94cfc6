package io.shmstore.internal.store;

import io.shmstore.FullPolicy;

/**
 * The geometry and policies of one store, as read from (or about to be written to) its header. Every
 * number has been bounds-checked against {@link StoreLayout}'s limits and the mapping's size.
 *
 * @param initialSlots  slots of each segment's table at creation
 * @param maxSlots      the most slots a segment's table may grow to (the room each table has)
 * @param initialChunks data chunks each segment reserves at creation
 * @param maxChunks     the most chunks a segment's data may grow to (the room its data part has)
 * @param maxEntries    the entries the store was allowed to grow to, as the user set it
 * @param maxReserved   the most bytes all segments together may reserve: growth stops there
 */
record StoreConfig(String name, int segments, int initialSlots, int maxSlots, int initialChunks, int maxChunks,
                   long entries, long maxEntries, int averageKeySize, int averageValueSize, FullPolicy fullPolicy,
                   long ttlMillis, long maxReserved, int feedCapacity, int recordSize) {

    /** Where the segment headers start, from the store's start. */
    long segmentHeaders() {
        return StoreLayout.HEADER_LENGTH;
    }

    /** Where the change feed starts: after the segment headers, on a page. */
    long feedOffset() {
        return StoreLayout.pageAlign(segmentHeaders() + (long) segments * SegmentLayout.HEADER_LENGTH);
    }

    /** Where the segments' ranges start: after the feed, on a page. */
    long heapOffset() {
        return StoreLayout.pageAlign(feedOffset() + FeedLayout.length(feedCapacity, recordSize));
    }

    long stride() {
        return SegmentLayout.stride(maxSlots, maxChunks);
    }

    /** Bytes of the whole store, as far as it may grow. */
    long length() {
        return heapOffset() + stride() * segments;
    }

    /** Bytes the segments reserve at creation. */
    long initialReserved() {
        return segments * SegmentLayout.reservedBytes(initialSlots, initialChunks);
    }

    /** The largest entry (header, key and value bytes) a segment can ever hold. */
    long maxEntryBytes() {
        return (long) maxChunks * SegmentLayout.CHUNK;
    }

    /** The optional fields every entry of this store carries: its expiry when it has one, its write time to evict. */
    int entryFlags(boolean expires) {
        return (expires ? EntryLayout.EXPIRES : 0) | (fullPolicy == FullPolicy.EVICT ? EntryLayout.WRITTEN : 0);
    }
}
