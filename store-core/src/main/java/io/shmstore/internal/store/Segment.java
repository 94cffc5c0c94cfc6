package io.shmstore.internal.store;

import io.shmstore.ChangeType;
import io.shmstore.FullPolicy;
import io.shmstore.StoreCorruptedException;
import io.shmstore.StoreFullException;
import io.shmstore.internal.sync.SharedAtomics;
import io.shmstore.memory.NamedMutex;
import io.shmstore.memory.Ownership;
import net.openhft.chronicle.bytes.Bytes;
import net.openhft.chronicle.core.Memory;
import net.openhft.chronicle.core.OS;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Consumer;

/**
 * One segment of a store: lock-free reads under the seqlock, writes under the lock word, and the
 * policies that make room (expiry, eviction). The parts it is made of: the slot tables and seqlock
 * ({@link SlotTable}), the chunk bitmap ({@link ChunkAllocator}), the one entry validator
 * ({@link EntryValidator}), the lock-free read path ({@link SegmentReader}) and the cold paths
 * ({@link SegmentRepair}).
 *
 * <p>Design notes:
 * <ul>
 *   <li><b>Trust</b>: every slot is followed to its entry through the validator. A lock-free reader
 *       that finds an inconsistency retries if the seqlock moved and reports
 *       {@link StoreCorruptedException} if it did not. A writer, holding the lock, has no race to
 *       blame: it repairs the segment online ({@link SegmentRepair#recover()}, which drops what is
 *       damaged) and reports the damage, so the next operation works.</li>
 *   <li><b>A write happens or it does not</b>: every step that can fail — finding the key, validating
 *       the entry being replaced, making room by rehash, expiry or eviction, allocating — comes before
 *       the one slot store that makes the write visible. After it come only steps that cannot fail:
 *       freeing the checked chunks of the entry replaced, the counts, and the change-feed append
 *       (lock-free, see {@link ChangeRing}).</li>
 *   <li><b>Crash safety</b>: readers see a change only through one ordered slot store or one table
 *       flip, always pointing at a complete entry. Whatever a dead writer left half done is repaired
 *       by the next writer, which gets {@link Ownership#ABANDONED}.</li>
 *   <li><b>Space</b>: when no run of chunks is free, expired entries are purged, then under
 *       {@link FullPolicy#EVICT} the oldest-written of eight sampled entries is evicted, repeatedly;
 *       under {@code REJECT} the insert fails with {@link StoreFullException}.</li>
 * </ul>
 * Longer than most classes here: the write path and the policies that make room for it must be read
 * together to check the rule that nothing after the publish can fail.
 */
final class Segment {
    private static final Memory MEMORY = OS.memory();
    private static final int EVICTION_SAMPLE = 8;

    final int index;
    private final long base;
    private final StoreConfig config;
    private final NamedMutex lock;
    private final Duration lockTimeout;
    private final FeedSink feed;
    private final EntryValidator entries;
    private final SlotTable slots;
    private final ChunkAllocator chunks;
    private final SegmentRepair repair;
    private final SegmentReader reader;
    /**
     * Counts the changes that move or free slots (removes, rehashes), so a writer can tell whether a
     * slot it located is still where it found it. Touched only with the lock held.
     */
    private int reshapes;

    /**
     * @param base address of the segment's first byte
     * @param lock the segment's lock word (observe-only in a read-only store)
     * @param feed where every change is recorded, after it is published
     */
    Segment(int index, long base, StoreConfig config, NamedMutex lock, Duration lockTimeout, FeedSink feed) {
        this.index = index;
        this.base = base;
        this.config = config;
        this.lock = lock;
        this.lockTimeout = lockTimeout;
        this.feed = feed;
        this.entries = new EntryValidator(base + SegmentLayout.dataOffset(config.slots(), config.chunks()),
                config.chunks(), config.chunkSize());
        this.slots = new SlotTable(base, config.slots(), entries);
        this.chunks = new ChunkAllocator(base, base + SegmentLayout.bitmapOffset(config.slots()), config.chunks());
        this.repair = new SegmentRepair(index, base, slots, chunks, entries);
        this.reader = new SegmentReader(index, config, slots, entries, lock);
    }

