package io.shmstore.internal.store;

import io.shmstore.internal.sync.SharedAtomics;
import net.openhft.chronicle.core.Memory;
import net.openhft.chronicle.core.OS;

/**
 * A segment's slot tables and seqlock (layout and visibility in {@link SegmentLayout}): open
 * addressing with linear probing over the active table, tombstones for deletes, and a rehash into the
 * inactive table, at the same size or larger, followed by one store of the {@code active | slots} word.
 * The only writer of what lock-free readers see: every slot store and every switch of tables happens
 * inside the seqlock.
 *
 * <p>Every slot followed to its entry goes through the segment's {@link EntryValidator}.
 */
final class SlotTable {
    private static final Memory MEMORY = OS.memory();

    private final long header;
    private final long range;
    private final int maxSlots;
    private final EntryValidator entries;
    private final Space space;

    /** The segment's storage: reserving before a table is written, giving its pages back after. */
    interface Space {
        void reserve(long rangeOffset, long length);

        void release(long rangeOffset, long length);
    }

    /**
     * @param header   address of the segment's header
     * @param range    address of the segment's range
     * @param maxSlots the room each table has
     */
    SlotTable(long header, long range, int maxSlots, EntryValidator entries, Space space) {
        this.header = header;
        this.range = range;
        this.maxSlots = maxSlots;
        this.entries = entries;
        this.space = space;
    }

    /** Writes an empty segment's table word: table 0, {@code slots} slots (the range is zero). */
    static void initialize(long header, int slots) {
        MEMORY.writeLong(header + SegmentLayout.TABLE_OFFSET, SegmentLayout.tableWord(0, slots));
    }

    // ---------------------------------------------------------------- seqlock

    /** The seqlock counter (volatile read). Negative only when damaged: it counts up from zero. */
    long sequence() {
        return MEMORY.readVolatileLong(header + SegmentLayout.SEQ_OFFSET);
    }

    /** True when nothing was published since the counter read {@code s1}: what was read is consistent. */
    boolean unchangedSince(long s1) {
        MEMORY.loadFence();
        return sequence() == s1;
    }

    /** Lock held: a dead writer may have left the counter odd; make it even again. */
    void settleSequence() {
        long s = MEMORY.readLong(header + SegmentLayout.SEQ_OFFSET);
        if ((s & 1) != 0) {
            MEMORY.writeVolatileLong(header + SegmentLayout.SEQ_OFFSET, s + 1);
        }
    }

    private void publishBegin() {
        long seq = header + SegmentLayout.SEQ_OFFSET;
        MEMORY.writeVolatileLong(seq, MEMORY.readLong(seq) + 1);
    }

    private void publishEnd() {
        long seq = header + SegmentLayout.SEQ_OFFSET;
        MEMORY.writeVolatileLong(seq, MEMORY.readLong(seq) + 1);
    }

    // ---------------------------------------------------------------- the active table

    /** The {@code active | slots} word (volatile read); check it with {@link #table}. */
    long word() {
        return MEMORY.readVolatileLong(header + SegmentLayout.TABLE_OFFSET);
    }

    /** Address of the table a word names; {@link Inconsistent} for an index or a size out of bounds. */
    long table(long word) {
        int active = SegmentLayout.activeOf(word);
        int slots = SegmentLayout.slotsOf(word);
        if (active != 0 && active != 1 || slots < StoreLayout.MIN_SLOTS || slots > maxSlots) {
            throw new Inconsistent("active table " + active + " of " + slots + " slots (at most " + maxSlots + ")");
        }
        return range + SegmentLayout.tableOffset(active, maxSlots);
    }

    /** Slots in the active table, for a writer (lock held). */
    int slots() {
        long word = word();
        table(word);
        return SegmentLayout.slotsOf(word);
    }

    static long slot(long table, int i) {
        return MEMORY.readVolatileLong(table + (long) i * Long.BYTES);
    }

    // ---------------------------------------------------------------- reading (no lock)

    /**
     * The first chunk of the live entry for the key (its bytes at {@code keyAddr}, hashed to
     * {@code hash}), or -1, in the table {@code word} names, with {@code chunks} reserved. Without the
     * lock: what it returns is consistent only if the seqlock did not move meanwhile.
     */
    int find(long keyAddr, int keyLength, long hash, long word, int chunks) {
        long table = table(word);
        int slots = SegmentLayout.slotsOf(word);
        int tag = (int) (hash >>> 32);
        int i = SegmentLayout.home(hash, slots);
        for (int probes = 0; probes < slots; probes++) {
            long slot = slot(table, i);
            if (slot == SegmentLayout.EMPTY) {
                return -1;
            }
            if (slot != SegmentLayout.TOMBSTONE && SegmentLayout.tagOf(slot) == tag) {
                int chunk = entries.chunk(slot, chunks);
                if (holdsKey(chunk, chunks, keyAddr, keyLength)) {
                    return chunk;
                }
            }
            if (++i == slots) {
                i = 0;
            }
        }
        return -1;
    }

