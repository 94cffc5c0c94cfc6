package io.shmstore.internal.store;

import net.openhft.chronicle.core.Memory;
import net.openhft.chronicle.core.OS;

/**
 * The one way to turn a slot into an entry. Every path that follows a slot — lock-free reads, locked
 * writes, eviction, expiry, rehash, recovery, verify, iteration — takes the chunk number through
 * {@link #chunk} and the entry's shape (header length, flags, key and value lengths) through
 * {@link #shape}, and uses no other number read from shared memory as an address or a length. The
 * shape is read once and returned checked: a caller that read it again could see other values (a
 * lock-free reader racing a writer, or a hostile process) and overrun the data.
 *
 * <p>A chunk is checked to lie below the segment's reserved chunks ({@code chunks}, read by the caller
 * with the slot table, so that the two agree); the shape is checked to name only known flags, a header
 * length that matches them, and a total that fits between the chunk and the end of the reserved data.
 * So the address, the total length and the chunks an entry spans, all derived from checked values,
 * stay inside the segment, and a bitmap range built from them stays inside the bitmap. Failures throw
 * {@link Inconsistent}.
 */
final class EntryValidator {
    private static final Memory MEMORY = OS.memory();

    /** A cache line, the unit {@link #loadAhead} loads. */
    private static final int LINE = 64;
    /** Bytes past an entry's start that {@link #loadAhead} loads at most (8 lines). */
    static final int MAX_AHEAD = 8 * LINE;

    private final long data;
    private final int ahead;

    /**
     * @param data  address of the segment's first data chunk
     * @param ahead bytes from an entry's start that {@link #loadAhead} covers: the store's average
     *              entry, at most {@link #MAX_AHEAD}
     */
    EntryValidator(long data, int ahead) {
        this.data = data;
        this.ahead = Math.max(0, Math.min(ahead, MAX_AHEAD));
    }

    /**
     * The store's average entry in bytes, as {@link #loadAhead} takes it: the largest header (every
     * optional field), the average key and value.
     */
    static int averageEntry(int averageKeySize, int averageValueSize) {
        long bytes = (long) EntryLayout.headerLength(EntryLayout.KNOWN_FLAGS) + averageKeySize + averageValueSize;
        return (int) Math.min(bytes, MAX_AHEAD);
    }

    /**
     * Loads one word of each cache line after the first that an average entry at a checked chunk
     * spans, before anything depends on them. A caller about to read the entry (its header first, then
     * the key, the value) calls this first: the lines' misses then run side by side with the header's
     * instead of one after another when the copy reaches them. The loads stay inside the reserved
     * data and change nothing (FORMAT.md has no part in it). Their value feeds a branch right after
     * them, in practice never taken, so the compiler neither drops nor sinks them; the processor
     * predicts the branch and goes on while the lines arrive.
     */
    void loadAhead(int chunk, int chunks) {
        long e = address(chunk);
        long end = Math.min(e + ahead, data + (long) chunks * SegmentLayout.CHUNK);
        long folded = 0;
        for (long line = (e & -LINE) + LINE; line + Long.BYTES <= end; line += LINE) {
            folded ^= MEMORY.readLong(line);
        }
        if (folded == 0x5EED_0A7E_AD10_ADE5L) {
            Thread.onSpinWait();
        }
    }

    /** The first chunk of a live slot's entry, checked to lie below {@code chunks}. */
    int chunk(long slot, int chunks) {
        int chunk = SegmentLayout.chunkOf(slot);
        if (chunk < 0 || chunk >= chunks) {
            throw new Inconsistent("slot points at chunk " + chunk + " of " + chunks);
        }
        return chunk;
    }

    /** Address of a checked chunk; the entry's fixed header is inside the data (two chunks at least). */
    long address(int chunk) {
        return data + (long) chunk * SegmentLayout.CHUNK;
    }

