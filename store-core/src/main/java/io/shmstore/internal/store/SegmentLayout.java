package io.shmstore.internal.store;

/**
 * Layout of one segment: a header of two cache lines among the segment headers, and a range of the
 * heap holding two slot tables, a chunk bitmap and the data chunks, each part with room to grow.
 * Offsets in the header are from its start; those in the range from the range's start.
 *
 * <pre>
 *  header (128 bytes; the first line is all a reader touches)
 *  +---------------------------------------------------------------+
 *  | lock word (LockWord, 16)                                      |   0
 *  | seqlock counter (8)                                           |  16
 *  | active table (4)              | slots in it (4)               |  24  one 8-byte word
 *  | chunks reserved (4)           | live entries (4)              |  32
 *  | tombstones (4)                | chunks in use (4)             |  40
 *  | allocation cursor (4)         | flags (4): 1 = has held expiring entries | 48
 *  | write sequence (8)                                            |  56
 *  | evictions (8)                 | expirations (8)               |  64
 *  | recoveries (8)                | damaged entries dropped (8)   |  80
 *  | growths (8)                   | reserved to 128               |  96
 *  +---------------------------------------------------------------+
 *  range (stride bytes)
 *  +---------------------------------------------------------------+
 *  | slot table 0: room for max slots x 8 bytes                    |   0
 *  | slot table 1: the same                                        |  table bytes
 *  | chunk bitmap: room for ceil(max chunks / 64) x 8 bytes        |  2 x table bytes
 *  | data: room for max chunks x 8 bytes (entries, see EntryLayout) |  + bitmap bytes
 *  +---------------------------------------------------------------+
 * </pre>
 *
 * <p><b>Slots</b> (8 bytes): {@code 0} empty, {@code -1} deleted (tombstone), otherwise
 * {@code tag << 32 | (chunk + 1)}, where {@code tag} is the high half of the key's hash and
 * {@code chunk} the entry's first chunk. Open addressing with linear probing from the home slot
 * {@code (hash & 0xFFFFFFFF) * slots >>> 32} (the table need not be a power of two), wrapping at the end.
 * A slot changes with one ordered 8-byte store.
 *
 * <p><b>Growth</b> happens in place, with the lock held: more data is the next pages of the data
 * part and of the bitmap, reserved, and then a larger {@code chunks reserved} (ordered store); more
 * slots is a rehash into the inactive table at a larger size, published by one ordered store of the
 * {@code active table | slots} word, after which the old table's pages are given back. Only the
 * reserved parts of a range occupy memory.
 *
 * <p><b>Visibility</b>: a writer holds the lock word, writes a new entry into free chunks
 * (copy-on-write), makes the seqlock counter odd (volatile store), stores the slot (or the
 * {@code active table | slots} word), makes the counter even (volatile store), and only then frees
 * the old chunks. A larger {@code chunks reserved} is stored before any slot points past the old
 * value. A reader reads the counter (volatile), the first header line, the slots and the entry,
 * issues a load fence and reads the counter again; equal and even means what it read was consistent.
 * Counts, the bitmap, the cursor and the statistics are written only under the lock.
 */
public final class SegmentLayout {
    public static final int LOCK_OFFSET = 0;
    public static final int SEQ_OFFSET = 16;
    public static final int TABLE_OFFSET = 24;
    public static final int CHUNKS_OFFSET = 32;
    public static final int COUNT_OFFSET = 36;
    public static final int TOMBSTONES_OFFSET = 40;
    public static final int USED_CHUNKS_OFFSET = 44;
    public static final int CURSOR_OFFSET = 48;
    public static final int FLAGS_OFFSET = 52;
    /** Set, and never cleared, once the segment holds an entry that expires: size() must look at them. */
    public static final int HELD_EXPIRING = 1;
    public static final int WRITE_SEQUENCE_OFFSET = 56;
    public static final int EVICTIONS_OFFSET = 64;
    public static final int EXPIRATIONS_OFFSET = 72;
    public static final int RECOVERIES_OFFSET = 80;
    /** Entries dropped because a repair or a rehash found them damaged. */
    public static final int DAMAGED_OFFSET = 88;
    public static final int GROWTHS_OFFSET = 96;
    public static final int HEADER_LENGTH = 128;

    /** Bytes per data chunk: entries start, and are sized, on 8-byte boundaries. */
    public static final int CHUNK = 8;

    public static final long EMPTY = 0L;
    public static final long TOMBSTONE = -1L;

    private SegmentLayout() {
    }

    /** The {@code active table | slots} word. */
    public static long tableWord(int active, int slots) {
        return (long) slots << 32 | (active & 0xFFFF_FFFFL);
    }

    public static int activeOf(long tableWord) {
        return (int) tableWord;
    }

    public static int slotsOf(long tableWord) {
        return (int) (tableWord >>> 32);
    }

    /** Room for one table of up to {@code maxSlots} slots, page-aligned. */
    public static long tableBytes(int maxSlots) {
        return StoreLayout.pageAlign((long) maxSlots * Long.BYTES);
    }

    /** Room for the bitmap of up to {@code maxChunks} chunks, page-aligned. */
    public static long bitmapBytes(long maxChunks) {
        return StoreLayout.pageAlign((maxChunks + 63) / 64 * Long.BYTES);
    }

    public static long tableOffset(int table, int maxSlots) {
        return table * tableBytes(maxSlots);
    }

    public static long bitmapOffset(int maxSlots) {
        return 2 * tableBytes(maxSlots);
    }

    public static long dataOffset(int maxSlots, long maxChunks) {
        return bitmapOffset(maxSlots) + bitmapBytes(maxChunks);
    }

    /** Bytes of one segment's range. */
    public static long stride(int maxSlots, long maxChunks) {
        return dataOffset(maxSlots, maxChunks) + StoreLayout.pageAlign(maxChunks * CHUNK);
    }

    /** The home slot of a hash in a table of {@code slots}: the table need not be a power of two. */
    public static int home(long hash, int slots) {
        return (int) (((hash & 0xFFFF_FFFFL) * slots) >>> 32);
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

    /** Bytes a segment with {@code slots} slots and {@code chunks} chunks reserves: one table, bitmap, data. */
    public static long reservedBytes(int slots, long chunks) {
        return StoreLayout.pageAlign((long) slots * Long.BYTES) + bitmapBytes(chunks)
                + StoreLayout.pageAlign(chunks * CHUNK);
    }
}
