package io.shmstore.internal.store;

/**
 * Layout of the change feed: a header and a ring of fixed-size records, after the last segment.
 *
 * <pre>
 *  feed header (128 bytes)
 *  +---------------------------------------------------------------+
 *  | append lock (LockWord, 16)                                    |   0
 *  | published: records published so far (8; low half = futex)    |  16
 *  | waiters (4)                   | reserved to 128               |  24
 *  +---------------------------------------------------------------+
 *  record (recordSize bytes; record n at 128 + (n % capacity) * recordSize)
 *  +---------------------------------------------------------------+
 *  | sequence (8): n when complete, -1 while being written         |   0
 *  | type (4)                      | key length (4), -1 = too long |   8
 *  | key hash (8)                                                  |  16
 *  | entry: segment << 32 | chunk (8), -1 = none                   |  24
 *  | key bytes (key capacity = recordSize - 32)                    |  32
 *  +---------------------------------------------------------------+
 * </pre>
 *
 * <p><b>Visibility</b>: a writer holds the append lock, takes {@code n = published}, stores
 * {@code sequence = -1} (ordered), writes the fields, stores {@code sequence = n} (ordered), then
 * {@code published = n + 1} (volatile) and wakes sleepers if {@code waiters > 0}. A reader reads only
 * records below {@code published}; it reads {@code sequence}, the fields, a load fence and
 * {@code sequence} again, and accepts the copy only if both equal {@code n} — otherwise the record
 * was overwritten (the reader was lapped). A writer that dies before storing {@code published}
 * leaves nothing a reader will read; the next writer overwrites that record.
 */
public final class FeedLayout {
    public static final int LOCK_OFFSET = 0;
    public static final int PUBLISHED_OFFSET = 16;
    public static final int WAITERS_OFFSET = 24;
    public static final int HEADER_LENGTH = 128;

    public static final int SEQUENCE_OFFSET = 0;
    public static final int TYPE_OFFSET = 8;
    public static final int KEY_LENGTH_OFFSET = 12;
    public static final int KEY_HASH_OFFSET = 16;
    public static final int ENTRY_OFFSET = 24;
    public static final int KEY_OFFSET = 32;

    public static final int MIN_CAPACITY = 64;
    public static final int MAX_CAPACITY = 1 << 24;
    public static final int MIN_RECORD = 64;
    public static final int MAX_RECORD = 512;

    /** In the store header: capacity (4), record size (4), feed offset from the store's start (8). */
    public static final int CAPACITY_FIELD = StoreLayout.CHANGE_FEED_OFFSET;
    public static final int RECORD_SIZE_FIELD = StoreLayout.CHANGE_FEED_OFFSET + 4;
    public static final int FEED_OFFSET_FIELD = StoreLayout.CHANGE_FEED_OFFSET + 8;

    private FeedLayout() {
    }

    public static long length(int capacity, int recordSize) {
        return HEADER_LENGTH + (long) capacity * recordSize;
    }

    /** Record size for keys of about {@code averageKeySize}: room for twice that, 64 to 512 bytes. */
    public static int recordSizeFor(int averageKeySize) {
        long want = KEY_OFFSET + 2L * averageKeySize;
        long size = Long.highestOneBit(Math.max(MIN_RECORD, want) - 1) << 1;
        return (int) Math.min(MAX_RECORD, Math.max(MIN_RECORD, size));
    }
}
