package io.shmstore.testing;

import io.shmstore.internal.platform.ObjectHeader;
import io.shmstore.internal.store.EntryLayout;
import io.shmstore.internal.store.SegmentLayout;
import io.shmstore.internal.store.StoreLayout;
import net.openhft.chronicle.bytes.BytesStore;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * Where a store's parts are, found through the public layout classes alone, for tests that damage a
 * store's bytes on purpose. Every offset it returns is absolute: from the store's start when read
 * through a view's bytes, from the file's start when read from a store file's contents.
 */
public final class StoreGeometry {

    /** Reads little-endian numbers at absolute offsets. */
    public interface Reader {
        long readLong(long at);

        int readInt(long at);

        int readUnsignedShort(long at);

        int readUnsignedByte(long at);
    }

    private final Reader r;
    private final long base;
    public final int segments;
    public final int maxSlots;
    public final long maxChunks;
    public final long segmentHeaders;
    public final long heap;
    public final long stride;

    private StoreGeometry(Reader r, long base) {
        this.r = r;
        this.base = base;
        this.segments = r.readInt(base + StoreLayout.SEGMENTS_OFFSET);
        this.maxSlots = r.readInt(base + StoreLayout.MAX_SLOTS_OFFSET);
        this.maxChunks = r.readInt(base + StoreLayout.MAX_CHUNKS_OFFSET);
        this.segmentHeaders = r.readLong(base + StoreLayout.SEGMENT_HEADERS_OFFSET);
        this.heap = r.readLong(base + StoreLayout.HEAP_OFFSET);
        this.stride = r.readLong(base + StoreLayout.SEGMENT_STRIDE_OFFSET);
    }

    /** Through a view of the store: offsets from the store's start. */
    public static StoreGeometry of(BytesStore<?, ?> b) {
        return new StoreGeometry(new Reader() {
            public long readLong(long at) {
                return b.readLong(at);
            }

            public int readInt(long at) {
                return b.readInt(at);
            }

            public int readUnsignedShort(long at) {
                return b.readUnsignedShort(at);
            }

            public int readUnsignedByte(long at) {
                return b.readUnsignedByte(at);
            }
        }, 0);
    }

    /** Through a store file's contents (little-endian): offsets from the file's start. */
    public static StoreGeometry ofFile(ByteBuffer b) {
        return new StoreGeometry(new Reader() {
            public long readLong(long at) {
                return b.getLong(Math.toIntExact(at));
            }

            public int readInt(long at) {
                return b.getInt(Math.toIntExact(at));
            }

            public int readUnsignedShort(long at) {
                return b.getShort(Math.toIntExact(at)) & 0xFFFF;
            }

            public int readUnsignedByte(long at) {
                return b.get(Math.toIntExact(at)) & 0xFF;
            }
        }, ObjectHeader.HEADER_LENGTH);
    }

    /** Where the store starts: 0 in a view, after the object header in a file. */
    public long base() {
        return base;
    }

    public long segmentHeader(int s) {
        return base + StoreLayout.segmentHeaderOffset(segmentHeaders, s);
    }

    public long range(int s) {
        return base + StoreLayout.segmentOffset(heap, stride, s);
    }

    public long tableWord(int s) {
        return r.readLong(segmentHeader(s) + SegmentLayout.TABLE_OFFSET);
    }

    /** Slots of segment {@code s}'s active table. */
    public int slots(int s) {
        return SegmentLayout.slotsOf(tableWord(s));
    }

    /** Chunks segment {@code s} has reserved. */
    public int chunks(int s) {
        return r.readInt(segmentHeader(s) + SegmentLayout.CHUNKS_OFFSET);
    }

    /** Where segment {@code s}'s active table starts. */
    public long table(int s) {
        return range(s) + SegmentLayout.tableOffset(SegmentLayout.activeOf(tableWord(s)), maxSlots);
    }

    public long bitmap(int s) {
        return range(s) + SegmentLayout.bitmapOffset(maxSlots);
    }

    public long data(int s) {
        return range(s) + SegmentLayout.dataOffset(maxSlots, maxChunks);
    }

    public long entry(int s, int chunk) {
        return data(s) + (long) chunk * SegmentLayout.CHUNK;
    }

    public long slotAt(int s, int index) {
        return table(s) + 8L * index;
    }

    /** The indexes of segment {@code s}'s live slots, in table order. */
    public List<Integer> liveSlots(int s) {
        List<Integer> out = new ArrayList<>();
        for (int i = 0; i < slots(s); i++) {
            if (SegmentLayout.isLive(r.readLong(slotAt(s, i)))) {
                out.add(i);
            }
        }
        return out;
    }

    /** The first live slot of segment {@code s}. */
    public int firstLiveSlot(int s) {
        List<Integer> live = liveSlots(s);
        if (live.isEmpty()) {
            throw new AssertionError("segment " + s + " has no live slot");
        }
        return live.get(0);
    }

    /** The entry segment {@code s}'s slot {@code index} points at. */
    public long entryOfSlot(int s, int index) {
        return entry(s, SegmentLayout.chunkOf(r.readLong(slotAt(s, index))));
    }

    public int keyLength(long entry) {
        return r.readUnsignedShort(entry + EntryLayout.KEY_LENGTH_OFFSET);
    }

    public int headerLength(long entry) {
        return r.readUnsignedByte(entry + EntryLayout.HEADER_LENGTH_OFFSET);
    }

    public int valueLength(long entry) {
        return r.readInt(entry + EntryLayout.VALUE_LENGTH_OFFSET);
    }

    /** Where an entry's key bytes start. */
    public long key(long entry) {
        return entry + headerLength(entry);
    }

    /** Where an entry's value bytes start. */
    public long value(long entry) {
        return key(entry) + keyLength(entry);
    }
}
