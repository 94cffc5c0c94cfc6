package io.shmstore.internal.store;

import io.shmstore.memory.SharedMemory;

/**
 * Layout of a store's header, at offset 0 of its mapping's user area. Little-endian.
 *
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *  |               magic "SHMSTORE" (8 bytes, written last)        |   0
 *  |  format version  |  header length  |  segments  |  slots/seg   |   8
 *  |  chunk size      |  chunks/seg     |  configured entries (8)  |  24
 *  |  avg key size    |  avg value size |  full policy | reserved   |  40
 *  |  expire after write, ms (8)        |  key fingerprint (8)     |  56
 *  |  value fingerprint (8)             |  segment area offset (8) |  72
 *  |  segment stride (8)                |  store length (8)        |  88
 *  |  created at, epoch ms (8)          |  reserved (8)            | 104
 *  |  reserved (16)                                                | 112
 *  |  key description: 2-byte length + UTF-8, 126 bytes max       | 128
 *  |  value description: 2-byte length + UTF-8, 126 bytes max     | 256
 *  |  feed capacity (4) | record size (4) | feed offset (8)          | 384
 *  +---------------------------------------------------------------+
 *  |  segment 0 (see SegmentLayout) at segment area offset          | 4096
 *  |  segment 1 at + stride ...                                    |
 *  |  change feed (see FeedLayout) at feed offset                   |
 * </pre>
 *
 * <p><b>Visibility</b>: the creator writes every field and every segment's initial state, then the
 * magic with an ordered store, all before the mapping is published under its name (see
 * {@code SharedMemory.Builder#initializer}): an opener finds a finished header or no store at all.
 * Every field is immutable afterwards.
 */
public final class StoreLayout {
    /** "SHMSTORE" little-endian. */
    public static final long MAGIC = 0x45524F544D484853L;
    public static final int VERSION = 2;

    public static final int MAGIC_OFFSET = 0;
    public static final int VERSION_OFFSET = 8;
    public static final int HEADER_LENGTH_OFFSET = 12;
    public static final int SEGMENTS_OFFSET = 16;
    public static final int SLOTS_OFFSET = 20;
    public static final int CHUNK_SIZE_OFFSET = 24;
    public static final int CHUNKS_OFFSET = 28;
    public static final int ENTRIES_OFFSET = 32;
    public static final int AVG_KEY_OFFSET = 40;
    public static final int AVG_VALUE_OFFSET = 44;
    public static final int FULL_POLICY_OFFSET = 48;
    public static final int TTL_MILLIS_OFFSET = 56;
    public static final int KEY_FINGERPRINT_OFFSET = 64;
    public static final int VALUE_FINGERPRINT_OFFSET = 72;
    public static final int SEGMENT_AREA_OFFSET = 80;
    public static final int SEGMENT_STRIDE_OFFSET = 88;
    public static final int STORE_LENGTH_OFFSET = 96;
    public static final int CREATED_AT_OFFSET = 104;
    public static final int KEY_DESCRIPTION_OFFSET = 128;
    public static final int VALUE_DESCRIPTION_OFFSET = 256;
    public static final int DESCRIPTION_CAPACITY = 128;
    public static final int CHANGE_FEED_OFFSET = 384;

    public static final int HEADER_LENGTH = 4096;

    /** Limits that an opener checks before trusting the header's numbers. */
    public static final int MAX_SEGMENTS = 1 << 16;
    public static final int MAX_SLOTS = 1 << 28;
    public static final int MIN_CHUNK = 32;
    public static final int MAX_CHUNK = 1 << 16;
    public static final long MAX_CHUNKS = (1L << 31) - 2;
    public static final long MAX_STORE_LENGTH = SharedMemory.MAX_SIZE;

    private StoreLayout() {
    }

    public static long segmentOffset(long segmentArea, long stride, int segment) {
        return segmentArea + stride * segment;
    }
}
