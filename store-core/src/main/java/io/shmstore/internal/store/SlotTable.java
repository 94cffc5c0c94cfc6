package io.shmstore.internal.store;

import io.shmstore.internal.sync.SharedAtomics;
import net.openhft.chronicle.core.Memory;
import net.openhft.chronicle.core.OS;

/**
 * A segment's slot tables and seqlock (layout and visibility in {@link SegmentLayout}): open
 * addressing with linear probing over the active table, tombstones for deletes, and a rehash into the
 * inactive table followed by one flip. The only writer of what lock-free readers see: every slot
 * store and table flip happens inside the seqlock.
 *
 * <p>Every slot followed to its entry goes through the segment's {@link EntryValidator}.
 */
final class SlotTable {
    private static final Memory MEMORY = OS.memory();

    private final long base;
    private final int slots;
    private final int mask;
    private final EntryValidator entries;

    /**
     * @param base    address of the segment's first byte
     * @param slots   slots per table, a power of two
     * @param entries the segment's entry validator
     */
    SlotTable(long base, int slots, EntryValidator entries) {
        this.base = base;
        this.slots = slots;
        this.mask = slots - 1;
        this.entries = entries;
    }

    int slots() {
        return slots;
    }

    // ---------------------------------------------------------------- seqlock

    /** The seqlock counter (volatile read). Negative only when damaged: it counts up from zero. */
    long sequence() {
        return MEMORY.readVolatileLong(base + SegmentLayout.SEQ_OFFSET);
    }

    /** True when nothing was published since the counter read {@code s1}: what was read is consistent. */
    boolean unchangedSince(long s1) {
        MEMORY.loadFence();
        return sequence() == s1;
    }

    /** Lock held: a dead writer may have left the counter odd; make it even again. */
    void settleSequence() {
        long s = MEMORY.readLong(base + SegmentLayout.SEQ_OFFSET);
        if ((s & 1) != 0) {
            MEMORY.writeVolatileLong(base + SegmentLayout.SEQ_OFFSET, s + 1);
        }
    }

    // ---------------------------------------------------------------- reading (no lock)

    /** Address of the active table; {@link Inconsistent} for an index that is neither 0 nor 1. */
    long activeTable() {
        int active = MEMORY.readVolatileInt(base + SegmentLayout.ACTIVE_TABLE_OFFSET);
        if (active != 0 && active != 1) {
            throw new Inconsistent("active table index " + active);
        }
        return base + SegmentLayout.tableOffset(active, slots);
    }

    static long slot(long table, int i) {
        return MEMORY.readVolatileLong(table + (long) i * Long.BYTES);
    }

    /**
     * The first chunk of the live entry for the key (its bytes at {@code keyAddr}, hashed to
     * {@code hash}), or -1. Without the lock: what it returns is consistent only if the seqlock did not
     * move meanwhile.
     */
    int find(long keyAddr, int keyLength, long hash) {
        long table = activeTable();
        int tag = (int) (hash >>> 32);
        int i = (int) hash & mask;
        for (int probes = 0; probes < slots; probes++, i = (i + 1) & mask) {
            long slot = slot(table, i);
            if (slot == SegmentLayout.EMPTY) {
                return -1;
            }
            if (slot != SegmentLayout.TOMBSTONE && SegmentLayout.tagOf(slot) == tag) {
                int chunk = entries.chunk(slot);
                if (holdsKey(chunk, keyAddr, keyLength, hash)) {
                    return chunk;
                }
            }
        }
        return -1;
    }

