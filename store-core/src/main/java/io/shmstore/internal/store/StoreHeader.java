package io.shmstore.internal.store;

import io.shmstore.FullPolicy;
import io.shmstore.IncompatibleFormatException;
import io.shmstore.IncompatibleStoreException;
import io.shmstore.StoreCorruptedException;
import net.openhft.chronicle.core.Memory;
import net.openhft.chronicle.core.OS;

import java.nio.charset.StandardCharsets;

/** Writes a store header ({@link StoreLayout}) and reads one back, trusting nothing it reads. */
final class StoreHeader {
    private static final Memory MEMORY = OS.memory();
    private static final long FINGERPRINT_SEED = 0x6669_6E67_6572_7072L;

    private StoreHeader() {
    }

    /**
     * Writes the header, the segment headers and each segment's empty table into fresh, zeroed, still
     * unpublished memory, reserving what the segments start with; magic last.
     */
    static void write(long a, StoreConfig c, String keyDescription, String valueDescription, String metadata,
                      SegmentSpace space) {
        MEMORY.writeInt(a + StoreLayout.VERSION_OFFSET, StoreLayout.VERSION);
        MEMORY.writeInt(a + StoreLayout.HEADER_LENGTH_OFFSET, StoreLayout.HEADER_LENGTH);
        MEMORY.writeInt(a + StoreLayout.SEGMENTS_OFFSET, c.segments());
        MEMORY.writeInt(a + StoreLayout.INITIAL_SLOTS_OFFSET, c.initialSlots());
        MEMORY.writeInt(a + StoreLayout.MAX_SLOTS_OFFSET, c.maxSlots());
        MEMORY.writeInt(a + StoreLayout.INITIAL_CHUNKS_OFFSET, c.initialChunks());
        MEMORY.writeLong(a + StoreLayout.ENTRIES_OFFSET, c.entries());
        MEMORY.writeInt(a + StoreLayout.AVG_KEY_OFFSET, c.averageKeySize());
        MEMORY.writeInt(a + StoreLayout.AVG_VALUE_OFFSET, c.averageValueSize());
        MEMORY.writeInt(a + StoreLayout.FULL_POLICY_OFFSET, c.fullPolicy().ordinal());
        MEMORY.writeInt(a + StoreLayout.MAX_CHUNKS_OFFSET, c.maxChunks());
        MEMORY.writeLong(a + StoreLayout.TTL_MILLIS_OFFSET, c.ttlMillis());
        MEMORY.writeLong(a + StoreLayout.KEY_FINGERPRINT_OFFSET, fingerprint(keyDescription));
        MEMORY.writeLong(a + StoreLayout.VALUE_FINGERPRINT_OFFSET, fingerprint(valueDescription));
        MEMORY.writeLong(a + StoreLayout.SEGMENT_HEADERS_OFFSET, c.segmentHeaders());
        MEMORY.writeLong(a + StoreLayout.HEAP_OFFSET, c.heapOffset());
        MEMORY.writeLong(a + StoreLayout.STORE_LENGTH_OFFSET, c.length());
        MEMORY.writeLong(a + StoreLayout.CREATED_AT_OFFSET, System.currentTimeMillis());
        MEMORY.writeLong(a + StoreLayout.MAX_RESERVED_OFFSET, c.maxReserved());
        MEMORY.writeLong(a + StoreLayout.SEGMENT_STRIDE_OFFSET, c.stride());
        MEMORY.writeInt(a + FeedLayout.CAPACITY_FIELD, c.feedCapacity());
        MEMORY.writeInt(a + FeedLayout.RECORD_SIZE_FIELD, c.recordSize());
        MEMORY.writeLong(a + FeedLayout.FEED_OFFSET_FIELD, c.feedOffset());
        MEMORY.writeLong(a + StoreLayout.MAX_ENTRIES_OFFSET, c.maxEntries());
        writeText(a + StoreLayout.KEY_DESCRIPTION_OFFSET, keyDescription, StoreLayout.DESCRIPTION_CAPACITY);
        writeText(a + StoreLayout.VALUE_DESCRIPTION_OFFSET, valueDescription, StoreLayout.DESCRIPTION_CAPACITY);
        if (metadata != null) {
            writeText(a + StoreLayout.METADATA_OFFSET, metadata, StoreLayout.METADATA_CAPACITY);
        }
        for (int s = 0; s < c.segments(); s++) {
            long header = a + StoreLayout.segmentHeaderOffset(c.segmentHeaders(), s);
            long range = StoreLayout.segmentOffset(c.heapOffset(), c.stride(), s);
            Segment.initialize(header, c, range, space);
        }
        MEMORY.writeOrderedLong(a + StoreLayout.MAGIC_OFFSET, StoreLayout.MAGIC);
    }

