package io.shmstore.internal.store;

import io.shmstore.internal.sync.SharedAtomics;
import net.openhft.chronicle.core.Memory;
import net.openhft.chronicle.core.OS;

/**
 * A segment's chunk bitmap (1 = used), its used-chunk count and its allocation cursor
 * ({@link SegmentLayout}), touched only with the segment's lock held; readers never look at them.
 * First-fit from a rotating cursor, wrapping once. Every range it marks is checked against the
 * bitmap's size, so that even a caller's mistake cannot write past it.
 */
final class ChunkAllocator {
    private static final Memory MEMORY = OS.memory();

    private final long base;
    private final long bitmap;
    private final int chunks;

    /**
     * @param base   address of the segment's first byte
     * @param bitmap address of the segment's chunk bitmap
     * @param chunks chunks in the segment's data
     */
    ChunkAllocator(long base, long bitmap, int chunks) {
        this.base = base;
        this.bitmap = bitmap;
        this.chunks = chunks;
    }

    int chunks() {
        return chunks;
    }

    int used() {
        return MEMORY.readVolatileInt(base + SegmentLayout.USED_CHUNKS_OFFSET);
    }

    /** Takes the run starting at {@code chunk} (found by {@link #findRun}) and moves the cursor past it. */
    void take(int chunk, int n) {
        mark(chunk, n, true);
        MEMORY.writeInt(base + SegmentLayout.CURSOR_OFFSET, (chunk + n) % chunks);
        addUsed(n);
    }

    /** Gives back a run of a checked entry. */
    void free(int chunk, int n) {
        mark(chunk, n, false);
        addUsed(-n);
    }

    private void addUsed(int delta) {
        MEMORY.writeOrderedInt(base + SegmentLayout.USED_CHUNKS_OFFSET, used() + delta);
    }

    /**
     * The first chunk of a free run of {@code need} chunks, or -1. Whole bitmap words that are full
     * are skipped 64 chunks at a time, so a nearly full segment costs a word read per 64 chunks.
     */
    int findRun(int need) {
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

    boolean used(int chunk) {
        return (MEMORY.readLong(bitmap + (chunk >>> 6) * 8L) & (1L << chunk)) != 0;
    }

    private void mark(int chunk, int n, boolean used) {
        if (chunk < 0 || n < 0 || chunk > chunks - n) {
            throw new Inconsistent("chunks [" + chunk + ", " + chunk + " + " + n + ") are outside the " + chunks
                    + " of the segment");
        }
        for (int c = chunk; c < chunk + n; c++) {
            long w = bitmap + (c >>> 6) * 8L;
            long bits = MEMORY.readLong(w);
            MEMORY.writeLong(w, used ? bits | (1L << c) : bits & ~(1L << c));
        }
    }

    /** Marks nothing used: every chunk free, the count zero. */
    void clear() {
        SharedAtomics.zero(bitmap, SegmentLayout.bitmapLength(chunks));
        MEMORY.writeInt(base + SegmentLayout.USED_CHUNKS_OFFSET, 0);
    }

    /** Repairing: marks the run of a validated entry used, without moving the cursor. */
    void claim(int chunk, int n) {
        mark(chunk, n, true);
        addUsed(n);
    }
}