    /**
     * The shape of the entry at a checked chunk, read once and checked (see the class comment);
     * packed, read it back with the static accessors.
     */
    long shape(int chunk, int chunks) {
        long e = address(chunk);
        long room = (long) (chunks - chunk) * SegmentLayout.CHUNK;
        if (room < EntryLayout.FIXED_HEADER) {
            throw new Inconsistent("entry at chunk " + chunk + " of " + chunks + " has no room for its header");
        }
        int word = MEMORY.readInt(e + EntryLayout.KEY_LENGTH_OFFSET);
        int valueLength = MEMORY.readInt(e + EntryLayout.VALUE_LENGTH_OFFSET);
        int keyLength = word & 0xFFFF;
        int flags = (word >>> 16) & 0xFF;
        int headerLength = word >>> 24;
        if ((flags & ~EntryLayout.KNOWN_FLAGS) != 0 || headerLength != EntryLayout.headerLength(flags)) {
            throw new Inconsistent("entry at chunk " + chunk + " has flags " + flags + " and header length " + headerLength);
        }
        if (valueLength < 0 || (long) headerLength + keyLength + valueLength > room) {
            throw new Inconsistent("entry at chunk " + chunk + " claims key " + keyLength + " and value " + valueLength
                    + " bytes; " + room + " bytes remain in the segment");
        }
        return (long) word << 32 | (valueLength & 0xFFFF_FFFFL);
    }

    static int keyLength(long shape) {
        return (int) (shape >>> 32) & 0xFFFF;
    }

    static int flags(long shape) {
        return (int) (shape >>> 48) & 0xFF;
    }

    static int headerLength(long shape) {
        return (int) (shape >>> 56) & 0xFF;
    }

    static int valueLength(long shape) {
        return (int) shape;
    }

    /** Bytes of the entry, header included. */
    static long total(long shape) {
        return (long) headerLength(shape) + keyLength(shape) + valueLength(shape);
    }

    /** Chunks the entry spans; with its checked chunk, never past the reserved data. */
    static int chunksSpanned(long shape) {
        return EntryLayout.chunksFor(headerLength(shape), keyLength(shape), valueLength(shape));
    }

    /** When a live slot's entry expires (epoch ms), or {@link Long#MAX_VALUE} when never; checked. */
    long expiresAtOf(long slot, int chunks) {
        int chunk = chunk(slot, chunks);
        return expiresAt(address(chunk), shape(chunk, chunks));
    }

    /** When a live slot's entry was written (epoch ms), or 0 when it does not say; checked. */
    long writtenAtOf(long slot, int chunks) {
        int chunk = chunk(slot, chunks);
        return writtenAt(address(chunk), shape(chunk, chunks));
    }

    /** When the entry at {@code entry} expires (epoch ms), or {@link Long#MAX_VALUE} when never. */
    static long expiresAt(long entry, long shape) {
        return (flags(shape) & EntryLayout.EXPIRES) != 0
                ? MEMORY.readLong(entry + EntryLayout.OPTIONAL_OFFSET) : Long.MAX_VALUE;
    }

    /** When the entry was written (epoch ms), or 0 when it does not say (a store that does not evict). */
    static long writtenAt(long entry, long shape) {
        int flags = flags(shape);
        return (flags & EntryLayout.WRITTEN) != 0 ? MEMORY.readLong(entry + EntryLayout.writtenAtOffset(flags)) : 0;
    }

    /** True when the entry at {@code entry} (in the mapping or a consistent copy) holds its checksum. */
    static boolean checksumHolds(long entry, long shape) {
        return checksum(entry, total(shape)) == MEMORY.readInt(entry + EntryLayout.CHECKSUM_OFFSET);
    }

    /** The checksum of an entry of {@code total} bytes: its bytes after the checksum field. */
    static int checksum(long entry, long total) {
        return Hashing.checksum(entry + EntryLayout.CHECKSUMMED_FROM, total - EntryLayout.CHECKSUMMED_FROM);
    }
}
