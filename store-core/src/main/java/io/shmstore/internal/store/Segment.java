package io.shmstore.internal.store;

import io.shmstore.FullPolicy;
import io.shmstore.LockTimeoutException;
import io.shmstore.StoreCorruptedException;
import io.shmstore.StoreFullException;
import io.shmstore.internal.memory.SharedAtomics;
import io.shmstore.memory.NamedMutex;
import io.shmstore.memory.Ownership;
import net.openhft.chronicle.bytes.Bytes;
import net.openhft.chronicle.core.Memory;
import net.openhft.chronicle.core.OS;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * One segment of a store: lock-free reads under the segment's seqlock, writes under its lock word.
 *
 * <p>Design notes (the protocol itself is in {@link SegmentLayout}):
 * <ul>
 *   <li><b>Trust</b>: every number read from shared memory (slot, chunk, lengths, table index) is
 *       checked against this segment's bounds before it is used as an address. A reader that finds an
 *       inconsistency retries if the seqlock moved, and reports {@link StoreCorruptedException} if it
 *       did not: never a wild read.</li>
 *   <li><b>Crash safety</b>: a writer changes what readers see only by one ordered slot store or one
 *       table flip, always pointing at a complete entry. Whatever a dead writer left half done (an
 *       odd counter, allocated but unreferenced chunks, old chunks not yet freed, counts) is repaired
 *       by {@link #recover()} when the next writer gets {@link Ownership#ABANDONED}.</li>
 *   <li><b>Tables</b>: deletes leave tombstones; when they pile up, or during recovery, the live slots
 *       are rehashed into the inactive table, which no reader can see, and the active index is flipped.
 *       A crash mid-rehash leaves the old table active and intact.</li>
 *   <li><b>Space</b>: first-fit over a bitmap of chunks, starting at a rotating cursor. When no run is
 *       free, expired entries are purged, then under {@link FullPolicy#EVICT} the oldest-written of
 *       eight sampled entries is evicted, repeatedly; under {@code REJECT} the insert fails.</li>
 * </ul>
 * This class is longer than most because the read, write and recovery paths share their bounds
 * checks and must be read together.
 */
final class Segment {
    private static final Memory MEMORY = OS.memory();
    /** Seqlock spins before a reader checks whether the writer holding an odd counter is dead. */
    private static final int READ_SPINS = 1 << 14;
    private static final int EVICTION_SAMPLE = 8;

    final int index;
    private final long base;
    private final long limit;
    private final StoreConfig config;
    private final int mask;
    private final long bitmap;
    private final long data;
    private final NamedMutex lock;
    private final Duration lockTimeout;
    private final FeedSink feed;
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
        this.limit = config.stride();
        this.mask = config.slots() - 1;
        this.bitmap = base + SegmentLayout.bitmapOffset(config.slots());
        this.data = base + SegmentLayout.dataOffset(config.slots(), config.chunks());
        this.lock = lock;
        this.lockTimeout = lockTimeout;
        this.feed = feed;
    }

    /** Writes a fresh, empty segment into zeroed memory. */
    static void initialize(long base) {
        SharedAtomics.zero(base, SegmentLayout.HEADER_LENGTH);
    }

    // ---------------------------------------------------------------- reading

    /**
     * Copies the entry for the key in {@code key} (its bytes, hashed to {@code hash}) into {@code out},
     * consistent under the seqlock and checked, with {@code out}'s read window set to the value bytes.
     *
     * @return true when found and not expired
     */
    boolean read(Bytes<?> key, long hash, Bytes<?> out, long now) {
        long keyAddr = key.addressForRead(0);
        int keyLen = (int) key.writePosition();
        for (int attempt = 0; ; attempt++) {
            long s1 = stableSeq(attempt);
            if (s1 < 0) {
                continue;
            }
            int found;
            try {
                found = findChunk(keyAddr, keyLen, hash);
                if (found >= 0) {
                    copyEntry(found, out);
                }
            } catch (Inconsistent e) {
                raceOrCorruption(s1, e);
                continue;
            }
            if (!unchangedSince(s1)) {
                continue;
            }
            if (found < 0) {
                return false;
            }
            checkCopiedEntry(out, found);
            return !expired(out.readLong(EntryLayout.WRITTEN_AT_OFFSET), now) && windowOnValue(out);
        }
    }

    /** The seqlock counter to read under, or -1 (after a spin) while a live writer is publishing. */
    private long stableSeq(int attempt) {
        long s1 = MEMORY.readVolatileLong(base + SegmentLayout.SEQ_OFFSET);
        if (s1 < 0) {
            // The counter counts up from 0 and cannot go negative in 2^63 writes: a negative one is
            // damage. Returned, it would read as this method's "spin" answer (any negative), and every
            // reader of the segment would spin for ever (found by CorruptionFuzzTest).
            throw corrupted("its seqlock counter is " + s1 + ", negative");
        }
        if ((s1 & 1) != 0 && !writerGone(attempt)) {
            Thread.onSpinWait();
            return -1;
        }
        return s1;
    }

    /** True when nothing changed since the counter read {@code s1}: what was read is consistent. */
    private boolean unchangedSince(long s1) {
        MEMORY.loadFence();
        return !seqMoved(s1);
    }

    /** An inconsistency is a race if a writer moved the counter (retry), else corruption (throw). */
    private void raceOrCorruption(long s1, Inconsistent e) {
        if (!seqMoved(s1)) {
            throw corrupted(e.getMessage());
        }
    }

    private boolean seqMoved(long before) {
        return MEMORY.readVolatileLong(base + SegmentLayout.SEQ_OFFSET) != before;
    }

    /**
     * An odd counter normally means a writer is inside its publish window (a few stores long). After
     * many spins, a counter that stays odd because its writer died is read through: slots only ever
     * point at complete entries, and each copy is checked.
     */
    private boolean writerGone(int attempt) {
        if (attempt < READ_SPINS || (attempt & 1023) != 0) {
            return false;
        }
        long owner = lock.ownerPid();
        if (owner == 0 || lock.isAbandoned()) {
            return true;
        }
        if (attempt > READ_SPINS * 64) {
            throw new LockTimeoutException("segment " + index + " of store \"" + config.name()
                    + "\" stayed mid-write for too long; its writer is process " + owner, owner);
        }
        return false;
    }

    /** The first chunk of the live entry for the key, or -1. Reads only checked addresses. */
    private int findChunk(long keyAddr, int keyLen, long hash) {
        long table = activeTable();
        int tag = (int) (hash >>> 32);
        int i = (int) hash & mask;
        for (int probes = 0; probes < config.slots(); probes++, i = (i + 1) & mask) {
            long slot = MEMORY.readVolatileLong(table + (long) i * 8);
            if (slot == SegmentLayout.EMPTY) {
                return -1;
            }
            if (slot != SegmentLayout.TOMBSTONE && SegmentLayout.tagOf(slot) == tag) {
                int chunk = checkedChunk(slot);
                long e = data + (long) chunk * config.chunkSize();
                int kl = MEMORY.readInt(e + EntryLayout.KEY_LENGTH_OFFSET);
                if (kl == keyLen) {
                    checkedLength(chunk, kl, MEMORY.readInt(e + EntryLayout.VALUE_LENGTH_OFFSET));
                    if (MEMORY.readLong(e + EntryLayout.KEY_HASH_OFFSET) == hash
                            && equalBytes(e + EntryLayout.HEADER_LENGTH, keyAddr, keyLen)) {
                        return chunk;
                    }
                }
            }
        }
        return -1;
    }

    private long activeTable() {
        int active = MEMORY.readVolatileInt(base + SegmentLayout.ACTIVE_TABLE_OFFSET);
        if (active != 0 && active != 1) {
            throw new Inconsistent("active table index " + active);
        }
        return base + SegmentLayout.tableOffset(active, config.slots());
    }

    private int checkedChunk(long slot) {
        int chunk = SegmentLayout.chunkOf(slot);
        if (chunk < 0 || chunk >= config.chunks()) {
            throw new Inconsistent("slot points at chunk " + chunk + " of " + config.chunks());
        }
        return chunk;
    }

    /** Total entry bytes, after checking that they fit between the chunk and the end of the data. */
    private long checkedLength(int chunk, int keyLen, int valueLen) {
        long room = (long) (config.chunks() - chunk) * config.chunkSize();
        long total = EntryLayout.HEADER_LENGTH + (long) keyLen + valueLen;
        if (keyLen < 0 || valueLen < 0 || total > room) {
            throw new Inconsistent("entry at chunk " + chunk + " claims key " + keyLen + " and value " + valueLen
                    + " bytes; " + room + " bytes remain in the segment");
        }
        return total;
    }

    private static boolean equalBytes(long a, long b, int n) {
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

    private void copyEntry(int chunk, Bytes<?> out) {
        long e = data + (long) chunk * config.chunkSize();
        long total = checkedLength(chunk, MEMORY.readInt(e), MEMORY.readInt(e + EntryLayout.VALUE_LENGTH_OFFSET));
        out.clear();
        out.ensureCapacity(total);
        MEMORY.copyMemory(e, out.addressForWrite(0), total);
        out.writePosition(total);
    }

    /** Checks a copied entry's lengths and checksum; throws when the bytes are corrupt. */
    private void checkCopiedEntry(Bytes<?> copy, int chunk) {
        long a = copy.addressForRead(0);
        int kl = MEMORY.readInt(a);
        int vl = MEMORY.readInt(a + EntryLayout.VALUE_LENGTH_OFFSET);
        long total = EntryLayout.HEADER_LENGTH + (long) kl + vl;
        if (kl < 0 || vl < 0 || total != copy.writePosition() || checksum(a, kl, vl) != MEMORY.readLong(a + EntryLayout.CHECKSUM_OFFSET)) {
            throw corrupted("entry at chunk " + chunk + " fails its checksum");
        }
    }

    private static boolean windowOnValue(Bytes<?> copy) {
        int kl = copy.readInt(EntryLayout.KEY_LENGTH_OFFSET);
        copy.readPositionRemaining(EntryLayout.HEADER_LENGTH + kl, copy.readInt(EntryLayout.VALUE_LENGTH_OFFSET));
        return true;
    }

    static long checksum(long entry, int keyLen, int valueLen) {
        long h = Hashing.hash(0x5348_4D53_544F_5245L, entry, EntryLayout.CHECKSUM_OFFSET);
        return Hashing.hash(h, entry + EntryLayout.HEADER_LENGTH, (long) keyLen + valueLen);
    }

    private boolean expired(long writtenAt, long now) {
        return config.ttlMillis() > 0 && now - writtenAt >= config.ttlMillis();
    }

    /** Live entries, read without the lock: for size() and statistics. */
    int count() {
        return Math.max(0, MEMORY.readVolatileInt(base + SegmentLayout.COUNT_OFFSET));
    }

    int usedChunks() {
        return MEMORY.readVolatileInt(base + SegmentLayout.USED_CHUNKS_OFFSET);
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

    /**
     * Copies every live, unexpired entry of the segment, consistently, into {@code sink} (for
     * iteration); the sink sees each copy through {@code scratch}'s read window on the whole entry.
     */
    void snapshot(Bytes<?> scratch, long now, java.util.function.Consumer<Bytes<?>> sink) {
        for (int attempt = 0; ; attempt++) {
            long s1 = stableSeq(attempt);
            if (s1 < 0) {
                continue;
            }
            java.util.List<byte[]> copies = new java.util.ArrayList<>();
            java.util.List<Integer> chunks = new java.util.ArrayList<>();
            try {
                long table = activeTable();
                for (int i = 0; i < config.slots(); i++) {
                    long slot = MEMORY.readVolatileLong(table + (long) i * 8);
                    if (SegmentLayout.isLive(slot)) {
                        int chunk = checkedChunk(slot);
                        copyEntry(chunk, scratch);
                        byte[] b = new byte[(int) scratch.writePosition()];
                        scratch.read(0, b, 0, b.length);
                        copies.add(b);
                        chunks.add(chunk);
                    }
                }
            } catch (Inconsistent e) {
                raceOrCorruption(s1, e);
                continue;
            }
            if (!unchangedSince(s1)) {
                continue;
            }
            for (int c = 0; c < copies.size(); c++) {
                byte[] b = copies.get(c);
                scratch.clear();
                scratch.write(b);
                checkCopiedEntry(scratch, chunks.get(c));
                if (!expired(scratch.readLong(EntryLayout.WRITTEN_AT_OFFSET), now)) {
                    scratch.readPositionRemaining(0, b.length);
                    sink.accept(scratch);
                }
            }
            return;
        }
    }

    // ---------------------------------------------------------------- writing (lock held)

    /** Takes the segment lock, repairing the segment first if its last owner died. */
    void lock() {
        if (lock.acquire(lockTimeout) == Ownership.ABANDONED) {
            try {
                recover();
            } catch (RuntimeException e) {
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
     * is the first reusable slot on its probe path. Lock held.
     */
    int locate(long keyAddr, int keyLen, long hash) {
        long table = activeTableLocked();
        int tag = (int) (hash >>> 32);
        int i = (int) hash & mask;
        int free = -1;
        for (int probes = 0; probes < config.slots(); probes++, i = (i + 1) & mask) {
            long slot = MEMORY.readLong(table + (long) i * 8);
            if (slot == SegmentLayout.EMPTY) {
                return -((free < 0 ? i : free) + 1);
            }
            if (slot == SegmentLayout.TOMBSTONE) {
                if (free < 0) {
                    free = i;
                }
            } else if (SegmentLayout.tagOf(slot) == tag) {
                int chunk = checkedChunkLocked(slot);
                long e = entryAddress(chunk);
                if (MEMORY.readInt(e) == keyLen && MEMORY.readLong(e + EntryLayout.KEY_HASH_OFFSET) == hash
                        && equalBytes(e + EntryLayout.HEADER_LENGTH, keyAddr, keyLen)) {
                    return i;
                }
            }
        }
        return -((free < 0 ? 0 : free) + 1);
    }

    /**
     * The active table, for a writer (lock held): a bad index is corruption at once (no writer can race
     * the holder), and the internal Inconsistent must not escape to the caller, as it did from put
     * (found by CorruptionFuzzTest).
     */
    private long activeTableLocked() {
        try {
            return activeTable();
        } catch (Inconsistent e) {
            throw corrupted(e.getMessage());
        }
    }

    private int checkedChunkLocked(long slot) {
        try {
            return checkedChunk(slot);
        } catch (Inconsistent e) {
            throw corrupted(e.getMessage());
        }
    }

    /** Copies the live entry in slot {@code i} into {@code out}, checked, windowed on its value. Lock held. */
    void copyAt(int i, Bytes<?> out) {
        int chunk = checkedChunkLocked(slotAt(i));
        try {
            copyEntry(chunk, out);
        } catch (Inconsistent e) {
            throw corrupted(e.getMessage());
        }
        checkCopiedEntry(out, chunk);
        windowOnValue(out);
    }

    long slotAt(int i) {
        return MEMORY.readLong(activeTableLocked() + (long) i * 8);
    }

    long entryAddress(int chunk) {
        return data + (long) chunk * config.chunkSize();
    }

    /** Whether the live entry in slot {@code i} has expired. Lock held. */
    boolean expiredAt(int i, long now) {
        return expired(MEMORY.readLong(entryAddress(SegmentLayout.chunkOf(slotAt(i))) + EntryLayout.WRITTEN_AT_OFFSET), now);
    }

    /**
     * Writes a new entry for the key (copy-on-write) and publishes it, replacing the key's live entry
     * if there is one, then frees what it replaced. Making room may purge, evict or rehash; if it did,
     * the slot is located again after the space is found. Lock held.
     */
    void put(long hash, Bytes<?> key, Bytes<?> value, long now) {
        long keyAddr = key.addressForRead(0);
        int keyLen = (int) key.writePosition();
        long valueLen = value.writePosition();
        if (keyLen + valueLen > config.maxEntryBytes()) {
            throw new IllegalArgumentException("an entry of " + keyLen + " key and " + valueLen
                    + " value bytes is larger than the " + config.maxEntryBytes() + " bytes a segment of store \""
                    + config.name() + "\" holds; raise averageValueSize or entries");
        }
        int i = locate(keyAddr, keyLen, hash);
        int shape = reshapes;
        long keep = i >= 0 ? slotAt(i) : SegmentLayout.EMPTY;
        if (i < 0) {
            ensureSlotRoom();
        }
        int chunk = allocate(EntryLayout.chunksFor(keyLen, valueLen, config.chunkSize()), keep);
        long e = entryAddress(chunk);
        MEMORY.writeInt(e + EntryLayout.KEY_LENGTH_OFFSET, keyLen);
        MEMORY.writeInt(e + EntryLayout.VALUE_LENGTH_OFFSET, (int) valueLen);
        MEMORY.writeLong(e + EntryLayout.WRITTEN_AT_OFFSET, now);
        MEMORY.writeLong(e + EntryLayout.KEY_HASH_OFFSET, hash);
        MEMORY.copyMemory(keyAddr, e + EntryLayout.HEADER_LENGTH, keyLen);
        MEMORY.copyMemory(value.addressForRead(0), e + EntryLayout.HEADER_LENGTH + keyLen, valueLen);
        MEMORY.writeLong(e + EntryLayout.CHECKSUM_OFFSET, checksum(e, keyLen, (int) valueLen));
        // making room may have purged, evicted or rehashed: only then is the slot looked up again
        int at = reshapes == shape ? i : locate(keyAddr, keyLen, hash);
        int slotIndex = at >= 0 ? at : -at - 1;
        long old = slotAt(slotIndex);
        publish(slotIndex, SegmentLayout.slot((int) (hash >>> 32), chunk));
        MEMORY.writeLong(base + SegmentLayout.WRITE_SEQUENCE_OFFSET, MEMORY.readLong(base + SegmentLayout.WRITE_SEQUENCE_OFFSET) + 1);
        feed.record(io.shmstore.ChangeType.PUT, keyAddr, keyLen, hash, entryRef(chunk));
        if (SegmentLayout.isLive(old)) {
            freeEntry(old);
        } else {
            if (old == SegmentLayout.TOMBSTONE) {
                addInt(SegmentLayout.TOMBSTONES_OFFSET, -1);
            }
            addInt(SegmentLayout.COUNT_OFFSET, 1);
        }
    }

    /** Deletes the live entry in slot {@code i}, recording {@code why} in the change feed. Lock held. */
    void remove(int i, io.shmstore.ChangeType why) {
        reshapes++;
        long old = slotAt(i);
        publish(i, SegmentLayout.TOMBSTONE);
        int chunk = SegmentLayout.chunkOf(old);
        long e = entryAddress(chunk);
        feed.record(why, e + EntryLayout.HEADER_LENGTH, MEMORY.readInt(e), MEMORY.readLong(e + EntryLayout.KEY_HASH_OFFSET),
                entryRef(chunk));
        freeEntry(old);
        addInt(SegmentLayout.COUNT_OFFSET, -1);
        addInt(SegmentLayout.TOMBSTONES_OFFSET, 1);
        if (MEMORY.readInt(base + SegmentLayout.TOMBSTONES_OFFSET) > config.slots() / 4) {
            rehash();
        }
    }

    private long entryRef(int chunk) {
        return ((long) index << 32) | (chunk & 0xFFFF_FFFFL);
    }

    /** Removes every entry: an empty inactive table becomes active. Lock held. */
    void clear() {
        int active = MEMORY.readInt(base + SegmentLayout.ACTIVE_TABLE_OFFSET);
        long other = base + SegmentLayout.tableOffset(1 - active, config.slots());
        SharedAtomics.zero(other, (long) config.slots() * 8);
        flip(1 - active);
        SharedAtomics.zero(bitmap, SegmentLayout.bitmapLength(config.chunks()));
        MEMORY.writeInt(base + SegmentLayout.COUNT_OFFSET, 0);
        MEMORY.writeInt(base + SegmentLayout.TOMBSTONES_OFFSET, 0);
        MEMORY.writeInt(base + SegmentLayout.USED_CHUNKS_OFFSET, 0);
    }

    private void publish(int i, long slot) {
        long table = activeTableLocked();
        long seq = base + SegmentLayout.SEQ_OFFSET;
        MEMORY.writeVolatileLong(seq, MEMORY.readLong(seq) + 1);
        MEMORY.writeOrderedLong(table + (long) i * 8, slot);
        MEMORY.writeVolatileLong(seq, MEMORY.readLong(seq) + 1);
    }

    private void flip(int table) {
        long seq = base + SegmentLayout.SEQ_OFFSET;
        MEMORY.writeVolatileLong(seq, MEMORY.readLong(seq) + 1);
        MEMORY.writeOrderedInt(base + SegmentLayout.ACTIVE_TABLE_OFFSET, table);
        MEMORY.writeVolatileLong(seq, MEMORY.readLong(seq) + 1);
    }

    private void addInt(int offset, int delta) {
        MEMORY.writeOrderedInt(base + offset, MEMORY.readInt(base + offset) + delta);
    }

    /** Keeps live plus deleted slots under 3/4 of the table, by rehashing, purging or evicting. */
    private void ensureSlotRoom() {
        int threshold = config.slots() / 4 * 3;
        if (count() + tombstones() < threshold) {
            return;
        }
        if (tombstones() > 0) {
            rehash();
        }
        if (count() < threshold) {
            return;
        }
        purgeExpired(System.currentTimeMillis());
        while (count() >= threshold) {
            if (config.fullPolicy() != FullPolicy.EVICT || !evictOne()) {
                throw full("slots", "all " + count() + " slots usable in this segment are taken");
            }
        }
    }

    private int tombstones() {
        return MEMORY.readInt(base + SegmentLayout.TOMBSTONES_OFFSET);
    }

    /**
     * Finds {@code need} free contiguous chunks, making room as the policy allows. The chunks of
     * {@code keep} (the entry being replaced) are never evicted.
     */
    private int allocate(int need, long keep) {
        int chunk = findRun(need);
        if (chunk < 0 && config.ttlMillis() > 0) {
            purgeExpired(System.currentTimeMillis());
            chunk = findRun(need);
        }
        while (chunk < 0 && config.fullPolicy() == FullPolicy.EVICT && evictOneExcept(keep)) {
            chunk = findRun(need);
        }
        if (chunk < 0) {
            throw full("data", "no run of " + need + " free chunks of " + config.chunkSize() + " bytes; "
                    + (config.chunks() - usedChunks()) + " of " + config.chunks() + " chunks are free");
        }
        mark(chunk, need, true);
        MEMORY.writeInt(base + SegmentLayout.CURSOR_OFFSET, (chunk + need) % config.chunks());
        addInt(SegmentLayout.USED_CHUNKS_OFFSET, need);
        return chunk;
    }

    /**
     * First-fit from the cursor, wrapping once. Whole bitmap words that are full are skipped 64
     * chunks at a time, so a nearly full segment costs a word read per 64 chunks, not a bit test each.
     */
    private int findRun(int need) {
        int chunks = config.chunks();
        int cursor = Math.floorMod(MEMORY.readInt(base + SegmentLayout.CURSOR_OFFSET), chunks);
        int run = 0;
        int start = cursor;
        int c = cursor;
        for (long scanned = 0; scanned < (long) chunks + need; ) {
            if (c >= chunks) {
                c = 0;
                run = 0;
                start = 0;
            }
            if ((c & 63) == 0 && c + 64 <= chunks && MEMORY.readLong(bitmap + (c >>> 6) * 8L) == -1L) {
                run = 0;
                c += 64;
                start = c;
                scanned += 64;
                continue;
            }
            if (used(c)) {
                run = 0;
                start = c + 1;
            } else if (++run == need) {
                return start;
            }
            c++;
            scanned++;
        }
        return -1;
    }

    private boolean used(int chunk) {
        return (MEMORY.readLong(bitmap + (chunk >>> 6) * 8L) & (1L << chunk)) != 0;
    }

    private void mark(int chunk, int n, boolean used) {
        for (int c = chunk; c < chunk + n; c++) {
            long w = bitmap + (c >>> 6) * 8L;
            long bits = MEMORY.readLong(w);
            MEMORY.writeLong(w, used ? bits | (1L << c) : bits & ~(1L << c));
        }
    }

    /** Chunks spanned by the (already checked) entry at address {@code e}. */
    private int entryChunks(long e) {
        return EntryLayout.chunksFor(MEMORY.readInt(e), MEMORY.readInt(e + EntryLayout.VALUE_LENGTH_OFFSET), config.chunkSize());
    }

    private void freeEntry(long slot) {
        int chunk = SegmentLayout.chunkOf(slot);
        long e = entryAddress(chunk);
        int n = entryChunks(e);
        mark(chunk, n, false);
        addInt(SegmentLayout.USED_CHUNKS_OFFSET, -n);
    }

    /** Removes every expired entry. Lock held. */
    int purgeExpired(long now) {
        if (config.ttlMillis() <= 0) {
            return 0;
        }
        Probes.EXPIRY_PURGE.increment();
        int purged = 0;
        for (int i = 0; i < config.slots(); i++) {
            if (SegmentLayout.isLive(slotAt(i)) && expiredAt(i, now)) {
                remove(i, io.shmstore.ChangeType.EXPIRE);
                purged++;
            }
        }
        MEMORY.writeLong(base + SegmentLayout.EXPIRATIONS_OFFSET, expirations() + purged);
        return purged;
    }

    private boolean evictOne() {
        return evictOneExcept(SegmentLayout.EMPTY);
    }

    /** Evicts the oldest-written of up to eight live entries from a random place. Lock held. */
    private boolean evictOneExcept(long keep) {
        Probes.EVICTION.increment();
        int start = ThreadLocalRandom.current().nextInt(config.slots());
        int victim = -1;
        long oldest = Long.MAX_VALUE;
        int seen = 0;
        for (int k = 0; k < config.slots() && seen < EVICTION_SAMPLE; k++) {
            int i = (start + k) & mask;
            long slot = slotAt(i);
            if (SegmentLayout.isLive(slot) && slot != keep) {
                seen++;
                long at = MEMORY.readLong(entryAddress(SegmentLayout.chunkOf(slot)) + EntryLayout.WRITTEN_AT_OFFSET);
                if (at < oldest) {
                    oldest = at;
                    victim = i;
                }
            }
        }
        if (victim < 0) {
            return false;
        }
        remove(victim, io.shmstore.ChangeType.EVICT);
        MEMORY.writeLong(base + SegmentLayout.EVICTIONS_OFFSET, evictions() + 1);
        return true;
    }

    /** Rebuilds the live slots into the inactive table and flips to it. Lock held. */
    private void rehash() {
        Probes.REHASH.increment();
        reshapes++;
        int active = MEMORY.readInt(base + SegmentLayout.ACTIVE_TABLE_OFFSET);
        long from = base + SegmentLayout.tableOffset(active, config.slots());
        long to = base + SegmentLayout.tableOffset(1 - active, config.slots());
        SharedAtomics.zero(to, (long) config.slots() * 8);
        int live = 0;
        for (int i = 0; i < config.slots(); i++) {
            long slot = MEMORY.readLong(from + (long) i * 8);
            if (SegmentLayout.isLive(slot)) {
                long hash = MEMORY.readLong(entryAddress(SegmentLayout.chunkOf(slot)) + EntryLayout.KEY_HASH_OFFSET);
                int j = (int) hash & mask;
                while (MEMORY.readLong(to + (long) j * 8) != SegmentLayout.EMPTY) {
                    j = (j + 1) & mask;
                }
                MEMORY.writeLong(to + (long) j * 8, slot);
                live++;
            }
        }
        flip(1 - active);
        MEMORY.writeInt(base + SegmentLayout.COUNT_OFFSET, live);
        MEMORY.writeInt(base + SegmentLayout.TOMBSTONES_OFFSET, 0);
    }

    // ---------------------------------------------------------------- recovery (lock held)

    /**
     * Repairs the segment after its last writer died holding the lock, online: settles the seqlock,
     * drops slots whose entry is out of bounds, fails its checksum or disagrees with its slot (or
     * repeats another slot's chunk), rehashes the survivors into a clean table, and rebuilds the chunk
     * bitmap and the counts from them. Entries that were published survive; a write that had not
     * reached its slot store is rolled back.
     */
    void recover() {
        Probes.RECOVERY.increment();
        long seq = base + SegmentLayout.SEQ_OFFSET;
        long s = MEMORY.readLong(seq);
        if ((s & 1) != 0) {
            MEMORY.writeVolatileLong(seq, s + 1);
        }
        int active = MEMORY.readInt(base + SegmentLayout.ACTIVE_TABLE_OFFSET);
        if (active != 0 && active != 1) {
            active = 0;
            MEMORY.writeVolatileInt(base + SegmentLayout.ACTIVE_TABLE_OFFSET, 0);
        }
        long table = base + SegmentLayout.tableOffset(active, config.slots());
        java.util.BitSet claimed = new java.util.BitSet(config.chunks());
        for (int i = 0; i < config.slots(); i++) {
            long slot = MEMORY.readLong(table + (long) i * 8);
            if (SegmentLayout.isLive(slot) && !validEntry(slot, claimed)) {
                publish(i, SegmentLayout.TOMBSTONE);
            }
        }
        rehash();
        SharedAtomics.zero(bitmap, SegmentLayout.bitmapLength(config.chunks()));
        int used = 0;
        long fresh = base + SegmentLayout.tableOffset(MEMORY.readInt(base + SegmentLayout.ACTIVE_TABLE_OFFSET), config.slots());
        for (int i = 0; i < config.slots(); i++) {
            long slot = MEMORY.readLong(fresh + (long) i * 8);
            if (SegmentLayout.isLive(slot)) {
                int chunk = SegmentLayout.chunkOf(slot);
                long e = entryAddress(chunk);
                int n = entryChunks(e);
                mark(chunk, n, true);
                used += n;
            }
        }
        MEMORY.writeInt(base + SegmentLayout.USED_CHUNKS_OFFSET, used);
        MEMORY.writeLong(base + SegmentLayout.RECOVERIES_OFFSET, recoveries() + 1);
    }

    private boolean validEntry(long slot, java.util.BitSet claimed) {
        int chunk = SegmentLayout.chunkOf(slot);
        if (chunk < 0 || chunk >= config.chunks()) {
            return false;
        }
        long e = entryAddress(chunk);
        int kl = MEMORY.readInt(e);
        int vl = MEMORY.readInt(e + EntryLayout.VALUE_LENGTH_OFFSET);
        long room = (long) (config.chunks() - chunk) * config.chunkSize();
        if (kl < 0 || vl < 0 || EntryLayout.HEADER_LENGTH + (long) kl + vl > room) {
            return false;
        }
        long hash = MEMORY.readLong(e + EntryLayout.KEY_HASH_OFFSET);
        if ((int) (hash >>> 32) != SegmentLayout.tagOf(slot)
                || checksum(e, kl, vl) != MEMORY.readLong(e + EntryLayout.CHECKSUM_OFFSET)) {
            return false;
        }
        int n = EntryLayout.chunksFor(kl, vl, config.chunkSize());
        int clash = claimed.nextSetBit(chunk);
        if (clash >= 0 && clash < chunk + n) {
            return false;
        }
        claimed.set(chunk, chunk + n);
        return true;
    }

    // ---------------------------------------------------------------- verification (lock held)

    /**
     * Checks every invariant of the segment and adds a line per problem to {@code problems}: an odd
     * seqlock, slots pointing outside the data or at entries that fail their checksum, overlapping
     * entries, keys not reachable from their hash, counts that disagree, chunks marked used that no
     * entry holds or held chunks marked free. Lock held (so a dead writer's segment was repaired first).
     */
    void verify(java.util.List<String> problems) {
        String where = "segment " + index + ": ";
        long seq = MEMORY.readLong(base + SegmentLayout.SEQ_OFFSET);
        if (seq < 0) {
            problems.add(where + "seqlock counter is " + seq + ", negative (readers report the segment corrupt)");
        } else if ((seq & 1) != 0) {
            problems.add(where + "seqlock counter is odd outside a write");
        }
        int active = MEMORY.readInt(base + SegmentLayout.ACTIVE_TABLE_OFFSET);
        if (active != 0 && active != 1) {
            problems.add(where + "active table index is " + active);
            return;
        }
        long table = base + SegmentLayout.tableOffset(active, config.slots());
        java.util.BitSet claimed = new java.util.BitSet(config.chunks());
        int live = 0;
        int tombstones = 0;
        for (int i = 0; i < config.slots(); i++) {
            long slot = MEMORY.readLong(table + (long) i * 8);
            if (slot == SegmentLayout.TOMBSTONE) {
                tombstones++;
            } else if (slot != SegmentLayout.EMPTY) {
                if (!validEntry(slot, claimed)) {
                    problems.add(where + "slot " + i + " points at an invalid or overlapping entry (chunk "
                            + SegmentLayout.chunkOf(slot) + ")");
                    continue;
                }
                live++;
                long e = entryAddress(SegmentLayout.chunkOf(slot));
                int kl = MEMORY.readInt(e);
                if (locate(e + EntryLayout.HEADER_LENGTH, kl, MEMORY.readLong(e + EntryLayout.KEY_HASH_OFFSET)) != i) {
                    problems.add(where + "the key in slot " + i + " is not reachable from its hash");
                }
            }
        }
        int count = MEMORY.readInt(base + SegmentLayout.COUNT_OFFSET);
        if (count != live) {
            problems.add(where + "count says " + count + " entries, slots hold " + live);
        }
        if (MEMORY.readInt(base + SegmentLayout.TOMBSTONES_OFFSET) != tombstones) {
            problems.add(where + "tombstone count says " + MEMORY.readInt(base + SegmentLayout.TOMBSTONES_OFFSET)
                    + ", table holds " + tombstones);
        }
        int marked = 0;
        for (int c = 0; c < config.chunks(); c++) {
            boolean u = used(c);
            marked += u ? 1 : 0;
            if (u != claimed.get(c)) {
                problems.add(where + "chunk " + c + (u ? " is marked used but no entry holds it"
                        : " is held by an entry but marked free"));
                if (problems.size() > 100) {
                    return;
                }
            }
        }
        if (MEMORY.readInt(base + SegmentLayout.USED_CHUNKS_OFFSET) != marked) {
            problems.add(where + "used-chunk count says " + MEMORY.readInt(base + SegmentLayout.USED_CHUNKS_OFFSET)
                    + ", bitmap marks " + marked);
        }
    }

    // ---------------------------------------------------------------- errors

    private StoreCorruptedException corrupted(String what) {
        return new StoreCorruptedException("store \"" + config.name() + "\", segment " + index + ": " + what);
    }

    private StoreFullException full(String what, String detail) {
        return new StoreFullException("store \"" + config.name() + "\" is full: segment " + index + " has no room in its "
                + what + " (" + detail + "). It was sized for " + config.entries() + " entries of about "
                + config.averageKeySize() + "-byte keys and " + config.averageValueSize()
                + "-byte values; raise entries, averageKeySize or averageValueSize, or use fullPolicy(EVICT)");
    }

    /** An inconsistency seen by a lock-free reader: a race if the seqlock moved, corruption if not. */
    private static final class Inconsistent extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Inconsistent(String message) {
            super(message, null, false, false);
        }
    }
}
