package io.shmstore.internal.store;

import io.shmstore.FullPolicy;

/**
 * The geometry and policies of one store, as read from (or about to be written to) its header.
 * Every number has been bounds-checked against {@link StoreLayout}'s limits and the mapping's size.
 */
public record StoreConfig(String name, int segments, int slots, int chunkSize, int chunks, long entries,
                          int averageKeySize, int averageValueSize, FullPolicy fullPolicy, long ttlMillis,
                          long segmentArea, long stride) {

    /** Bytes of the whole store: header and segments. */
    public long length() {
        return segmentArea + stride * segments;
    }

    /** The largest entry (key and value bytes) that fits in one segment's data. */
    public long maxEntryBytes() {
        return (long) chunks * chunkSize - EntryLayout.HEADER_LENGTH;
    }
}
