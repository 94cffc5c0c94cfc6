package io.shmstore.internal.store;

import net.openhft.chronicle.core.Memory;
import net.openhft.chronicle.core.OS;

import java.util.BitSet;
import java.util.List;

/**
 * The cold paths of a segment, with its lock held: online repair and verification. Both judge a slot
 * the same way ({@link #holdsValidEntry}): its entry passes the {@link EntryValidator}, carries its
 * checksum and the slot's tag, and overlaps no entry of an earlier slot.
 */
final class SegmentRepair {
    private static final Memory MEMORY = OS.memory();

    private final int index;
    private final long base;
    private final SlotTable slots;
    private final ChunkAllocator chunks;
    private final EntryValidator entries;

    SegmentRepair(int index, long base, SlotTable slots, ChunkAllocator chunks, EntryValidator entries) {
        this.index = index;
        this.base = base;
        this.slots = slots;
        this.chunks = chunks;
        this.entries = entries;
    }

    /**
     * Repairs the segment after its last writer died holding the lock, or after a writer found it
     * damaged: settles the seqlock and the active index, drops slots whose entry is invalid (see the
     * class comment), rehashes the survivors into a clean table, and rebuilds the chunk bitmap and the
     * counts from them. Entries that were published and are intact survive; a write that had not
     * reached its slot store is rolled back.
     *
     * @return how many slots were dropped as damaged
     */
    int recover() {
        Probes.RECOVERY.increment();
        slots.settleSequence();
        slots.settleActiveIndex();
        long table = slots.activeTable();
        BitSet claimed = new BitSet(chunks.chunks());
        int dropped = 0;
        for (int i = 0; i < slots.slots(); i++) {
            long slot = SlotTable.slot(table, i);
            if (SegmentLayout.isLive(slot) && !holdsValidEntry(slot, claimed)) {
                slots.publish(i, SegmentLayout.TOMBSTONE);
                dropped++;
            }
        }
        dropped += slots.rehash();
        chunks.clear();
        long fresh = slots.activeTable();
        for (int i = 0; i < slots.slots(); i++) {
            long slot = SlotTable.slot(fresh, i);
            if (SegmentLayout.isLive(slot)) {
                int chunk = entries.chunk(slot);
                chunks.claim(chunk, entries.chunksSpanned(entries.lengths(chunk)));
            }
        }
        MEMORY.writeLong(base + SegmentLayout.RECOVERIES_OFFSET, MEMORY.readLong(base + SegmentLayout.RECOVERIES_OFFSET) + 1);
        MEMORY.writeLong(base + SegmentLayout.DAMAGED_OFFSET, MEMORY.readLong(base + SegmentLayout.DAMAGED_OFFSET) + dropped);
        return dropped;
    }

    /**
     * True when the slot's entry is valid and overlaps none of the chunks in {@code claimed}, which it
     * then joins.
     */
    private boolean holdsValidEntry(long slot, BitSet claimed) {
        int chunk;
        long lengths;
        try {
            chunk = entries.chunk(slot);
            lengths = entries.lengths(chunk);
        } catch (Inconsistent e) {
            return false;
        }
        long e = entries.address(chunk);
        long hash = MEMORY.readLong(e + EntryLayout.KEY_HASH_OFFSET);
        if ((int) (hash >>> 32) != SegmentLayout.tagOf(slot) || !EntryValidator.checksumHolds(e, lengths)) {
            return false;
        }
        int n = entries.chunksSpanned(lengths);
        int clash = claimed.nextSetBit(chunk);
        if (clash >= 0 && clash < chunk + n) {
            return false;
        }
        claimed.set(chunk, chunk + n);
        return true;
    }

    /** True when probing for the key of the entry at {@code e} finds slot {@code i}. */
    private boolean reachable(int i, long e, int keyLength) {
        try {
            return slots.locate(e + EntryLayout.HEADER_LENGTH, keyLength, MEMORY.readLong(e + EntryLayout.KEY_HASH_OFFSET)) == i;
        } catch (Inconsistent damagedOnTheWay) {
            return false;
        }
    }

    /**
     * Adds a line per problem to {@code problems}: a negative or odd seqlock counter, a damaged active
     * index, slots whose entry is invalid or overlaps another, keys not reachable from their hash,
     * counts that disagree, chunks marked used that no entry holds or held chunks marked free.
     */
    void verify(List<String> problems) {
        String where = "segment " + index + ": ";
        long seq = MEMORY.readLong(base + SegmentLayout.SEQ_OFFSET);
        if (seq < 0) {
            problems.add(where + "seqlock counter is " + seq + ", negative (readers report the segment corrupt)");
        } else if ((seq & 1) != 0) {
            problems.add(where + "seqlock counter is odd outside a write");
        }
        long table;
        try {
            table = slots.activeTable();
        } catch (Inconsistent e) {
            problems.add(where + e.getMessage());
            return;
        }
        BitSet claimed = new BitSet(chunks.chunks());
        int live = 0;
        int tombstones = 0;
        for (int i = 0; i < slots.slots(); i++) {
            long slot = SlotTable.slot(table, i);
            if (slot == SegmentLayout.TOMBSTONE) {
                tombstones++;
            } else if (slot != SegmentLayout.EMPTY) {
                if (!holdsValidEntry(slot, claimed)) {
                    problems.add(where + "slot " + i + " points at an invalid or overlapping entry (chunk "
                            + SegmentLayout.chunkOf(slot) + ")");
                    continue;
                }
                live++;
                int chunk = entries.chunk(slot);
                long e = entries.address(chunk);
                int keyLength = EntryValidator.keyLength(entries.lengths(chunk));
                if (!reachable(i, e, keyLength)) {
                    problems.add(where + "the key in slot " + i + " is not reachable from its hash");
                }
            }
        }
        if (slots.count() != live) {
            problems.add(where + "count says " + slots.count() + " entries, slots hold " + live);
        }
        if (slots.tombstones() != tombstones) {
            problems.add(where + "tombstone count says " + slots.tombstones() + ", table holds " + tombstones);
        }
        int marked = 0;
        for (int c = 0; c < chunks.chunks(); c++) {
            boolean used = chunks.used(c);
            marked += used ? 1 : 0;
            if (used != claimed.get(c)) {
                problems.add(where + "chunk " + c + (used ? " is marked used but no entry holds it"
                        : " is held by an entry but marked free"));
                if (problems.size() > 100) {
                    return;
                }
            }
        }
        if (chunks.used() != marked) {
            problems.add(where + "used-chunk count says " + chunks.used() + ", bitmap marks " + marked);
        }
    }
}
