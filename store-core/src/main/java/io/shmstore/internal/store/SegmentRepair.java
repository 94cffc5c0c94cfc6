package io.shmstore.internal.store;

import io.shmstore.StoreFullException;
import net.openhft.chronicle.core.Memory;
import net.openhft.chronicle.core.OS;

import java.util.BitSet;
import java.util.List;

/**
 * The cold paths of a segment, with its lock held: online repair and verification. Both judge a slot
 * the same way ({@link #holdsValidEntry}): its entry passes the {@link EntryValidator}, holds its
 * checksum and its key hashes to the slot's tag, and it overlaps no entry of an earlier slot.
 */
final class SegmentRepair {
    private static final Memory MEMORY = OS.memory();

    private final int index;
    private final long header;
    private final StoreConfig config;
    private final SlotTable slots;
    private final ChunkAllocator chunks;
    private final EntryValidator entries;

    SegmentRepair(int index, long header, StoreConfig config, SlotTable slots, ChunkAllocator chunks,
                  EntryValidator entries) {
        this.index = index;
        this.header = header;
        this.config = config;
        this.slots = slots;
        this.chunks = chunks;
        this.entries = entries;
    }

    /**
     * Repairs the segment after its last writer died holding the lock, or after a writer found it
     * damaged: settles the seqlock, the table word and the reserved chunks, drops slots whose entry is
     * invalid (see the class comment), rehashes the survivors into a clean table of the same size (or,
     * when the file system has no room for one, keeps the active table), and rebuilds the chunk bitmap
     * and the counts from them. Entries that were published and are intact
     * survive; a write that had not reached its slot store is rolled back.
     *
     * @return how many slots were dropped as damaged
     */
    int recover() {
        Probes.RECOVERY.increment();
        slots.settleSequence();
        slots.settleWord(config.initialSlots());
        int reserved = settledChunks();
        long table = slots.table(slots.word());
        int size = slots.slots();
        BitSet claimed = new BitSet(reserved);
        int dropped = 0;
        for (int i = 0; i < size; i++) {
            long slot = SlotTable.slot(table, i);
            if (SegmentLayout.isLive(slot) && !holdsValidEntry(slot, reserved, claimed)) {
                slots.publish(i, SegmentLayout.TOMBSTONE);
                dropped++;
            }
        }
        try {
            dropped += slots.rehash(size, reserved);
        } catch (StoreFullException noRoom) {
            // no room for a fresh table: the active one, with the damaged slots deleted, is kept
            slots.recount();
        }
        chunks.clear(reserved);
        long fresh = slots.table(slots.word());
        for (int i = 0; i < size; i++) {
            long slot = SlotTable.slot(fresh, i);
            if (SegmentLayout.isLive(slot)) {
                int chunk = entries.chunk(slot, reserved);
                chunks.claim(chunk, EntryValidator.chunksSpanned(entries.shape(chunk, reserved)), reserved);
            }
        }
        bump(SegmentLayout.RECOVERIES_OFFSET, 1);
        bump(SegmentLayout.DAMAGED_OFFSET, dropped);
        return dropped;
    }

    /**
     * The reserved chunks, or, when the count is out of bounds, what the segment surely reserved: its
     * initial chunks (entries beyond them are then dropped as pointing outside).
     */
    private int settledChunks() {
        try {
            return chunks.chunks();
        } catch (Inconsistent damaged) {
            chunks.setChunks(config.initialChunks());
            return config.initialChunks();
        }
    }

    private void bump(int offset, long delta) {
        MEMORY.writeOrderedLong(header + offset, MEMORY.readLong(header + offset) + delta);
    }

    /**
     * True when the slot's entry is valid and overlaps none of the chunks in {@code claimed}, which it
     * then joins.
     */
    private boolean holdsValidEntry(long slot, int reserved, BitSet claimed) {
        int chunk;
        long shape;
        try {
            chunk = entries.chunk(slot, reserved);
            shape = entries.shape(chunk, reserved);
        } catch (Inconsistent e) {
            return false;
        }
        long e = entries.address(chunk);
        long hash = Hashing.keyHash(e + EntryValidator.headerLength(shape), EntryValidator.keyLength(shape));
        if ((int) (hash >>> 32) != SegmentLayout.tagOf(slot) || !EntryValidator.checksumHolds(e, shape)) {
            return false;
        }
        int n = EntryValidator.chunksSpanned(shape);
        int clash = claimed.nextSetBit(chunk);
        if (clash >= 0 && clash < chunk + n) {
            return false;
        }
        claimed.set(chunk, chunk + n);
        return true;
    }

    /**
     * Adds a line per problem to {@code problems}: a negative or odd seqlock counter, a damaged table word
     * or chunk count, slots whose entry is invalid or overlaps another, keys not reachable from their
     * hash, counts that disagree, chunks marked used that no entry holds or held chunks marked free.
     */
    void verify(List<String> problems) {
        String where = "segment " + index + ": ";
        long seq = MEMORY.readLong(header + SegmentLayout.SEQ_OFFSET);
        if (seq < 0) {
            problems.add(where + "seqlock counter is " + seq + ", negative (readers report the segment corrupt)");
        } else if ((seq & 1) != 0) {
            problems.add(where + "seqlock counter is odd outside a write");
        }
        long table;
        int reserved;
        try {
            table = slots.table(slots.word());
            reserved = chunks.chunks();
        } catch (Inconsistent e) {
            problems.add(where + e.getMessage());
            return;
        }
        int size = slots.slots();
        BitSet claimed = new BitSet(reserved);
        int live = 0;
        int tombstones = 0;
        for (int i = 0; i < size; i++) {
            long slot = SlotTable.slot(table, i);
            if (slot == SegmentLayout.TOMBSTONE) {
                tombstones++;
            } else if (slot != SegmentLayout.EMPTY) {
                if (!holdsValidEntry(slot, reserved, claimed)) {
                    problems.add(where + "slot " + i + " points at an invalid or overlapping entry (chunk "
                            + SegmentLayout.chunkOf(slot) + ")");
                    continue;
                }
                live++;
                if (!reachable(i, slot, reserved)) {
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
        for (int c = 0; c < reserved; c++) {
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

    /** True when probing for the key of the valid entry in slot {@code i} finds slot {@code i}. */
    private boolean reachable(int i, long slot, int reserved) {
        try {
            int chunk = entries.chunk(slot, reserved);
            long shape = entries.shape(chunk, reserved);
            long key = entries.address(chunk) + EntryValidator.headerLength(shape);
            int keyLength = EntryValidator.keyLength(shape);
            return slots.locate(key, keyLength, Hashing.keyHash(key, keyLength), reserved) == i;
        } catch (Inconsistent damagedOnTheWay) {
            return false;
        }
    }
}
