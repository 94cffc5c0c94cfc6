package io.shmstore.internal.store;

/**
 * Layout of one entry, at the start of its first chunk; it spans {@code ceil((32 + key + value) /
 * chunk size)} contiguous chunks.
 *
 * <pre>
 *  +---------------------------------------------------------------+
 *  | key length (4)               | value length (4)               |  0
 *  | written at, epoch ms (8)                                      |  8
 *  | key hash (8)                                                  | 16
 *  | checksum (8): hash of bytes 0-23, key and value               | 24
 *  | key bytes, then value bytes                                   | 32
 *  +---------------------------------------------------------------+
 * </pre>
 *
 * <p>An entry is written completely before any slot points at it and never changes while a slot does
 * (copy-on-write), so its checksum holds whenever it is reachable; a failing checksum means
 * corruption (or a reader that raced a writer, which the seqlock tells apart).
 */
public final class EntryLayout {
    public static final int KEY_LENGTH_OFFSET = 0;
    public static final int VALUE_LENGTH_OFFSET = 4;
    public static final int WRITTEN_AT_OFFSET = 8;
    public static final int KEY_HASH_OFFSET = 16;
    public static final int CHECKSUM_OFFSET = 24;
    public static final int HEADER_LENGTH = 32;

    private EntryLayout() {
    }

    public static int chunksFor(long keyLength, long valueLength, int chunkSize) {
        return (int) ((HEADER_LENGTH + keyLength + valueLength + chunkSize - 1) / chunkSize);
    }
}
