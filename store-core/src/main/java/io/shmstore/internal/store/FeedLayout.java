package io.shmstore.internal.store;

/**
 * Layout of the change feed: a header and a ring of fixed-size records, after the last segment.
 *
 * <pre>
 *  feed header (128 bytes)
 *  +---------------------------------------------------------------+
 *  | tail: records claimed so far (8; low half = futex word)      |   0
 *  | waiters (4)                   | reserved to 128               |   8
 *  +---------------------------------------------------------------+
 *  record (recordSize bytes; record n at 128 + (n % capacity) * recordSize)
 *  +---------------------------------------------------------------+
 *  | state (8): n + 1 when complete, 0 never written, WRITING      |   0
 *  | writer (8): process word (pid, start tag << 32)               |   8
 *  | checksum (8): hash of n and bytes 24 to the key's end         |  16
 *  | type (4): code | flags << 8   | key length (4), -1 = too long |  24
 *  | key hash (8)                                                  |  32
 *  | entry: segment << 32 | chunk (8), -1 = none                   |  40
 *  | key bytes (key capacity = recordSize - 48)                    |  48
 *  +---------------------------------------------------------------+
 * </pre>
 *
 * <p><b>Appending</b> takes no lock. A writer (holding its segment's lock, after its change is
 * visible) claims sequence {@code n} with an atomic add on {@code tail}, stores its process word in
 * {@code writer}, stores {@code state = WRITING} (volatile), writes the fields and the checksum, stores
 * {@code state = n + 1} (ordered), and wakes sleepers if {@code waiters > 0}. Nothing in it can wait
 * or time out, so an append cannot fail after the change it records took effect.
 *
 * <p><b>Reading</b>: a reader at {@code n} reads only below {@code tail}; at most {@code capacity}
 * records below it are in the ring (a reader further behind was lapped and is told how many it lost).
 * It reads {@code state} (volatile); if it is {@code n + 1} it copies the fields, issues a load fence,
 * reads {@code state} again and accepts the copy if it is still {@code n + 1} and the checksum holds.
 * A later state means the record was overwritten: lapped. {@code WRITING} by a process that is dead,
 * or any incomplete state that lasts a second, means the writer died (or stalled) mid-append: the
 * reader skips the record and reports it lost. A complete state whose copy fails its checksum is a
 * writer more than a lap late overwriting a newer record's fields: reported lost as well.
 */
public final class FeedLayout {
    public static final int TAIL_OFFSET = 0;
    public static final int WAITERS_OFFSET = 8;
    public static final int HEADER_LENGTH = 128;

    public static final int STATE_OFFSET = 0;
    public static final int WRITER_OFFSET = 8;
    public static final int CHECKSUM_OFFSET = 16;
    public static final int TYPE_OFFSET = 24;
    public static final int KEY_LENGTH_OFFSET = 28;
    public static final int KEY_HASH_OFFSET = 32;
    public static final int ENTRY_OFFSET = 40;
    public static final int KEY_OFFSET = 48;

    /** The low byte of {@code type} is the {@code ChangeType} code... */
    public static final int TYPE_MASK = 0xFF;
    /** ...and this flag beside it says a put replaced a value that had not expired (a put without it created one). */
    public static final int REPLACED = 0x100;

    /** {@code state} while a writer fills the record. */
    public static final long WRITING = Long.MIN_VALUE;
    /** {@code state} of a record never written. */
    public static final long NEVER_WRITTEN = 0;

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
        return (int) Math.min(MAX_RECORD, Sizing.ceilingPowerOfTwo(Math.max(MIN_RECORD, want)));
    }

    /** The {@code state} of complete record {@code n}. */
    public static long complete(long sequence) {
        return sequence + 1;
    }
}
