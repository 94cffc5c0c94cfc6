package io.shmstore.internal.store;

import io.shmstore.LockTimeoutException;
import io.shmstore.StoreCorruptedException;
import io.shmstore.memory.NamedMutex;
import net.openhft.chronicle.bytes.Bytes;
import net.openhft.chronicle.core.Memory;
import net.openhft.chronicle.core.OS;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * A segment's lock-free read path: reads the seqlock counter and the header line (table word,
 * reserved chunks), follows slots through the {@link EntryValidator}, copies what it finds, and
 * accepts the copy only if the counter did not move and the copy holds its checksum. Readers never
 * write shared memory, so a read-only mapping serves them. An inconsistency is a race if the counter
 * moved (retry), damage if it did not ({@link StoreCorruptedException}).
 */
final class SegmentReader {
    private static final Memory MEMORY = OS.memory();
    /** Seqlock spins before a reader checks whether the writer holding an odd counter is dead. */
    private static final int READ_SPINS = 1 << 14;
    /**
     * Attempts after which a reader gives up: beyond the spins a live writer's odd counter is allowed
     * ({@code READ_SPINS * 64}), and far beyond what writers that publish in a few hundred nanoseconds
     * can cause. Only a counter that keeps changing without a writer (a process writing without the
     * lock, or a file cut under the mapping, which reads back garbage) gets here.
     */
    private static final int MAX_ATTEMPTS = READ_SPINS * 128;

    private final int index;
    private final String store;
    private final SlotTable slots;
    private final ChunkAllocator chunks;
    private final EntryValidator entries;
    private final NamedMutex lock;

    SegmentReader(int index, String store, SlotTable slots, ChunkAllocator chunks, EntryValidator entries,
                  NamedMutex lock) {
        this.index = index;
        this.store = store;
        this.slots = slots;
        this.chunks = chunks;
        this.entries = entries;
        this.lock = lock;
    }

    /**
     * Copies the entry for the key in {@code key} (its bytes, hashed to {@code hash}) into {@code out},
     * consistent under the seqlock and checked, with {@code out}'s read window set to the value bytes.
     *
     * @return true when found and not expired
     */
    boolean read(Bytes<?> key, long hash, Bytes<?> out) {
        long keyAddr = key.addressForRead(0);
        int keyLength = (int) key.writePosition();
        for (int attempt = 0; ; attempt++) {
            giveUpAfter(attempt);
            long s1 = stableSeq(attempt);
            if (s1 < 0) {
                continue;
            }
            int found;
            try {
                long word = slots.word();
                int reserved = chunks.chunks();
                found = slots.find(keyAddr, keyLength, hash, word, reserved);
                if (found >= 0) {
                    copyEntry(found, reserved, out);
                }
            } catch (Inconsistent e) {
                raceOrCorruption(s1, e);
                continue;
            }
            if (!slots.unchangedSince(s1)) {
                continue;
            }
            if (found < 0) {
                return false;
            }
            if (!copyHoldsChecksum(out)) {
                throw corrupted("entry at chunk " + found + " fails its checksum");
            }
            return !expired(out) && windowOnValue(out);
        }
    }

    /**
     * Copies every live, unexpired entry of the segment, consistently, into {@code sink} (for
     * iteration); the sink sees each copy through {@code scratch}'s read window on the whole entry.
     */
    void snapshot(Bytes<?> scratch, Consumer<Bytes<?>> sink) {
        for (int attempt = 0; ; attempt++) {
            giveUpAfter(attempt);
            long s1 = stableSeq(attempt);
            if (s1 < 0) {
                continue;
            }
            List<byte[]> copies = new ArrayList<>();
            List<Integer> at = new ArrayList<>();
            try {
                long word = slots.word();
                int reserved = chunks.chunks();
                long table = slots.table(word);
                for (int i = 0; i < SegmentLayout.slotsOf(word); i++) {
                    long slot = SlotTable.slot(table, i);
                    if (SegmentLayout.isLive(slot)) {
                        int chunk = entries.chunk(slot, reserved);
                        copyEntry(chunk, reserved, scratch);
                        byte[] b = new byte[(int) scratch.writePosition()];
                        scratch.read(0, b, 0, b.length);
                        copies.add(b);
                        at.add(chunk);
                    }
                }
            } catch (Inconsistent e) {
                raceOrCorruption(s1, e);
                continue;
            }
            if (!slots.unchangedSince(s1)) {
                continue;
            }
            for (int c = 0; c < copies.size(); c++) {
                byte[] b = copies.get(c);
                scratch.clear();
                scratch.write(b);
                if (!copyHoldsChecksum(scratch)) {
                    throw corrupted("entry at chunk " + at.get(c) + " fails its checksum");
                }
                if (!expired(scratch)) {
                    scratch.readPositionRemaining(0, b.length);
                    sink.accept(scratch);
                }
            }
            return;
        }
    }

