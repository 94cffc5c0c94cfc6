package io.shmstore.internal.store;

/**
 * Layout of one entry, at the start of its first chunk (8 bytes); it spans
 * {@code ceil((header + key + value) / 8)} contiguous chunks.
 *
 * <pre>
 *  +---------------------------------------------------------------+
 *  | checksum (4): low half of the checksum hash of bytes 4 to end |  0
 *  | key length (2)  | flags (1)    | header length (1)           |  4
 *  | value length (4)                                              |  8
 *  | expires at, epoch ms (8)     (present when flags has EXPIRES) | 12
 *  | written at, epoch ms (8)     (present when flags has WRITTEN) |
 *  | key bytes, then value bytes                                   | header length
 *  +---------------------------------------------------------------+
 * </pre>
 *
 * <p>The header is 12 bytes, plus 8 for each optional field: an entry that never expires carries no
 * expiry, and only stores that evict carry the write time eviction compares. The header length is
 * written out, and a reader checks that it is what the flags say.
 *
 * <p>An entry is written completely before any slot points at it and never changes while a slot does
 * (copy-on-write), so its checksum holds whenever it is reachable; a failing checksum means
 * corruption (or a reader that raced a writer, which the seqlock tells apart).
 */
public final class EntryLayout {
    public static final int CHECKSUM_OFFSET = 0;
    public static final int KEY_LENGTH_OFFSET = 4;
    public static final int FLAGS_OFFSET = 6;
    public static final int HEADER_LENGTH_OFFSET = 7;
    public static final int VALUE_LENGTH_OFFSET = 8;
    /** The first optional field; the checksum covers from here... */
    public static final int OPTIONAL_OFFSET = 12;
    /** ...and from the key length on. */
    public static final int CHECKSUMMED_FROM = 4;

    public static final int FIXED_HEADER = 12;
    /** The entry carries an expiry time. */
    public static final int EXPIRES = 1;
    /** The entry carries its write time. */
    public static final int WRITTEN = 2;
    public static final int KNOWN_FLAGS = EXPIRES | WRITTEN;

    public static final int MAX_KEY_LENGTH = 0xFFFF;

    private EntryLayout() {
    }

    /** The header length the flags call for. */
    public static int headerLength(int flags) {
        return FIXED_HEADER + 8 * Integer.bitCount(flags & KNOWN_FLAGS);
    }

    /** Where the write time is, given the flags (it follows the expiry when both are there). */
    public static int writtenAtOffset(int flags) {
        return OPTIONAL_OFFSET + ((flags & EXPIRES) != 0 ? 8 : 0);
    }

    public static int chunksFor(int headerLength, long keyLength, long valueLength) {
        return (int) ((headerLength + keyLength + valueLength + SegmentLayout.CHUNK - 1) / SegmentLayout.CHUNK);
    }
}
