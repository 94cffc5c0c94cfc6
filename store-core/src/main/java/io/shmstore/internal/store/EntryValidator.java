package io.shmstore.internal.store;

import net.openhft.chronicle.core.Memory;
import net.openhft.chronicle.core.OS;

/**
 * The one way to turn a slot into an entry. Every path that follows a slot — lock-free reads, locked
 * writes, eviction, expiry, rehash, recovery, verify, iteration — takes the chunk number through
 * {@link #chunk} and the lengths through {@link #lengths}, and uses no other number read from shared
 * memory as an address or a length. The lengths are read once and returned checked: a caller that read
 * them again could see other values (a lock-free reader racing a writer, or a hostile process) and
 * overrun the data.
 *
 * <p>A chunk is checked to lie in the segment's data; lengths are checked to be non-negative and to
 * fit, with the entry header, between the chunk and the end of the data. So the address, the total
 * length and the chunks an entry spans, all derived from the checked values, stay inside the segment,
 * and a bitmap range built from them stays inside the bitmap. Failures throw {@link Inconsistent}.
 */
final class EntryValidator {
    private static final Memory MEMORY = OS.memory();
    private static final long CHECKSUM_SEED = 0x5348_4D53_544F_5245L;

    private final long data;
    private final int chunks;
    private final int chunkSize;

    /**
     * @param data      address of the segment's first data chunk
     * @param chunks    chunks in the segment's data
     * @param chunkSize bytes per chunk, at least {@link EntryLayout#HEADER_LENGTH}
     */
    EntryValidator(long data, int chunks, int chunkSize) {
        this.data = data;
        this.chunks = chunks;
        this.chunkSize = chunkSize;
    }

    /** The first chunk of a live slot's entry, checked to lie in the data. */
    int chunk(long slot) {
        int chunk = SegmentLayout.chunkOf(slot);
        if (chunk < 0 || chunk >= chunks) {
            throw new Inconsistent("slot points at chunk " + chunk + " of " + chunks);
        }
        return chunk;
    }

    /** Address of a checked chunk. Its whole entry header is inside the data (a chunk holds one). */
    long address(int chunk) {
        return data + (long) chunk * chunkSize;
    }

    /**
     * The key and value lengths of the entry at a checked chunk, read once and checked to fit between
     * the chunk and the end of the data; packed, read them back with {@link #keyLength} and
     * {@link #valueLength}.
     */
    long lengths(int chunk) {
        long e = address(chunk);
        int keyLength = MEMORY.readInt(e + EntryLayout.KEY_LENGTH_OFFSET);
        int valueLength = MEMORY.readInt(e + EntryLayout.VALUE_LENGTH_OFFSET);
        long room = (long) (chunks - chunk) * chunkSize;
        if (keyLength < 0 || valueLength < 0 || EntryLayout.HEADER_LENGTH + (long) keyLength + valueLength > room) {
            throw new Inconsistent("entry at chunk " + chunk + " claims key " + keyLength + " and value " + valueLength
                    + " bytes; " + room + " bytes remain in the segment");
        }
        return (long) keyLength << 32 | (valueLength & 0xFFFF_FFFFL);
    }

    static int keyLength(long lengths) {
        return (int) (lengths >>> 32);
    }

    static int valueLength(long lengths) {
        return (int) lengths;
    }

    /** Bytes of the entry, header included. */
    static long total(long lengths) {
        return EntryLayout.HEADER_LENGTH + (long) keyLength(lengths) + valueLength(lengths);
    }

    /** Chunks the entry spans; with its checked chunk, never past the end of the data. */
    int chunksSpanned(long lengths) {
        return EntryLayout.chunksFor(keyLength(lengths), valueLength(lengths), chunkSize);
    }

    /**
     * True when the entry at {@code entry} (in the mapping with the lock held, or a consistent copy)
     * holds its checksum, given its checked lengths.
     */
    static boolean checksumHolds(long entry, long lengths) {
        return checksum(entry, keyLength(lengths), valueLength(lengths))
                == MEMORY.readLong(entry + EntryLayout.CHECKSUM_OFFSET);
    }

    /** The entry checksum (FORMAT.md): the header's first 24 bytes, then the key and value bytes. */
    static long checksum(long entry, int keyLength, int valueLength) {
        long h = Hashing.hash(CHECKSUM_SEED, entry, EntryLayout.CHECKSUM_OFFSET);
        return Hashing.hash(h, entry + EntryLayout.HEADER_LENGTH, (long) keyLength + valueLength);
    }
}