    private void giveUpAfter(int attempt) {
        if (attempt > MAX_ATTEMPTS) {
            throw corrupted("its seqlock counter changed under this reader " + attempt + " times in a row: a process"
                    + " writes to it without its lock, or its file was cut under the mapping");
        }
    }

    /** The seqlock counter to read under, or -1 (after a spin) while a live writer is publishing. */
    private long stableSeq(int attempt) {
        long s1 = slots.sequence();
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

    /** An inconsistency is a race if a writer moved the counter (retry), else corruption (throw). */
    private void raceOrCorruption(long s1, Inconsistent e) {
        if (slots.sequence() == s1) {
            throw corrupted(e.getMessage());
        }
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
            throw new LockTimeoutException("segment " + index + " of store \"" + store
                    + "\" stayed mid-write for too long; its writer is process " + owner, owner);
        }
        return false;
    }

    /** Copies the entry at a checked chunk into {@code out}: exactly the bytes its checked shape covers. */
    void copyEntry(int chunk, int reserved, Bytes<?> out) {
        long total = EntryValidator.total(entries.shape(chunk, reserved));
        out.clear();
        out.ensureCapacity(total);
        MEMORY.copyMemory(entries.address(chunk), out.addressForWrite(0), total);
        out.writePosition(total);
    }

    /** A copy's own shape agrees with its size, and it holds its checksum. */
    static boolean copyHoldsChecksum(Bytes<?> copy) {
        long a = copy.addressForRead(0);
        long size = copy.writePosition();
        if (size < EntryLayout.FIXED_HEADER) {
            return false;
        }
        long shape = shapeOf(a);
        int flags = EntryValidator.flags(shape);
        return (flags & ~EntryLayout.KNOWN_FLAGS) == 0 && EntryValidator.headerLength(shape) == EntryLayout.headerLength(flags)
                && EntryValidator.valueLength(shape) >= 0 && EntryValidator.total(shape) == size
                && EntryValidator.checksumHolds(a, shape);
    }

    /** The shape of an entry at {@code a} (a copy whose size was checked), as the validator packs it. */
    static long shapeOf(long a) {
        return (long) MEMORY.readInt(a + EntryLayout.KEY_LENGTH_OFFSET) << 32
                | (MEMORY.readInt(a + EntryLayout.VALUE_LENGTH_OFFSET) & 0xFFFF_FFFFL);
    }

    /** An expired copy: one with an expiry that has passed. The clock is read only for such entries. */
    static boolean expired(Bytes<?> copy) {
        long a = copy.addressForRead(0);
        long expiresAt = EntryValidator.expiresAt(a, shapeOf(a));
        return expiresAt != Long.MAX_VALUE && System.currentTimeMillis() >= expiresAt;
    }

    static boolean windowOnValue(Bytes<?> copy) {
        long shape = shapeOf(copy.addressForRead(0));
        copy.readPositionRemaining(EntryValidator.headerLength(shape) + (long) EntryValidator.keyLength(shape),
                EntryValidator.valueLength(shape));
        return true;
    }

    private StoreCorruptedException corrupted(String what) {
        return new StoreCorruptedException("store \"" + store + "\", segment " + index + ": " + what);
    }
}
