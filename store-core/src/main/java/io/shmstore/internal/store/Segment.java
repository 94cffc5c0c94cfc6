package io.shmstore.internal.store;

import io.shmstore.ChangeType;
import io.shmstore.StoreCorruptedException;
import io.shmstore.memory.NamedMutex;
import io.shmstore.memory.Ownership;
import net.openhft.chronicle.bytes.Bytes;
import net.openhft.chronicle.core.Memory;
import net.openhft.chronicle.core.OS;

import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.LongPredicate;

/**
 * One segment of a store: lock-free reads under the seqlock, writes under the lock word. The parts it
 * is made of: the slot tables and seqlock ({@link SlotTable}), the chunk bitmap
 * ({@link ChunkAllocator}), the one entry validator ({@link EntryValidator}), the lock-free read path
 * ({@link SegmentReader}), the write path and the policies that make room ({@link SegmentWriter}) and
 * the cold paths ({@link SegmentRepair}).
 *
 * <p>Design notes:
 * <ul>
 *   <li><b>Trust</b>: every slot is followed to its entry through the validator. A lock-free reader
 *       that finds an inconsistency retries if the seqlock moved and reports
 *       {@link StoreCorruptedException} if it did not. A writer, holding the lock, has no race to
 *       blame: it repairs the segment online ({@link SegmentRepair#recover()}, which drops what is
 *       damaged) and reports the damage, so the next operation works.</li>
 *   <li><b>Crash safety</b>: readers see a change only through one ordered slot store or one store of
 *       the table word, always pointing at complete entries. Whatever a dead writer left half done is
 *       repaired by the next writer, which gets {@link Ownership#ABANDONED}.</li>
 * </ul>
 */
final class Segment {
    private static final Memory MEMORY = OS.memory();

    final int index;
    private final long header;
    private final StoreConfig config;
    private final NamedMutex lock;
    private final Duration lockTimeout;
    private final EntryValidator entries;
    private final SlotTable slots;
    private final ChunkAllocator chunks;
    private final SegmentRepair repair;
    private final SegmentReader reader;
    private final SegmentWriter writer;

    /**
     * @param base        address of the store's first byte
     * @param lock        the segment's lock word (observe-only in a read-only store)
     * @param feed        where every change is recorded, after it is published
     * @param space       reserves and gives back the segment's pages
     * @param mayReserve  whether so many more bytes may be reserved, under the store's cap
     */
    Segment(int index, long base, StoreConfig config, NamedMutex lock, Duration lockTimeout, FeedSink feed,
            SegmentSpace space, LongPredicate mayReserve) {
        this.index = index;
        this.header = base + StoreLayout.segmentHeaderOffset(config.segmentHeaders(), index);
        long rangeOffset = StoreLayout.segmentOffset(config.heapOffset(), config.stride(), index);
        long range = base + rangeOffset;
        this.config = config;
        this.lock = lock;
        this.lockTimeout = lockTimeout;
        this.entries = new EntryValidator(range + SegmentLayout.dataOffset(config.maxSlots(), config.maxChunks()),
                EntryValidator.averageEntry(config.averageKeySize(), config.averageValueSize()));
        this.slots = new SlotTable(header, range, config.maxSlots(), entries, new SlotTable.Space() {
            @Override
            public void reserve(long offset, long length) {
                space.reserve(rangeOffset + offset, length);
            }

            @Override
            public void release(long offset, long length) {
                space.release(rangeOffset + offset, length);
            }
        });
        this.chunks = new ChunkAllocator(header, range + SegmentLayout.bitmapOffset(config.maxSlots()), config.maxChunks());
        this.repair = new SegmentRepair(index, header, config, slots, chunks, entries);
        this.reader = new SegmentReader(index, config.name(), slots, chunks, entries, lock);
        this.writer = new SegmentWriter(index, header, rangeOffset, config, feed, space, mayReserve, entries, slots, chunks);
    }