    private boolean holdsKey(int chunk, long keyAddr, int keyLength, long hash) {
        long lengths = entries.lengths(chunk);
        long e = entries.address(chunk);
        return EntryValidator.keyLength(lengths) == keyLength && MEMORY.readLong(e + EntryLayout.KEY_HASH_OFFSET) == hash
                && equalBytes(e + EntryLayout.HEADER_LENGTH, keyAddr, keyLength);
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
    int locate(long keyAddr, int keyLength, long hash) {
        long table = activeTable();
        int tag = (int) (hash >>> 32);
        int i = (int) hash & mask;
        int free = -1;
        for (int probes = 0; probes < slots; probes++, i = (i + 1) & mask) {
            long slot = slot(table, i);
            if (slot == SegmentLayout.EMPTY) {
                return -((free < 0 ? i : free) + 1);
            }
            if (slot == SegmentLayout.TOMBSTONE) {
                if (free < 0) {
                    free = i;
                }
            } else if (SegmentLayout.tagOf(slot) == tag && holdsKey(entries.chunk(slot), keyAddr, keyLength, hash)) {
                return i;
            }
        }
        return -((free < 0 ? 0 : free) + 1);
    }

    /** The slot at index {@code i} of the active table. */
    long slotAt(int i) {
        return slot(activeTable(), i);
    }

    /** Stores {@code slot} at index {@code i} of the active table, inside the seqlock. */
    void publish(int i, long slot) {
        long table = activeTable();
        long seq = base + SegmentLayout.SEQ_OFFSET;
        MEMORY.writeVolatileLong(seq, MEMORY.readLong(seq) + 1);
        MEMORY.writeOrderedLong(table + (long) i * Long.BYTES, slot);
        MEMORY.writeVolatileLong(seq, MEMORY.readLong(seq) + 1);
    }

    /** Makes {@code table} the active one, inside the seqlock. */
    private void flip(int table) {
        long seq = base + SegmentLayout.SEQ_OFFSET;
        MEMORY.writeVolatileLong(seq, MEMORY.readLong(seq) + 1);
        MEMORY.writeOrderedInt(base + SegmentLayout.ACTIVE_TABLE_OFFSET, table);
        MEMORY.writeVolatileLong(seq, MEMORY.readLong(seq) + 1);
    }

    /** Live entries, as counted by writers; readers use it for statistics only. */
    int count() {
        return MEMORY.readVolatileInt(base + SegmentLayout.COUNT_OFFSET);
    }

    int tombstones() {
        return MEMORY.readInt(base + SegmentLayout.TOMBSTONES_OFFSET);
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
        MEMORY.writeOrderedInt(base + offset, MEMORY.readInt(base + offset) + delta);
    }

    /**
     * Rebuilds the live slots into the inactive table, which no reader can see, and flips to it; the
     * counts follow. A slot whose entry fails the validator is dropped, not copied: rehashing comes
     * after a change was published, so it must not fail. The active table's index was read by the
     * caller's own change, so it is sound.
     *
     * @return how many damaged slots were dropped
     */
    int rehash() {
        Probes.REHASH.increment();
        int active = MEMORY.readInt(base + SegmentLayout.ACTIVE_TABLE_OFFSET) & 1;
        long from = base + SegmentLayout.tableOffset(active, slots);
        long to = base + SegmentLayout.tableOffset(1 - active, slots);
        SharedAtomics.zero(to, (long) slots * Long.BYTES);
        int live = 0;
        int dropped = 0;
        for (int i = 0; i < slots; i++) {
            long slot = MEMORY.readLong(from + (long) i * Long.BYTES);
            if (!SegmentLayout.isLive(slot)) {
                continue;
            }
            long hash;
            try {
                int chunk = entries.chunk(slot);
                entries.lengths(chunk);
                hash = MEMORY.readLong(entries.address(chunk) + EntryLayout.KEY_HASH_OFFSET);
            } catch (Inconsistent damaged) {
                dropped++;
                continue;
            }
            if ((int) (hash >>> 32) != SegmentLayout.tagOf(slot)) {
                dropped++;
                continue;
            }
            // at most slots sources go into slots cells, so a free cell exists; the bound only matters
            // when the zeroing above did not take (a file cut under the mapping reads back garbage)
            int j = (int) hash & mask;
            int probes = 0;
            while (probes < slots && MEMORY.readLong(to + (long) j * Long.BYTES) != SegmentLayout.EMPTY) {
                j = (j + 1) & mask;
                probes++;
            }
            if (probes == slots) {
                dropped++;
                continue;
            }
            MEMORY.writeLong(to + (long) j * Long.BYTES, slot);
            live++;
        }
        flip(1 - active);
        MEMORY.writeInt(base + SegmentLayout.COUNT_OFFSET, live);
        MEMORY.writeInt(base + SegmentLayout.TOMBSTONES_OFFSET, 0);
        return dropped;
    }

    /** Empties the segment's slots: a zeroed inactive table becomes active. */
    void clear() {
        int active = MEMORY.readInt(base + SegmentLayout.ACTIVE_TABLE_OFFSET) & 1;
        SharedAtomics.zero(base + SegmentLayout.tableOffset(1 - active, slots), (long) slots * Long.BYTES);
        flip(1 - active);
        MEMORY.writeInt(base + SegmentLayout.COUNT_OFFSET, 0);
        MEMORY.writeInt(base + SegmentLayout.TOMBSTONES_OFFSET, 0);
    }

    /** Lock held, repairing: a damaged active index becomes 0 (the next rehash flips away from it). */
    void settleActiveIndex() {
        int active = MEMORY.readInt(base + SegmentLayout.ACTIVE_TABLE_OFFSET);
        if (active != 0 && active != 1) {
            MEMORY.writeVolatileInt(base + SegmentLayout.ACTIVE_TABLE_OFFSET, 0);
        }
    }
}