    /** Whether the entry at a checked chunk holds the key; loads the entry's lines ahead first. */
    private boolean holdsKey(int chunk, int chunks, long keyAddr, int keyLength) {
        entries.loadAhead(chunk, chunks);
        long shape = entries.shape(chunk, chunks);
        return EntryValidator.keyLength(shape) == keyLength
                && equalBytes(entries.address(chunk) + EntryValidator.headerLength(shape), keyAddr, keyLength);
    }

    static boolean equalBytes(long a, long b, int n) {
        int i = 0;
        for (; i + 8 <= n; i += 8) {
            if (MEMORY.readLong(a + i) != MEMORY.readLong(b + i)) {
                return false;
            }
        }
        for (; i < n; i++) {
            if (MEMORY.readByte(a + i) != MEMORY.readByte(b + i)) {
                return false;
            }
        }
        return true;
    }

    // ---------------------------------------------------------------- writing (lock held)

    /**
     * Index in the active table of the live slot for the key, or {@code -(free + 1)} where {@code free}
     * is the first reusable slot on its probe path.
     */
    int locate(long keyAddr, int keyLength, long hash, int chunks) {
        long word = word();
        long table = table(word);
        int slots = SegmentLayout.slotsOf(word);
        int tag = (int) (hash >>> 32);
        int i = SegmentLayout.home(hash, slots);
        int free = -1;
        for (int probes = 0; probes < slots; probes++) {
            long slot = slot(table, i);
            if (slot == SegmentLayout.EMPTY) {
                return -((free < 0 ? i : free) + 1);
            }
            if (slot == SegmentLayout.TOMBSTONE) {
                if (free < 0) {
                    free = i;
                }
            } else if (SegmentLayout.tagOf(slot) == tag && holdsKey(entries.chunk(slot, chunks), chunks, keyAddr, keyLength)) {
                return i;
            }
            if (++i == slots) {
                i = 0;
            }
        }
        return -((free < 0 ? 0 : free) + 1);
    }

    /** The slot at index {@code i} of the active table. */
    long slotAt(int i) {
        return slot(table(word()), i);
    }

    /** Stores {@code slot} at index {@code i} of the active table, inside the seqlock. */
    void publish(int i, long slot) {
        long table = table(word());
        publishBegin();
        MEMORY.writeOrderedLong(table + (long) i * Long.BYTES, slot);
        publishEnd();
    }

    /** Live entries, as counted by writers; readers use it for statistics only. */
    int count() {
        return MEMORY.readVolatileInt(header + SegmentLayout.COUNT_OFFSET);
    }

    int tombstones() {
        return MEMORY.readInt(header + SegmentLayout.TOMBSTONES_OFFSET);
    }

    /** After a slot that was {@code previous} became live: one more entry, one tombstone less. */
    void countInsert(long previous) {
        if (previous == SegmentLayout.TOMBSTONE) {
            add(SegmentLayout.TOMBSTONES_OFFSET, -1);
        }
        add(SegmentLayout.COUNT_OFFSET, 1);
    }

    /** After a live slot became a tombstone. */
    void countDelete() {
        add(SegmentLayout.COUNT_OFFSET, -1);
        add(SegmentLayout.TOMBSTONES_OFFSET, 1);
    }

    private void add(int offset, int delta) {
        MEMORY.writeOrderedInt(header + offset, MEMORY.readInt(header + offset) + delta);
    }