    /**
     * Writes a fresh, empty segment into zeroed memory: its table word and reserved chunks, and reserves
     * its first table, bitmap and data.
     *
     * @param rangeOffset where the segment's range starts, from the store's start
     */
    static void initialize(long header, StoreConfig c, long rangeOffset, SegmentSpace space) {
        SlotTable.initialize(header, c.initialSlots());
        MEMORY.writeInt(header + SegmentLayout.CHUNKS_OFFSET, c.initialChunks());
        space.reserve(rangeOffset + SegmentLayout.tableOffset(0, c.maxSlots()),
                StoreLayout.pageAlign((long) c.initialSlots() * Long.BYTES));
        space.reserve(rangeOffset + SegmentLayout.bitmapOffset(c.maxSlots()), SegmentLayout.bitmapBytes(c.initialChunks()));
        space.reserve(rangeOffset + SegmentLayout.dataOffset(c.maxSlots(), c.maxChunks()),
                StoreLayout.pageAlign((long) c.initialChunks() * SegmentLayout.CHUNK));
    }

    // ---------------------------------------------------------------- reading (no lock)

    /** See {@link SegmentReader#read}. */
    boolean read(Bytes<?> key, long hash, Bytes<?> out) {
        return reader.read(key, hash, out);
    }

    /** See {@link SegmentReader#snapshot}. */
    void snapshot(Bytes<?> scratch, Consumer<Bytes<?>> sink) {
        reader.snapshot(scratch, sink);
    }

    // ---------------------------------------------------------------- statistics (no lock)

    /** Live entries, read without the lock: for size() and statistics. */
    int count() {
        return Math.max(0, slots.count());
    }

    int usedChunks() {
        return chunks.used();
    }

    /** Chunks reserved now, 0 when the count is damaged. */
    int reservedChunks() {
        return Math.max(0, MEMORY.readVolatileInt(header + SegmentLayout.CHUNKS_OFFSET));
    }

    /** Bytes the segment reserves now: its table, bitmap and data; for the store's cap and statistics. */
    long reservedBytes() {
        int s = SegmentLayout.slotsOf(MEMORY.readVolatileLong(header + SegmentLayout.TABLE_OFFSET));
        return SegmentLayout.reservedBytes(Math.max(0, Math.min(s, config.maxSlots())),
                Math.min(reservedChunks(), config.maxChunks()));
    }

    long recoveries() {
        return counter(SegmentLayout.RECOVERIES_OFFSET);
    }

    long evictions() {
        return counter(SegmentLayout.EVICTIONS_OFFSET);
    }

    long expirations() {
        return counter(SegmentLayout.EXPIRATIONS_OFFSET);
    }

    /** Entries dropped because they were found damaged (by repairs and rehashes). */
    long damaged() {
        return counter(SegmentLayout.DAMAGED_OFFSET);
    }

    long growths() {
        return counter(SegmentLayout.GROWTHS_OFFSET);
    }

    /** True once the segment has held an entry that expires (see {@link SegmentLayout#HELD_EXPIRING}). */
    boolean holdsExpiring() {
        return writer.holdsExpiring();
    }

    private long counter(int offset) {
        return MEMORY.readVolatileLong(header + offset);
    }

    // ---------------------------------------------------------------- writing (lock held)

    /** Takes the segment lock, repairing the segment first if its last owner died. */
    void lock() {
        if (lock.acquire(lockTimeout) == Ownership.ABANDONED) {
            try {
                StoreLog.repaired(config.name(), index, "its last writer died holding the lock", repair.recover());
            } catch (RuntimeException | Error e) {
                lock.release();
                throw e;
            }
        }
    }

    void unlock() {
        lock.release();
    }

    /**
     * Index in the active table of the live slot for the key, or {@code -(free + 1)} where {@code free}
     * is the first reusable slot on its probe path.
     */
    int locate(long keyAddr, int keyLength, long hash) {
        try {
            return slots.locate(keyAddr, keyLength, hash, chunks.chunks());
        } catch (Inconsistent e) {
            throw damaged(e);
        }
    }

    /** Copies the live entry in slot {@code i} into {@code out}, checked, windowed on its value. */
    void copyAt(int i, Bytes<?> out) {
        int chunk;
        try {
            int reserved = chunks.chunks();
            chunk = entries.chunk(slots.slotAt(i), reserved);
            reader.copyEntry(chunk, reserved, out);
        } catch (Inconsistent e) {
            throw damaged(e);
        }
        if (!SegmentReader.copyHoldsChecksum(out)) {
            throw damaged(new Inconsistent("entry at chunk " + chunk + " fails its checksum"));
        }
        SegmentReader.windowOnValue(out);
    }

