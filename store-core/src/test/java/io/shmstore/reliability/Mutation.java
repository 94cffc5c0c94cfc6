package io.shmstore.reliability;

import io.shmstore.reliability.CorruptionCorpus.Field;
import io.shmstore.reliability.CorruptionCorpus.LiveSlot;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Random;

/**
 * One change to a copy of a store's file, for {@link CorruptionFuzzTest}; its {@code toString()} is
 * what a failing case reports, so it names the field and the value.
 */
sealed interface Mutation permits Mutation.Flip, Mutation.Zero, Mutation.SetField, Mutation.SlotChunk, Mutation.Scribble,
        Mutation.DeadOwner, Mutation.Truncate, Mutation.TruncateWhileOpen {
    void apply(RandomAccessFile f) throws IOException;

    /** XOR {@code mask} into the byte at {@code offset} (modulo the file's length). */
    record Flip(long offset, int mask) implements Mutation {
        public void apply(RandomAccessFile f) throws IOException {
            if (f.length() == 0) {
                return;
            }
            long at = Math.floorMod(offset, f.length());
            f.seek(at);
            int b = f.read();
            f.seek(at);
            f.write(b ^ mask);
        }
    }

    /** Zero {@code length} bytes from {@code offset} (modulo the file's length). */
    record Zero(long offset, int length) implements Mutation {
        public void apply(RandomAccessFile f) throws IOException {
            if (f.length() == 0) {
                return;
            }
            long at = Math.floorMod(offset, f.length());
            f.seek(at);
            f.write(new byte[(int) Math.min(length, f.length() - at)]);
        }
    }

    /** Set a known field to {@code value}. */
    record SetField(Field field, long value) implements Mutation {
        public void apply(RandomAccessFile f) throws IOException {
            write(f, field.offset(), field.size(), value);
        }

        @Override
        public String toString() {
            return field + " := " + value + (value < -9 || value > 9 ? " (0x" + Long.toHexString(value) + ")" : "");
        }
    }

    /** Point a live slot at {@code chunk}, keeping its tag (the slot holds {@code chunk + 1}). */
    record SlotChunk(LiveSlot slot, int chunk) implements Mutation {
        public void apply(RandomAccessFile f) throws IOException {
            write(f, slot.offset(), 4, chunk + 1L);
        }

        @Override
        public String toString() {
            return slot.what() + " chunk := " + chunk + " (0x" + Integer.toHexString(chunk) + ")";
        }
    }

    /** Overwrite {@code length} bytes from {@code offset} with random bytes drawn from {@code seed}. */
    record Scribble(long offset, int length, long seed) implements Mutation {
        public void apply(RandomAccessFile f) throws IOException {
            byte[] bytes = new byte[length];
            new Random(seed).nextBytes(bytes);
            if (offset + length <= f.length()) {
                f.seek(offset);
                f.write(bytes);
            }
        }
    }

    /**
     * What a writer killed while holding a segment's lock leaves: the lock names a dead process
     * (a pid above any pid_max), and with {@code odd} the seqlock is mid-publish. The next writer
     * takes the lock over as abandoned and repairs the segment.
     */
    record DeadOwner(Field lock, Field seq, long seqValue, boolean odd) implements Mutation {
        public void apply(RandomAccessFile f) throws IOException {
            write(f, lock.offset(), 8, (12345L << 32) | (Integer.MAX_VALUE - 1));
            if (odd) {
                write(f, seq.offset(), 8, seqValue | 1);
            }
        }

        @Override
        public String toString() {
            return lock + " := a dead process" + (odd ? ", " + seq + " odd" : "");
        }
    }

    /** Cut the file to {@code permille} thousandths of its length. */
    record Truncate(int permille) implements Mutation {
        public void apply(RandomAccessFile f) throws IOException {
            f.setLength(f.length() * permille / 1000);
        }
    }

    /**
     * Cut the file to {@code length} bytes after the child has opened it, after {@code warmUp} rounds
     * of put, get and poll (to have the store's code compiled first). Done by the child.
     */
    record TruncateWhileOpen(long length, int warmUp) implements Mutation {
        public void apply(RandomAccessFile f) {
            // done by the child, once the store is open
        }
    }

    /** Writes the low {@code size} bytes of {@code value} at {@code offset}, if the file is that long. */
    private static void write(RandomAccessFile f, long offset, int size, long value) throws IOException {
        if (offset + size > f.length()) {
            return;
        }
        ByteBuffer b = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(value);
        f.seek(offset);
        f.write(b.array(), 0, size);
    }
}