    /**
     * Reads and checks the header of a mapping of {@code mapped} bytes.
     *
     * @throws IncompatibleStoreException when it is not a store, or of another format version
     * @throws StoreCorruptedException    when a field is out of its bounds or contradicts another
     */
    static StoreConfig read(long a, long mapped, String name) {
        String who = "\"" + name + "\"";
        if (mapped < StoreLayout.HEADER_LENGTH) {
            throw new IncompatibleStoreException(who + " is not a store: its mapping has " + mapped + " bytes, less than a header");
        }
        long magic = MEMORY.readVolatileLong(a + StoreLayout.MAGIC_OFFSET);
        if (magic != StoreLayout.MAGIC) {
            throw new IncompatibleStoreException(who + " is not a store (or was never finished): it starts with "
                    + Long.toHexString(magic) + ", expected the magic \"SHMSTORE\"");
        }
        int version = MEMORY.readInt(a + StoreLayout.VERSION_OFFSET);
        if (version != StoreLayout.VERSION) {
            throw new IncompatibleFormatException(who + " has store format version " + version
                    + "; this ShmStore reads version " + StoreLayout.VERSION, version, StoreLayout.VERSION);
        }
        int headerLength = MEMORY.readInt(a + StoreLayout.HEADER_LENGTH_OFFSET);
        int segments = MEMORY.readInt(a + StoreLayout.SEGMENTS_OFFSET);
        int slots = MEMORY.readInt(a + StoreLayout.INITIAL_SLOTS_OFFSET);
        int maxSlots = MEMORY.readInt(a + StoreLayout.MAX_SLOTS_OFFSET);
        int chunks = MEMORY.readInt(a + StoreLayout.INITIAL_CHUNKS_OFFSET);
        int maxChunks = MEMORY.readInt(a + StoreLayout.MAX_CHUNKS_OFFSET);
        long entries = MEMORY.readLong(a + StoreLayout.ENTRIES_OFFSET);
        long maxEntries = MEMORY.readLong(a + StoreLayout.MAX_ENTRIES_OFFSET);
        int policy = MEMORY.readInt(a + StoreLayout.FULL_POLICY_OFFSET);
        long ttl = MEMORY.readLong(a + StoreLayout.TTL_MILLIS_OFFSET);
        long maxReserved = MEMORY.readLong(a + StoreLayout.MAX_RESERVED_OFFSET);
        require(headerLength == StoreLayout.HEADER_LENGTH, who, "header length", headerLength);
        require(pow2(segments) && segments <= StoreLayout.MAX_SEGMENTS, who, "segments", segments);
        require(maxSlots >= StoreLayout.MIN_SLOTS && maxSlots <= StoreLayout.MAX_SLOTS, who, "maximum slots per table", maxSlots);
        require(slots >= StoreLayout.MIN_SLOTS && slots <= maxSlots, who, "initial slots per table", slots);
        require(maxChunks > 1 && maxChunks <= StoreLayout.MAX_CHUNKS, who, "maximum chunks per segment", maxChunks);
        require(chunks > 1 && chunks <= maxChunks, who, "initial chunks per segment", chunks);
        require(entries >= 0 && maxEntries >= entries, who, "maximum entries", maxEntries);
        require(policy >= 0 && policy < FullPolicy.values().length, who, "full policy", policy);
        require(ttl >= 0, who, "expiry", ttl);
        require(maxReserved > 0, who, "maximum reserved bytes", maxReserved);
        int feedCapacity = MEMORY.readInt(a + FeedLayout.CAPACITY_FIELD);
        int recordSize = MEMORY.readInt(a + FeedLayout.RECORD_SIZE_FIELD);
        require(pow2(feedCapacity) && feedCapacity >= FeedLayout.MIN_CAPACITY && feedCapacity <= FeedLayout.MAX_CAPACITY,
                who, "change feed capacity", feedCapacity);
        require(pow2(recordSize) && recordSize >= FeedLayout.MIN_RECORD && recordSize <= FeedLayout.MAX_RECORD, who,
                "change record size", recordSize);
        StoreConfig c = new StoreConfig(name, segments, slots, maxSlots, chunks, maxChunks, entries, maxEntries,
                MEMORY.readInt(a + StoreLayout.AVG_KEY_OFFSET), MEMORY.readInt(a + StoreLayout.AVG_VALUE_OFFSET),
                FullPolicy.values()[policy], ttl, maxReserved, feedCapacity, recordSize);
        require(MEMORY.readLong(a + StoreLayout.SEGMENT_HEADERS_OFFSET) == c.segmentHeaders(), who, "segment headers offset",
                MEMORY.readLong(a + StoreLayout.SEGMENT_HEADERS_OFFSET));
        require(MEMORY.readLong(a + FeedLayout.FEED_OFFSET_FIELD) == c.feedOffset(), who, "change feed offset",
                MEMORY.readLong(a + FeedLayout.FEED_OFFSET_FIELD));
        require(MEMORY.readLong(a + StoreLayout.HEAP_OFFSET) == c.heapOffset(), who, "heap offset",
                MEMORY.readLong(a + StoreLayout.HEAP_OFFSET));
        require(MEMORY.readLong(a + StoreLayout.SEGMENT_STRIDE_OFFSET) == c.stride(), who, "segment stride",
                MEMORY.readLong(a + StoreLayout.SEGMENT_STRIDE_OFFSET));
        long length = c.length();
        if (length > mapped || length < 0 || MEMORY.readLong(a + StoreLayout.STORE_LENGTH_OFFSET) != length) {
            throw new StoreCorruptedException(who + " claims " + MEMORY.readLong(a + StoreLayout.STORE_LENGTH_OFFSET)
                    + " bytes of segments and change feed (its geometry makes " + length + ") but its mapping has "
                    + mapped + " bytes");
        }
        return c;
    }

