package io.shmstore.internal.store;

import io.shmstore.internal.sync.SharedAtomics;
import net.openhft.chronicle.core.Memory;
import net.openhft.chronicle.core.OS;

/**
 * A segment's chunk bitmap (1 = used), its used-chunk count and its allocation cursor
 * ({@link SegmentLayout}), touched only with the segment's lock held; readers never look at them.
 * First-fit from a rotating cursor, wrapping once, over the chunks reserved so far (the header's
 * {@code chunks reserved}, which growth raises). Every range it marks is checked against that count,
 * so that even a caller's mistake cannot write past the bitmap.
 */
final class ChunkAllocator {
    private static final Memory MEMORY = OS.memory();

    private final long header;
    private final long bitmap;
    private final long maxChunks;

    /**
     * @param header    address of the segment's header
     * @param bitmap    address of the segment's chunk bitmap
     * @param maxChunks the room the data part has
     */
    ChunkAllocator(long header, long bitmap, long maxChunks) {
        this.header = header;
        this.bitmap = bitmap;
        this.maxChunks = maxChunks;
    }

    /** Chunks reserved now (volatile read); {@link Inconsistent} when beyond the room. */
    int chunks() {
        int chunks = MEMORY.readVolatileInt(header + SegmentLayout.CHUNKS_OFFSET);
        if (chunks < 0 || chunks > maxChunks) {
            throw new Inconsistent("reserved chunks " + chunks + " (at most " + maxChunks + ")");
        }
        return chunks;
    }

    /** Publishes a larger reservation; its pages are reserved already. */
    void setChunks(int chunks) {
        MEMORY.writeOrderedInt(header + SegmentLayout.CHUNKS_OFFSET, chunks);
    }

    int used() {
        return MEMORY.readVolatileInt(header + SegmentLayout.USED_CHUNKS_OFFSET);
    }

    /** Takes the run starting at {@code chunk} (found by {@link #findRun}) and moves the cursor past it. */
    void take(int chunk, int n, int chunks) {
        mark(chunk, n, true, chunks);
        MEMORY.writeInt(header + SegmentLayout.CURSOR_OFFSET, (chunk + n) % chunks);
        addUsed(n);
    }

    /** Gives back a run of a checked entry. */
    void free(int chunk, int n, int chunks) {
        mark(chunk, n, false, chunks);
        addUsed(-n);
    }

    private void addUsed(int delta) {
        MEMORY.writeOrderedInt(header + SegmentLayout.USED_CHUNKS_OFFSET, used() + delta);
    }

    /**
     * The first chunk of a free run of {@code need} chunks among {@code chunks}, or -1, searching from
     * the cursor and wrapping once (a run does not wrap). A bitmap word at a time: the used chunks at
     * the search position are skipped and the free ones counted with one trailing-zero count each, so
     * a search costs a few instructions per run of used or free chunks, not one per chunk.
     */
    int findRun(int need, int chunks) {
        if (chunks <= 0) {
            return -1;
        }
        int c = Math.floorMod(MEMORY.readInt(header + SegmentLayout.CURSOR_OFFSET), chunks);
        int run = 0;
        int start = c;
        long budget = (long) chunks + need;
        for (long scanned = 0; scanned < budget; ) {
            if (c >= chunks) {
                c = 0;
                run = 0;
                start = 0;
            }
            int bit = c & 63;
            long rest = MEMORY.readLong(bitmap + (c >>> 6) * 8L) >>> bit;
            int within = Math.min(64 - bit, chunks - c);
            if ((rest & 1) != 0) {
                int usedHere = Math.min(Long.numberOfTrailingZeros(~rest), within);
                c += usedHere;
                scanned += usedHere;
                run = 0;
                start = c;
            } else {
                int freeHere = Math.min(Long.numberOfTrailingZeros(rest), within);
                if (run + freeHere >= need) {
                    return start;
                }
                run += freeHere;
                c += freeHere;
                scanned += freeHere;
            }
        }
        return -1;
    }

    /** Moves the cursor to {@code chunk}, where the next search starts (the first chunk a growth added). */
    void moveCursor(int chunk) {
        MEMORY.writeInt(header + SegmentLayout.CURSOR_OFFSET, chunk);
    }

    boolean used(int chunk) {
        return (MEMORY.readLong(bitmap + (chunk >>> 6) * 8L) & (1L << chunk)) != 0;
    }

    private void mark(int chunk, int n, boolean used, int chunks) {
        if (chunk < 0 || n < 0 || chunk > chunks - n) {
            throw new Inconsistent("chunks [" + chunk + ", " + chunk + " + " + n + ") are outside the " + chunks
                    + " reserved in the segment");
        }
        for (int c = chunk, end = chunk + n; c < end; ) {
            int bit = c & 63;
            int k = Math.min(64 - bit, end - c);
            long mask = (k == 64 ? -1L : (1L << k) - 1) << bit;
            long w = bitmap + (c >>> 6) * 8L;
            long bits = MEMORY.readLong(w);
            MEMORY.writeLong(w, used ? bits | mask : bits & ~mask);
            c += k;
        }
    }

    /** Marks nothing used: every chunk free, the count zero. */
    void clear(int chunks) {
        SharedAtomics.zero(bitmap, (chunks + 63L) / 64 * 8);
        MEMORY.writeInt(header + SegmentLayout.USED_CHUNKS_OFFSET, 0);
    }

    /** Repairing: marks the run of a validated entry used, without moving the cursor. */
    void claim(int chunk, int n, int chunks) {
        mark(chunk, n, true, chunks);
        addUsed(n);
    }
}