    /** Writes a fresh, empty segment into zeroed memory. */
    static void initialize(long base) {
        SharedAtomics.zero(base, SegmentLayout.HEADER_LENGTH);
    }

    // ---------------------------------------------------------------- reading (no lock)

    /** See {@link SegmentReader#read}. */
    boolean read(Bytes<?> key, long hash, Bytes<?> out, long now) {
        return reader.read(key, hash, out, now);
    }

    /** See {@link SegmentReader#snapshot}. */
    void snapshot(Bytes<?> scratch, long now, Consumer<Bytes<?>> sink) {
        reader.snapshot(scratch, now, sink);
    }

    // ---------------------------------------------------------------- statistics (no lock)

    /** Live entries, read without the lock: for size() and statistics. */
    int count() {
        return Math.max(0, slots.count());
    }

    int usedChunks() {
        return chunks.used();
    }

    long recoveries() {
        return MEMORY.readVolatileLong(base + SegmentLayout.RECOVERIES_OFFSET);
    }

    long evictions() {
        return MEMORY.readVolatileLong(base + SegmentLayout.EVICTIONS_OFFSET);
    }

    long expirations() {
        return MEMORY.readVolatileLong(base + SegmentLayout.EXPIRATIONS_OFFSET);
    }

    /** Entries dropped because they were found damaged (by repairs and rehashes). */
    long damaged() {
        return MEMORY.readVolatileLong(base + SegmentLayout.DAMAGED_OFFSET);
    }

    // ---------------------------------------------------------------- writing (lock held)

