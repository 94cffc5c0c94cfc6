package io.shmstore.internal.store;

import io.shmstore.memory.SharedMemory;

/**
 * Layout of a store, format version 3: a header, the segment headers, the change feed, then the
 * segments' ranges. Little-endian.
 *
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *  |               magic "SHMSTORE" (8 bytes, written last)        |   0
 *  |  format version  |  header length  |  segments  |  slots, initial | 8
 *  |  max slots/table |  chunks, initial |  configured entries (8)    |  24
 *  |  avg key size    |  avg value size |  full policy | max chunks    |  40
 *  |  expire after write, ms (8)        |  key fingerprint (8)        |  56
 *  |  value fingerprint (8)             |  segment headers offset (8) |  72
 *  |  heap offset (8)                   |  store length (8)           |  88
 *  |  created at, epoch ms (8)          |  max reserved bytes (8)     | 104
 *  |  segment stride (8)                |  (key description below)    | 120
 *  |  key description: 2-byte length + UTF-8, 126 bytes max       | 128
 *  |  value description: 2-byte length + UTF-8, 126 bytes max     | 256
 *  |  feed capacity (4) | record size (4) | feed offset (8)          | 384
 *  |  max entries (8)                   |  reserved to 1024           | 400
 *  |  metadata: 2-byte length + UTF-8, 3070 bytes max              | 1024
 *  +---------------------------------------------------------------+
 *  |  segment headers: segments x 128 (see SegmentLayout)          | 4096
 *  |  change feed (see FeedLayout) at feed offset (4096-aligned)   |
 *  |  segment 0's range at heap offset, segment s at + s x stride  |
 * </pre>
 *
 * <p>The mapping is created sparse: its length is what the store may grow to, and only the header, the
 * segment headers, the feed and each segment's initial tables and data are reserved. A segment grows
 * in place inside its own range (see {@link SegmentLayout}), so every process, having mapped the whole
 * length once, finds a grown store without remapping; reserved bytes across all segments stay under
 * {@code max reserved bytes}.
 *
 * <p><b>Visibility</b>: the creator writes every field, every segment header and the feed's header,
 * then the magic with an ordered store, all before the mapping is published under its name (see
 * {@code SharedMemory.Builder#initializer}): an opener finds a finished header or no store at all.
 * Every field here is immutable afterwards; what grows is in the segment headers.
 */
public final class StoreLayout {
    /** "SHMSTORE" little-endian. */
    public static final long MAGIC = 0x45524F544D484853L;
    /**
     * Version 1 had a locked change feed; version 2, the lock-free feed with fixed-size segments and
     * 32-byte entry headers. Both are refused, naming the versions.
     */
    public static final int VERSION = 3;

    public static final int MAGIC_OFFSET = 0;
    public static final int VERSION_OFFSET = 8;
    public static final int HEADER_LENGTH_OFFSET = 12;
    public static final int SEGMENTS_OFFSET = 16;
    public static final int INITIAL_SLOTS_OFFSET = 20;
    public static final int MAX_SLOTS_OFFSET = 24;
    public static final int INITIAL_CHUNKS_OFFSET = 28;
    public static final int ENTRIES_OFFSET = 32;
    public static final int AVG_KEY_OFFSET = 40;
    public static final int AVG_VALUE_OFFSET = 44;
    public static final int FULL_POLICY_OFFSET = 48;
    public static final int MAX_CHUNKS_OFFSET = 52;
    public static final int TTL_MILLIS_OFFSET = 56;
    public static final int KEY_FINGERPRINT_OFFSET = 64;
    public static final int VALUE_FINGERPRINT_OFFSET = 72;
    public static final int SEGMENT_HEADERS_OFFSET = 80;
    public static final int HEAP_OFFSET = 88;
    public static final int STORE_LENGTH_OFFSET = 96;
    public static final int CREATED_AT_OFFSET = 104;
    public static final int MAX_RESERVED_OFFSET = 112;
    public static final int SEGMENT_STRIDE_OFFSET = 120;
    public static final int KEY_DESCRIPTION_OFFSET = 128;
    public static final int VALUE_DESCRIPTION_OFFSET = 256;
    public static final int DESCRIPTION_CAPACITY = 128;
    /** The change feed's descriptor (see {@link FeedLayout}): capacity, record size, offset. */
    public static final int CHANGE_FEED_OFFSET = 384;
    public static final int MAX_ENTRIES_OFFSET = CHANGE_FEED_OFFSET + 16;
    /**
     * Text the creator records ({@code SharedStoreBuilder.metadata}), for openers to check: a 2-byte
     * length, then UTF-8. Zero length (the reserved area's zeros) is no metadata.
     */
    public static final int METADATA_OFFSET = 1024;
    public static final int METADATA_CAPACITY = 3072; // to the header's end

    public static final int HEADER_LENGTH = 4096;
    public static final int PAGE = 4096;

    /** Limits that an opener checks before trusting the header's numbers. */
    public static final int MAX_SEGMENTS = 1 << 10;
    public static final int MIN_SLOTS = 16;
    public static final int MAX_SLOTS = 1 << 28;
    public static final long MAX_CHUNKS = (1L << 31) - 2;
    public static final long MAX_STORE_LENGTH = SharedMemory.MAX_SIZE;

    private StoreLayout() {
    }

    public static long pageAlign(long bytes) {
        return (bytes + PAGE - 1) & -PAGE;
    }

    /** Where segment {@code s}'s header is, from the store's start. */
    public static long segmentHeaderOffset(long segmentHeaders, int segment) {
        return segmentHeaders + (long) segment * SegmentLayout.HEADER_LENGTH;
    }

    /** Where segment {@code s}'s range starts, from the store's start. */
    public static long segmentOffset(long heap, long stride, int segment) {
        return heap + stride * segment;
    }
}