    /**
     * Rebuilds the live slots into the inactive table at {@code newSlots} slots, which no reader can
     * see, switches to it with one store of the table word, and gives the old table's pages back; the
     * counts follow. A slot whose entry fails the validator is dropped, not copied: rehashing can come
     * after a change was published, so it must not fail. The caller reads the table word first (its own
     * change did), so the active index is sound.
     *
     * @param newSlots at least the live entries, at most the room a table has
     * @return how many damaged slots were dropped
     */
    int rehash(int newSlots, int chunks) {
        Probes.REHASH.increment();
        long word = word();
        int active = SegmentLayout.activeOf(word) & 1;
        int slots = Math.min(Math.max(SegmentLayout.slotsOf(word), 0), maxSlots);
        long from = range + SegmentLayout.tableOffset(active, maxSlots);
        long to = range + SegmentLayout.tableOffset(1 - active, maxSlots);
        long toBytes = (long) newSlots * Long.BYTES;
        space.reserve(SegmentLayout.tableOffset(1 - active, maxSlots), StoreLayout.pageAlign(toBytes));
        SharedAtomics.zero(to, toBytes);
        int live = 0;
        int dropped = 0;
        for (int i = 0; i < slots; i++) {
            long slot = MEMORY.readLong(from + (long) i * Long.BYTES);
            if (!SegmentLayout.isLive(slot)) {
                continue;
            }
            long hash;
            try {
                int chunk = entries.chunk(slot, chunks);
                long shape = entries.shape(chunk, chunks);
                long e = entries.address(chunk);
                hash = Hashing.keyHash(e + EntryValidator.headerLength(shape), EntryValidator.keyLength(shape));
            } catch (Inconsistent damaged) {
                dropped++;
                continue;
            }
            if ((int) (hash >>> 32) != SegmentLayout.tagOf(slot) || live == newSlots) {
                dropped++;
                continue;
            }
            int j = SegmentLayout.home(hash, newSlots);
            // at most newSlots sources go into newSlots cells, so a free cell exists; the bound only matters
            // when the zeroing above did not take (a file cut under the mapping reads back garbage)
            int probes = 0;
            while (probes < newSlots && MEMORY.readLong(to + (long) j * Long.BYTES) != SegmentLayout.EMPTY) {
                if (++j == newSlots) {
                    j = 0;
                }
                probes++;
            }
            if (probes == newSlots) {
                dropped++;
                continue;
            }
            MEMORY.writeLong(to + (long) j * Long.BYTES, slot);
            live++;
        }
        switchTo(1 - active, newSlots);
        MEMORY.writeInt(header + SegmentLayout.COUNT_OFFSET, live);
        MEMORY.writeInt(header + SegmentLayout.TOMBSTONES_OFFSET, 0);
        space.release(SegmentLayout.tableOffset(active, maxSlots), StoreLayout.pageAlign((long) slots * Long.BYTES));
        return dropped;
    }

    /** Counts the active table's live and deleted slots again, into the header. */
    void recount() {
        long table = table(word());
        int size = slots();
        int live = 0;
        int deleted = 0;
        for (int i = 0; i < size; i++) {
            long slot = slot(table, i);
            if (slot == SegmentLayout.TOMBSTONE) {
                deleted++;
            } else if (slot != SegmentLayout.EMPTY) {
                live++;
            }
        }
        MEMORY.writeOrderedInt(header + SegmentLayout.COUNT_OFFSET, live);
        MEMORY.writeOrderedInt(header + SegmentLayout.TOMBSTONES_OFFSET, deleted);
    }

    /** Empties the segment's slots: a zeroed inactive table of the same size becomes active. */
    void clear() {
        long word = word();
        int active = SegmentLayout.activeOf(word) & 1;
        int slots = SegmentLayout.slotsOf(word);
        long bytes = (long) slots * Long.BYTES;
        space.reserve(SegmentLayout.tableOffset(1 - active, maxSlots), StoreLayout.pageAlign(bytes));
        SharedAtomics.zero(range + SegmentLayout.tableOffset(1 - active, maxSlots), bytes);
        switchTo(1 - active, slots);
        MEMORY.writeInt(header + SegmentLayout.COUNT_OFFSET, 0);
        MEMORY.writeInt(header + SegmentLayout.TOMBSTONES_OFFSET, 0);
        space.release(SegmentLayout.tableOffset(active, maxSlots), StoreLayout.pageAlign(bytes));
    }

    private void switchTo(int table, int slots) {
        publishBegin();
        MEMORY.writeOrderedLong(header + SegmentLayout.TABLE_OFFSET, SegmentLayout.tableWord(table, slots));
        publishEnd();
    }

    /**
     * Lock held, repairing: a table word out of bounds becomes table 0 at {@code fallbackSlots} (the
     * repair's rehash then rebuilds from it).
     */
    void settleWord(int fallbackSlots) {
        try {
            table(word());
        } catch (Inconsistent damaged) {
            MEMORY.writeVolatileLong(header + SegmentLayout.TABLE_OFFSET, SegmentLayout.tableWord(0, fallbackSlots));
        }
    }
}
