package io.shmstore.internal.store;

import io.shmstore.FullPolicy;

/**
 * The geometry and policies of one store, as read from (or about to be written to) its header.
 * Every number has been bounds-checked against {@link StoreLayout}'s limits and the mapping's size.
 */
record StoreConfig(String name, int segments, int slots, int chunkSize, int chunks, long entries,
                          int averageKeySize, int averageValueSize, FullPolicy fullPolicy, long ttlMillis,
                          long segmentArea, long stride, int feedCapacity, int recordSize) {

    /** Where the change feed starts, from the store's start: right after the last segment. */
    long feedOffset() {
        return segmentArea + stride * segments;
    }

    /** Bytes of the whole store: header, segments and change feed. */
    long length() {
        return feedOffset() + FeedLayout.length(feedCapacity, recordSize);
    }

    /** Whether an entry written at {@code writtenAt} (epoch ms) has expired at {@code now}. */
    boolean expired(long writtenAt, long now) {
        return ttlMillis > 0 && now - writtenAt >= ttlMillis;
    }

    /** The largest entry (key and value bytes) that fits in one segment's data. */
    long maxEntryBytes() {
        return (long) chunks * chunkSize - EntryLayout.HEADER_LENGTH;
    }
}