    /** Takes the segment lock, repairing the segment first if its last owner died. */
    void lock() {
        if (lock.acquire(lockTimeout) == Ownership.ABANDONED) {
            try {
                repair.recover();
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
            return slots.locate(keyAddr, keyLength, hash);
        } catch (Inconsistent e) {
            throw damaged(e);
        }
    }

    /** Copies the live entry in slot {@code i} into {@code out}, checked, windowed on its value. */
    void copyAt(int i, Bytes<?> out) {
        int chunk;
        try {
            chunk = entries.chunk(slots.slotAt(i));
            reader.copyEntry(chunk, out);
        } catch (Inconsistent e) {
            throw damaged(e);
        }
        if (!SegmentReader.copyHoldsChecksum(out)) {
            throw damaged(new Inconsistent("entry at chunk " + chunk + " fails its checksum"));
        }
        SegmentReader.windowOnValue(out);
    }

    /** Whether the live entry in slot {@code i} has expired. */
    boolean expiredAt(int i, long now) {
        try {
            return config.expired(writtenAt(slots.slotAt(i)), now);
        } catch (Inconsistent e) {
            throw damaged(e);
        }
    }

    private long writtenAt(long slot) {
        return MEMORY.readLong(entries.address(entries.chunk(slot)) + EntryLayout.WRITTEN_AT_OFFSET);
    }

    /**
     * Writes a new entry for the key (copy-on-write) and publishes it, replacing the key's live entry
     * if there is one, then frees what it replaced (see the class comment for the order).
     */
    void put(long hash, Bytes<?> key, Bytes<?> value, long now) {
        int keyLength = (int) key.writePosition();
        long valueLength = value.writePosition();
        if (keyLength + valueLength > config.maxEntryBytes()) {
            throw new IllegalArgumentException("an entry of " + keyLength + " key and " + valueLength
                    + " value bytes is larger than the " + config.maxEntryBytes() + " bytes a segment of store \""
                    + config.name() + "\" holds; raise averageValueSize or entries");
        }
        try {
            write(hash, key.addressForRead(0), keyLength, value.addressForRead(0), (int) valueLength, now);
        } catch (Inconsistent e) {
            throw damaged(e);
        }
    }

    private void write(long hash, long keyAddr, int keyLength, long valueAddr, int valueLength, long now) {
        int i = slots.locate(keyAddr, keyLength, hash);
        int shape = reshapes;
        long keep = SegmentLayout.EMPTY;
        if (i >= 0) {
            keep = slots.slotAt(i);
            entries.lengths(entries.chunk(keep));
        } else {
            ensureSlotRoom();
        }
        int chunk = allocate(EntryLayout.chunksFor(keyLength, valueLength, config.chunkSize()), keep);
        long e = entries.address(chunk);
        MEMORY.writeInt(e + EntryLayout.KEY_LENGTH_OFFSET, keyLength);
        MEMORY.writeInt(e + EntryLayout.VALUE_LENGTH_OFFSET, valueLength);
        MEMORY.writeLong(e + EntryLayout.WRITTEN_AT_OFFSET, now);
        MEMORY.writeLong(e + EntryLayout.KEY_HASH_OFFSET, hash);
        MEMORY.copyMemory(keyAddr, e + EntryLayout.HEADER_LENGTH, keyLength);
        MEMORY.copyMemory(valueAddr, e + EntryLayout.HEADER_LENGTH + keyLength, valueLength);
        MEMORY.writeLong(e + EntryLayout.CHECKSUM_OFFSET, EntryValidator.checksum(e, keyLength, valueLength));
        // making room may have purged, evicted or rehashed: only then is the slot looked up again
        int at = reshapes == shape ? i : slots.locate(keyAddr, keyLength, hash);
        int slotIndex = at >= 0 ? at : -at - 1;
        long previous = slots.slotAt(slotIndex);
        int oldChunk = -1;
        int oldChunks = 0;
        if (at >= 0) {
            oldChunk = entries.chunk(previous);
            oldChunks = entries.chunksSpanned(entries.lengths(oldChunk));
        } else if (SegmentLayout.isLive(previous)) {
            throw new Inconsistent("no free slot on the probe path of a key; slot " + slotIndex + " is taken");
        }
        slots.publish(slotIndex, SegmentLayout.slot((int) (hash >>> 32), chunk));
        // visible: nothing below can fail
        MEMORY.writeLong(base + SegmentLayout.WRITE_SEQUENCE_OFFSET, MEMORY.readLong(base + SegmentLayout.WRITE_SEQUENCE_OFFSET) + 1);
        if (oldChunk >= 0) {
            chunks.free(oldChunk, oldChunks);
        } else {
            slots.countInsert(previous);
        }
        feed.record(ChangeType.PUT, keyAddr, keyLength, hash, entryRef(chunk));
    }

    /** Deletes the live entry in slot {@code i}, recording {@code why} in the change feed. */
    void remove(int i, ChangeType why) {
        try {
            removeAt(i, why);
            rehashIfCrowded();
        } catch (Inconsistent e) {
            throw damaged(e);
        }
    }

    /** Checks the entry, then unpublishes it: nothing after the slot store can fail. */
    private void removeAt(int i, ChangeType why) {
        long old = slots.slotAt(i);
        int chunk = entries.chunk(old);
        long lengths = entries.lengths(chunk);
        int n = entries.chunksSpanned(lengths);
        long e = entries.address(chunk);
        long keyHash = MEMORY.readLong(e + EntryLayout.KEY_HASH_OFFSET);
        reshapes++;
        slots.publish(i, SegmentLayout.TOMBSTONE);
        slots.countDelete();
        // the freed chunks keep the key's bytes until a later allocation, which needs this lock
        chunks.free(chunk, n);
        feed.record(why, e + EntryLayout.HEADER_LENGTH, EntryValidator.keyLength(lengths), keyHash, entryRef(chunk));
    }

    /** Rehashes once deleted slots fill a quarter of the table; drops damaged slots it meets. */
    private void rehashIfCrowded() {
        if (slots.tombstones() > config.slots() / 4) {
            rehash();
        }
    }

    private void rehash() {
        reshapes++;
        addDamaged(slots.rehash());
    }

    private long entryRef(int chunk) {
        return ((long) index << 32) | (chunk & 0xFFFF_FFFFL);
    }

    /** Removes every entry: an empty inactive table becomes active. */
    void clear() {
        reshapes++;
        slots.clear();
        chunks.clear();
    }

    /** Removes every expired entry. */
    int purgeExpired(long now) {
        if (config.ttlMillis() <= 0) {
            return 0;
        }
        Probes.EXPIRY_PURGE.increment();
        try {
            int purged = 0;
            for (int i = 0; i < config.slots(); i++) {
                long slot = slots.slotAt(i);
                if (SegmentLayout.isLive(slot) && config.expired(writtenAt(slot), now)) {
                    removeAt(i, ChangeType.EXPIRE);
                    purged++;
                }
            }
            MEMORY.writeLong(base + SegmentLayout.EXPIRATIONS_OFFSET, expirations() + purged);
            rehashIfCrowded();
            return purged;
        } catch (Inconsistent e) {
            throw damaged(e);
        }
    }

    /** Keeps live plus deleted slots under 3/4 of the table, by rehashing, purging or evicting. */
    private void ensureSlotRoom() {
        int threshold = config.slots() / 4 * 3;
        if (slots.count() + slots.tombstones() < threshold) {
            return;
        }
        if (slots.tombstones() > 0) {
            rehash();
        }
        if (slots.count() < threshold) {
            return;
        }
        purgeExpired(System.currentTimeMillis());
        while (slots.count() >= threshold) {
            if (config.fullPolicy() != FullPolicy.EVICT || !evictOneExcept(SegmentLayout.EMPTY)) {
                throw full("slots", "all " + slots.count() + " slots usable in this segment are taken");
            }
        }
    }

    /**
     * Finds {@code need} free contiguous chunks, making room as the policy allows, and takes them. The
     * chunks of {@code keep} (the entry being replaced) are never evicted.
     */
    private int allocate(int need, long keep) {
        int chunk = chunks.findRun(need);
        if (chunk < 0 && config.ttlMillis() > 0) {
            purgeExpired(System.currentTimeMillis());
            chunk = chunks.findRun(need);
        }
        while (chunk < 0 && config.fullPolicy() == FullPolicy.EVICT && evictOneExcept(keep)) {
            chunk = chunks.findRun(need);
        }
        if (chunk < 0) {
            throw full("data", "no run of " + need + " free chunks of " + config.chunkSize() + " bytes; "
                    + (config.chunks() - chunks.used()) + " of " + config.chunks() + " chunks are free");
        }
        chunks.take(chunk, need);
        return chunk;
    }

    /** Evicts the oldest-written of up to eight live entries from a random place, never {@code keep}. */
    private boolean evictOneExcept(long keep) {
        Probes.EVICTION.increment();
        int start = ThreadLocalRandom.current().nextInt(config.slots());
        int victim = -1;
        long oldest = Long.MAX_VALUE;
        int seen = 0;
        for (int k = 0; k < config.slots() && seen < EVICTION_SAMPLE; k++) {
            int i = (start + k) & (config.slots() - 1);
            long slot = slots.slotAt(i);
            if (SegmentLayout.isLive(slot) && slot != keep) {
                seen++;
                long at = writtenAt(slot);
                if (at < oldest) {
                    oldest = at;
                    victim = i;
                }
            }
        }
        if (victim < 0) {
            return false;
        }
        removeAt(victim, ChangeType.EVICT);
        MEMORY.writeLong(base + SegmentLayout.EVICTIONS_OFFSET, evictions() + 1);
        return true;
    }

    private void addDamaged(int dropped) {
        if (dropped > 0) {
            MEMORY.writeLong(base + SegmentLayout.DAMAGED_OFFSET, damaged() + dropped);
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
            repaired = "; the segment was repaired online, " + dropped + " damaged " + (dropped == 1 ? "entry" : "entries")
                    + " dropped. This operation did not happen: retry it";
        } catch (RuntimeException | Error failed) {
            repaired = "; repairing the segment failed too: " + failed;
        }
        return corrupted(e.getMessage() + repaired);
    }

    private StoreCorruptedException corrupted(String what) {
        return new StoreCorruptedException("store \"" + config.name() + "\", segment " + index + ": " + what);
    }

    private StoreFullException full(String what, String detail) {
        return new StoreFullException("store \"" + config.name() + "\" is full: segment " + index + " has no room in its "
                + what + " (" + detail + "). It was sized for " + config.entries() + " entries of about "
                + config.averageKeySize() + "-byte keys and " + config.averageValueSize()
                + "-byte values; raise entries, averageKeySize or averageValueSize, or use fullPolicy(EVICT)");
    }
}
