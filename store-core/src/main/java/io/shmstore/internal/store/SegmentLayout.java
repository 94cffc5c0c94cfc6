package io.shmstore.internal.store;

/**
 * Layout of one segment: a header on its own cache lines, two slot tables, a chunk bitmap and the
 * data chunks. Offsets are from the segment's start; the segment is 4096-byte aligned.
 *
 * <pre>
 *  +---------------------------------------------------------------+
 *  | lock word (LockWord, 16)                                      |   0
 *  | seqlock counter (8)           | live entries (4) | tombstones | 16
 *  | active table (4) | used chunks (4) | alloc cursor (4) | rsvd  | 32
 *  | write sequence (8)            | evictions (8)                 | 48
 *  | expirations (8)               | recoveries (8)                | 64
 *  | damaged entries dropped (8)   | reserved to 128               | 80
 *  +---------------------------------------------------------------+
 *  | slot table 0: slots x 8 bytes                                 | 128
 *  | slot table 1: slots x 8 bytes                                 |
 *  | chunk bitmap: ceil(chunks / 64) x 8 bytes (1 = used)          |
 *  | data: chunks x chunk size (entries, see EntryLayout)          | 8-aligned
 *  +---------------------------------------------------------------+
 * </pre>
 *
 * <p><b>Slots</b> (8 bytes): {@code 0} empty, {@code -1} deleted (tombstone), otherwise
 * {@code tag << 32 | (chunk + 1)}, where {@code tag} is the high half of the key's hash and
 * {@code chunk} the entry's first chunk. Open addressing with linear probing from {@code hash & (slots
 * - 1)}. A slot changes with one ordered 8-byte store.
 *
 * <p><b>Visibility</b>: a writer holds the lock word, writes a new entry into free chunks
 * (copy-on-write), makes the seqlock counter odd (volatile store), stores the slot (or flips the
 * active table), makes the counter even (volatile store), and only then frees the old chunks. A reader
 * reads the counter (volatile), reads the slots and copies the entry, issues a load fence and reads the
 * counter again; equal and even means what it copied was consistent. Counts, the bitmap, the cursor
 * and the statistics are written only under the lock; readers use them for statistics alone.
 */
public final class SegmentLayout {
    public static final int LOCK_OFFSET = 0;
    public static final int SEQ_OFFSET = 16;
    public static final int COUNT_OFFSET = 24;
    public static final int TOMBSTONES_OFFSET = 28;
    public static final int ACTIVE_TABLE_OFFSET = 32;
    public static final int USED_CHUNKS_OFFSET = 36;
    public static final int CURSOR_OFFSET = 40;
    public static final int WRITE_SEQUENCE_OFFSET = 48;
    public static final int EVICTIONS_OFFSET = 56;
    public static final int EXPIRATIONS_OFFSET = 64;
    public static final int RECOVERIES_OFFSET = 72;
    /** Entries dropped because a repair or a rehash found them damaged. */
    public static final int DAMAGED_OFFSET = 80;
    public static final int HEADER_LENGTH = 128;

    public static final long EMPTY = 0L;
    public static final long TOMBSTONE = -1L;

    private SegmentLayout() {
    }

    public static long tableOffset(int table, int slots) {
        return HEADER_LENGTH + (long) table * slots * Long.BYTES;
    }

    public static long bitmapOffset(int slots) {
        return tableOffset(2, slots);
    }

    public static long bitmapLength(int chunks) {
        return ((chunks + 63L) / 64) * Long.BYTES;
    }

    public static long dataOffset(int slots, int chunks) {
        return bitmapOffset(slots) + bitmapLength(chunks);
    }

    /** Bytes of one segment, rounded up to 4096. */
    public static long stride(int slots, int chunks, int chunkSize) {
        long raw = dataOffset(slots, chunks) + (long) chunks * chunkSize;
        return (raw + 4095) & ~4095L;
    }

    public static long slot(int tag, int chunk) {
        return ((long) tag << 32) | ((chunk + 1L) & 0xFFFF_FFFFL);
    }

    public static int chunkOf(long slot) {
        return (int) (slot & 0xFFFF_FFFFL) - 1;
    }

    public static int tagOf(long slot) {
        return (int) (slot >>> 32);
    }

    public static boolean isLive(long slot) {
        return slot != EMPTY && slot != TOMBSTONE;
    }
}