    /** Fails when the stored key or value type and codec differ from the caller's, naming both sides. */
    static void checkTypes(long a, String name, String keyDescription, String valueDescription) {
        check(a, name, "keys", StoreLayout.KEY_FINGERPRINT_OFFSET, StoreLayout.KEY_DESCRIPTION_OFFSET, keyDescription);
        check(a, name, "values", StoreLayout.VALUE_FINGERPRINT_OFFSET, StoreLayout.VALUE_DESCRIPTION_OFFSET, valueDescription);
    }

    private static void check(long a, String name, String what, int fpOffset, int textOffset, String expected) {
        if (MEMORY.readLong(a + fpOffset) != fingerprint(expected)) {
            throw new IncompatibleStoreException("store \"" + name + "\" holds " + what + " as " + readText(a + textOffset)
                    + " (type/codec); this process asked for " + expected);
        }
    }

    /**
     * Fails when the caller gives metadata and the store records other metadata (or none), naming both;
     * a caller that gives none opens any store.
     */
    static void checkMetadata(long a, String name, String expected) {
        if (expected == null) {
            return;
        }
        String recorded = readText(a + StoreLayout.METADATA_OFFSET, StoreLayout.METADATA_CAPACITY);
        if (!recorded.equals(expected)) {
            throw new IncompatibleStoreException("store \"" + name + "\" was created with metadata "
                    + (recorded.isEmpty() ? "(none)" : "\"" + recorded + "\"") + "; this process asked for \"" + expected
                    + "\"");
        }
    }

    static long fingerprint(String description) {
        byte[] b = description.getBytes(StandardCharsets.UTF_8);
        long h = FINGERPRINT_SEED;
        for (byte x : b) {
            h = Hashing.hashLong(h, x);
        }
        return h;
    }

    private static void writeText(long at, String text, int capacity) {
        byte[] b = text.getBytes(StandardCharsets.UTF_8);
        int n = Math.min(b.length, capacity - 2);
        MEMORY.writeShort(at, (short) n);
        for (int i = 0; i < n; i++) {
            MEMORY.writeByte(at + 2 + i, b[i]);
        }
    }

    static String readText(long at) {
        return readText(at, StoreLayout.DESCRIPTION_CAPACITY);
    }

    static String readText(long at, int capacity) {
        int n = MEMORY.readShort(at) & 0xFFFF;
        if (n > capacity - 2) {
            return "<unreadable text of " + n + " bytes>";
        }
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = MEMORY.readByte(at + 2 + i);
        }
        return new String(b, StandardCharsets.UTF_8);
    }

    private static boolean pow2(long v) {
        return v > 0 && Long.bitCount(v) == 1;
    }

    private static void require(boolean ok, String who, String field, long value) {
        if (!ok) {
            throw new StoreCorruptedException(who + " has an impossible " + field + " in its header: " + value);
        }
    }
}