    /** Whether the live entry in slot {@code i} has expired by {@code now}. */
    boolean expiredAt(int i, long now) {
        return expiresAt(i) <= now;
    }

    /** When the live entry in slot {@code i} expires, epoch ms; {@link Long#MAX_VALUE} when never. */
    long expiresAt(int i) {
        try {
            return entries.expiresAtOf(slots.slotAt(i), chunks.chunks());
        } catch (Inconsistent e) {
            throw damaged(e);
        }
    }

    /**
     * Writes a new entry for the key (copy-on-write) and publishes it, replacing the key's live entry
     * if there is one, then frees what it replaced (see the class comment for the order).
     *
     * @param expiresAt epoch ms, or {@link Long#MAX_VALUE} for an entry that never expires
     */
    void put(long hash, Bytes<?> key, Bytes<?> value, long now, long expiresAt) {
        put(hash, key, value, now, expiresAt, true);
    }

    /**
     * As {@link #put(long, Bytes, Bytes, long, long)}; {@code record} false leaves the change feed out,
     * for a rewrite that changes only when the entry expires.
     */
    void put(long hash, Bytes<?> key, Bytes<?> value, long now, long expiresAt, boolean record) {
        long keyLength = key.writePosition();
        long valueLength = value.writePosition();
        if (keyLength > EntryLayout.MAX_KEY_LENGTH) {
            throw new IllegalArgumentException("a key of " + keyLength + " bytes: store \"" + config.name()
                    + "\" holds keys of at most " + EntryLayout.MAX_KEY_LENGTH + " bytes (the entry format's limit)");
        }
        int flags = config.entryFlags(expiresAt != Long.MAX_VALUE);
        int headerLength = EntryLayout.headerLength(flags);
        long total = headerLength + keyLength + valueLength;
        if (total > config.maxEntryBytes() || valueLength > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("store \"" + config.name() + "\" cannot hold an entry of " + keyLength
                    + " key and " + valueLength + " value bytes: a segment holds at most " + config.maxEntryBytes()
                    + " bytes however far it grows. It was sized for up to " + config.maxEntries() + " entries of about "
                    + config.averageKeySize() + "-byte keys and " + config.averageValueSize()
                    + "-byte values; raise averageValueSize or maxEntries, or use fewer segments");
        }
        try {
            writer.write(hash, key.addressForRead(0), (int) keyLength, value.addressForRead(0), (int) valueLength, flags, now,
                    expiresAt, record);
        } catch (Inconsistent e) {
            throw damaged(e);
        }
    }

    /** Deletes the live entry in slot {@code i}, recording {@code why} in the change feed. */
    void remove(int i, ChangeType why) {
        try {
            writer.remove(i, why);
        } catch (Inconsistent e) {
            throw damaged(e);
        }
    }

    /** Removes every entry: an empty table of the same size becomes active, the bitmap clears. */
    void clear() {
        writer.clear();
    }

    /** Removes every expired entry. */
    int purgeExpired(long now) {
        try {
            return writer.purgeExpired(now);
        } catch (Inconsistent e) {
            throw damaged(e);
        }
    }

    // ---------------------------------------------------------------- cold paths (lock held)

    /** Repairs the segment online (see {@link SegmentRepair#recover()}). */
    void recover() {
        repair.recover();
    }

    void verify(List<String> problems) {
        repair.verify(problems);
    }

    // ---------------------------------------------------------------- errors

    /**
     * Damage found by a writer, which holds the lock and so cannot be racing anyone: the segment is
     * repaired now, before the lock is released, and the caller is told; its own change did not
     * happen, and the next operation finds a sound segment.
     */
    private StoreCorruptedException damaged(Inconsistent e) {
        String repaired;
        try {
            int dropped = repair.recover();
            StoreLog.repaired(config.name(), index, "a writer found damage (" + e.getMessage() + ")", dropped);
            repaired = "; the segment was repaired online, " + dropped + " damaged " + (dropped == 1 ? "entry" : "entries")
                    + " dropped. This operation did not happen: retry it";
        } catch (RuntimeException | Error failed) {
            repaired = "; repairing the segment failed too: " + failed;
        }
        return new StoreCorruptedException("store \"" + config.name() + "\", segment " + index + ": " + e.getMessage()
                + repaired);
    }
}
