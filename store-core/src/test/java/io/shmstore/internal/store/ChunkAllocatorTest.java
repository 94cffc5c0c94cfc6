package io.shmstore.internal.store;

import net.openhft.chronicle.core.Memory;
import net.openhft.chronicle.core.OS;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.BitSet;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The word-at-a-time bitmap search and marking against a chunk-at-a-time model of the same first fit
 * (from the cursor, wrapping once, no run across the end), over random bitmaps of every density, run
 * lengths and sizes that end inside a word.
 */
class ChunkAllocatorTest {
    private static final Memory MEMORY = OS.memory();
    private static final int MAX_CHUNKS = 4096;
    private static final long BITMAP_BYTES = MAX_CHUNKS / 8;

    private long header;
    private long bitmap;
    private ChunkAllocator allocator;

    @BeforeEach
    void allocate() {
        header = MEMORY.allocate(SegmentLayout.HEADER_LENGTH);
        bitmap = MEMORY.allocate(BITMAP_BYTES);
        MEMORY.setMemory(header, SegmentLayout.HEADER_LENGTH, (byte) 0);
        MEMORY.setMemory(bitmap, BITMAP_BYTES, (byte) 0);
        allocator = new ChunkAllocator(header, bitmap, MAX_CHUNKS);
    }

    @AfterEach
    void free() {
        MEMORY.freeMemory(header, SegmentLayout.HEADER_LENGTH);
        MEMORY.freeMemory(bitmap, BITMAP_BYTES);
    }

    @Test
    void findsTheRunTheChunkAtATimeFirstFitFinds() {
        SplittableRandom random = new SplittableRandom(20261129);
        int found = 0;
        int none = 0;
        for (int round = 0; round < 20_000; round++) {
            int chunks = 1 + random.nextInt(random.nextBoolean() ? 200 : MAX_CHUNKS);
            BitSet used = randomBitmap(random, chunks);
            write(used);
            int cursor = random.nextInt(chunks + 70);
            MEMORY.writeInt(header + SegmentLayout.CURSOR_OFFSET, cursor);
            int need = 1 + random.nextInt(random.nextBoolean() ? 20 : 140);
            int expected = model(used, chunks, cursor, need);
            int actual = allocator.findRun(need, chunks);
            assertThat(actual).as("round %d: %d chunks, cursor %d, need %d, used %s", round, chunks, cursor, need, used)
                    .isEqualTo(expected);
            if (actual >= 0) {
                assertThat(used.get(actual, actual + need).isEmpty()).isTrue();
                assertThat(actual + need).isLessThanOrEqualTo(chunks);
                found++;
            } else {
                none++;
            }
        }
        assertThat(found).as("searches that found a run").isGreaterThan(2_000);
        assertThat(none).as("searches that found none").isGreaterThan(2_000);
    }

    @Test
    void takesAndFreesExactlyTheRunAcrossWords() {
        SplittableRandom random = new SplittableRandom(7);
        int chunks = MAX_CHUNKS;
        BitSet model = new BitSet();
        for (int round = 0; round < 5_000; round++) {
            int n = 1 + random.nextInt(200);
            int at = random.nextInt(chunks - n + 1);
            boolean take = model.get(at, at + n).isEmpty();
            if (take) {
                allocator.take(at, n, chunks);
                model.set(at, at + n);
                assertThat(MEMORY.readInt(header + SegmentLayout.CURSOR_OFFSET)).isEqualTo((at + n) % chunks);
            } else if (model.get(at, at + n).cardinality() == n) {
                allocator.free(at, n, chunks);
                model.clear(at, at + n);
            } else {
                continue;
            }
            assertThat(read(chunks)).as("round %d", round).isEqualTo(model);
            assertThat(allocator.used()).isEqualTo(model.cardinality());
        }
        assertThatThrownBy(() -> allocator.take(chunks - 3, 4, chunks)).isInstanceOf(Inconsistent.class)
                .hasMessageContaining("outside the " + chunks);
        assertThat(read(chunks)).isEqualTo(model);
    }

    /** Runs of used and free chunks of random lengths, at a random density. */
    private static BitSet randomBitmap(SplittableRandom random, int chunks) {
        BitSet used = new BitSet(chunks);
        double density = random.nextDouble();
        int c = 0;
        while (c < chunks) {
            int length = 1 + random.nextInt(random.nextBoolean() ? 8 : 150);
            if (random.nextDouble() < density) {
                used.set(c, Math.min(chunks, c + length));
            }
            c += length;
        }
        return used;
    }

    /** The search as a chunk-at-a-time scan: the run completed first, from the cursor, wrapping once. */
    private static int model(BitSet used, int chunks, int cursor, int need) {
        int c = Math.floorMod(cursor, chunks);
        int run = 0;
        int start = c;
        for (long scanned = 0; scanned < (long) chunks + need; scanned++, c++) {
            if (c >= chunks) {
                c = 0;
                run = 0;
                start = 0;
            }
            if (used.get(c)) {
                run = 0;
                start = c + 1;
            } else if (++run == need) {
                return start;
            }
        }
        return -1;
    }

    private void write(BitSet used) {
        MEMORY.setMemory(bitmap, BITMAP_BYTES, (byte) 0);
        long[] words = used.toLongArray();
        for (int i = 0; i < words.length; i++) {
            MEMORY.writeLong(bitmap + i * 8L, words[i]);
        }
    }

    private BitSet read(int chunks) {
        long[] words = new long[(chunks + 63) / 64];
        for (int i = 0; i < words.length; i++) {
            words[i] = MEMORY.readLong(bitmap + i * 8L);
        }
        return BitSet.valueOf(words);
    }
}
