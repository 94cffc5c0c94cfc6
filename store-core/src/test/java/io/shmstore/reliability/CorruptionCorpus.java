package io.shmstore.reliability;

import io.shmstore.FullPolicy;
import io.shmstore.SharedStore;
import io.shmstore.SharedStoreBuilder;
import io.shmstore.internal.platform.ObjectHeader;
import io.shmstore.internal.store.EntryLayout;
import io.shmstore.internal.store.FeedLayout;
import io.shmstore.internal.store.SegmentLayout;
import io.shmstore.internal.store.StoreLayout;
import io.shmstore.testing.StoreGeometry;

import io.shmstore.reliability.Mutation.DeadOwner;
import io.shmstore.reliability.Mutation.Flip;
import io.shmstore.reliability.Mutation.Scribble;
import io.shmstore.reliability.Mutation.SetField;
import io.shmstore.reliability.Mutation.SlotChunk;
import io.shmstore.reliability.Mutation.Truncate;
import io.shmstore.reliability.Mutation.Zero;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.UnaryOperator;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A real store, file-backed (so that a byte-for-byte copy is a new, independent store), that
 * {@link CorruptionFuzzTest} damages copies of, with the map of its bytes that the damage is aimed
 * with: every slot, entry header, bitmap word and segment header field, by absolute file offset.
 *
 * <p>The stores are built so that the walk of {@link CorruptionChild} reaches the engine's cold paths
 * on their copies: one or two segments small enough that removing every key piles up tombstones past
 * the rehash threshold; {@code fullPolicy(EVICT)} so that puts past capacity evict; an
 * {@code expireAfterWrite} shorter than the walk, so that expiry purges find entries to purge;
 * tombstones from the start, and a change feed that has wrapped.
 */
record CorruptionCorpus(String name, byte[] pristine, int keys, Geometry geometry, List<Field> knownFields) {

    /** A known field of the store's file: absolute offset in the file, 1, 4 or 8 bytes, what it is. */
    record Field(long offset, int size, String what) {
        @Override
        public String toString() {
            return what;
        }
    }

    /** A live slot of an active table and the header of the entry it points at. */
    record LiveSlot(int segment, int index, long offset, int chunk, int tag, long entry, long room, int keyLength,
                    int valueLength, int headerLength) {
        String what() {
            return "segment " + segment + " slot " + index + " (chunk " + chunk + ")";
        }
    }

    /**
     * One segment's header fields and where its parts lie in the file: the header, the active table,
     * the reserved bitmap and the reserved data (each as {@code [start, end)}), its table's slots and
     * reserved chunks.
     */
    record Segment(int index, int slots, int chunks, long[] parts, Field lock, Field seq, List<Field> counts,
                   Field table, Field reserved, Field cursor, List<Field> statistics, List<Field> bitmap,
                   List<Field> deadSlots) {
    }

    /** The store's segments, and the live slots of all of them. */
    record Geometry(List<Segment> segments, List<LiveSlot> live) {
        /** Reserved chunks of the segment a live slot is in. */
        int chunks(LiveSlot slot) {
            return segments.get(slot.segment()).chunks();
        }
    }

    /**
     * Builds the store at {@code file} with {@code settings}: puts {@code key(i)} for {@code i < keys},
     * removes every {@code removeEvery}-th of them (tombstones), and maps the result.
     */
    static CorruptionCorpus build(String name, Path file, int keys, int removeEvery,
                                  UnaryOperator<SharedStoreBuilder<String, byte[]>> settings) throws IOException {
        try (SharedStore<String, byte[]> s = settings.apply(SharedStore.of(String.class, byte[].class).persistedTo(file)).create()) {
            for (int i = 0; i < keys; i++) {
                s.put(CorruptionChild.key(i), CorruptionChild.value(i));
            }
            for (int i = 0; i < keys; i += removeEvery) {
                s.remove(CorruptionChild.key(i));
            }
            assertThat(s.verify()).as("the undamaged store " + name).isEmpty();
        }
        byte[] pristine = Files.readAllBytes(file);
        ByteBuffer b = ByteBuffer.wrap(pristine).order(ByteOrder.LITTLE_ENDIAN);
        return new CorruptionCorpus(name, pristine, keys, geometry(b), knownFields(b));
    }

    /** The stores the fuzz damages. */
    static List<CorruptionCorpus> buildAll(Path dir) throws IOException {
        return List.of(
                // several segments (tombstones in each) and a wrapped feed: the fuzz's original store
                build("reject-4seg", dir.resolve("reject-4seg.store"), 300, 5, b -> b.entries(400).averageKeySize(8)
                        .averageValueSize(64).segments(4).changeFeedCapacity(64)),
                // the reproduction: one segment, 140 puts; removing every key rehashes
                build("reject-1seg", dir.resolve("reject-1seg.store"), 140, 7, b -> b.entries(100).segments(1)
                        .averageKeySize(8).averageValueSize(64).changeFeedCapacity(64)),
                // evicting: puts past capacity evict, removing every key rehashes
                build("evict-2seg", dir.resolve("evict-2seg.store"), 250, 6, b -> b.entries(100).segments(2)
                        .averageKeySize(8).averageValueSize(64).fullPolicy(FullPolicy.EVICT).changeFeedCapacity(64)),
                // evicting and expiring: every original entry has expired by the walk, the walk's own after 150 ms
                build("evict-ttl-1seg", dir.resolve("evict-ttl-1seg.store"), 120, 8, b -> b.entries(60).segments(1)
                        .averageKeySize(8).averageValueSize(64).fullPolicy(FullPolicy.EVICT)
                        .expireAfterWrite(Duration.ofMillis(150)).changeFeedCapacity(64)),
                // expiring without eviction: a full segment purges, then refuses
                build("reject-ttl-2seg", dir.resolve("reject-ttl-2seg.store"), 200, 6, b -> b.entries(100).segments(2)
                        .averageKeySize(8).averageValueSize(64).expireAfterWrite(Duration.ofMillis(100))
                        .changeFeedCapacity(64)));
    }

    private static Geometry geometry(ByteBuffer b) {
        StoreGeometry g = StoreGeometry.ofFile(b);
        List<Segment> out = new ArrayList<>();
        List<LiveSlot> live = new ArrayList<>();
        for (int s = 0; s < g.segments; s++) {
            long seg = g.segmentHeader(s);
            String name = "segment " + s + " ";
            int slots = g.slots(s);
            int chunks = g.chunks(s);
            List<Field> dead = new ArrayList<>();
            for (int i = 0; i < slots; i++) {
                long at = g.slotAt(s, i);
                long slot = b.getLong((int) at);
                if (SegmentLayout.isLive(slot)) {
                    int chunk = SegmentLayout.chunkOf(slot);
                    long e = g.entry(s, chunk);
                    live.add(new LiveSlot(s, i, at, chunk, SegmentLayout.tagOf(slot), e,
                            (long) (chunks - chunk) * SegmentLayout.CHUNK, g.keyLength(e), g.valueLength(e),
                            g.headerLength(e)));
                } else {
                    dead.add(new Field(at, 8, name + (slot == SegmentLayout.TOMBSTONE ? "tombstone" : "empty") + " slot " + i));
                }
            }
            List<Field> bitmap = new ArrayList<>();
            long bitmapBytes = (chunks + 63) / 64 * 8L;
            for (long w = 0; w < bitmapBytes / 8; w++) {
                bitmap.add(new Field(g.bitmap(s) + 8 * w, 8, name + "bitmap word " + w));
            }
            long[] parts = {seg, seg + SegmentLayout.HEADER_LENGTH, g.table(s), g.table(s) + 8L * slots,
                    g.bitmap(s), g.bitmap(s) + bitmapBytes, g.data(s), g.data(s) + (long) chunks * SegmentLayout.CHUNK};
            out.add(new Segment(s, slots, chunks, parts,
                    new Field(seg + SegmentLayout.LOCK_OFFSET, 8, name + "lock owner"),
                    new Field(seg + SegmentLayout.SEQ_OFFSET, 8, name + "seqlock"),
                    List.of(new Field(seg + SegmentLayout.COUNT_OFFSET, 4, name + "count"),
                            new Field(seg + SegmentLayout.TOMBSTONES_OFFSET, 4, name + "tombstones"),
                            new Field(seg + SegmentLayout.USED_CHUNKS_OFFSET, 4, name + "used chunks")),
                    new Field(seg + SegmentLayout.TABLE_OFFSET, 8, name + "table word"),
                    new Field(seg + SegmentLayout.CHUNKS_OFFSET, 4, name + "reserved chunks"),
                    new Field(seg + SegmentLayout.CURSOR_OFFSET, 4, name + "alloc cursor"),
                    List.of(new Field(seg + SegmentLayout.WRITE_SEQUENCE_OFFSET, 8, name + "write sequence"),
                            new Field(seg + SegmentLayout.EVICTIONS_OFFSET, 8, name + "evictions"),
                            new Field(seg + SegmentLayout.EXPIRATIONS_OFFSET, 8, name + "expirations"),
                            new Field(seg + SegmentLayout.RECOVERIES_OFFSET, 8, name + "recoveries"),
                            new Field(seg + SegmentLayout.GROWTHS_OFFSET, 8, name + "growths"),
                            new Field(seg + SegmentLayout.FLAGS_OFFSET, 4, name + "flags")),
                    List.copyOf(bitmap), List.copyOf(dead)));
        }
        return new Geometry(List.copyOf(out), List.copyOf(live));
    }

    /** Every header field, and a sample of slots, entries, bitmap words and feed records. */
    private static List<Field> knownFields(ByteBuffer b) {
        List<Field> out = new ArrayList<>();
        int h = ObjectHeader.HEADER_LENGTH;
        out.add(new Field(ObjectHeader.MAGIC_OFFSET, 8, "object magic"));
        out.add(new Field(ObjectHeader.VERSION_OFFSET, 4, "object version"));
        out.add(new Field(ObjectHeader.TYPE_OFFSET, 4, "object type"));
        out.add(new Field(ObjectHeader.USER_SIZE_OFFSET, 8, "object user size"));
        out.add(new Field(ObjectHeader.HEADER_LENGTH_OFFSET, 4, "object header length"));
        out.add(new Field(ObjectHeader.LIFETIME_OFFSET, 4, "object lifetime"));
        out.add(new Field(ObjectHeader.STATE_OFFSET, 4, "object state"));
        out.add(new Field(ObjectHeader.ATTACH_CAPACITY_OFFSET, 4, "attach capacity"));
        out.add(new Field(ObjectHeader.LOCK_OFFSET, 8, "object lock"));
        out.add(new Field(ObjectHeader.attachEntryOffset(0), 8, "attach entry 0"));
        int[] ints = {StoreLayout.VERSION_OFFSET, StoreLayout.HEADER_LENGTH_OFFSET, StoreLayout.SEGMENTS_OFFSET,
                StoreLayout.INITIAL_SLOTS_OFFSET, StoreLayout.MAX_SLOTS_OFFSET, StoreLayout.INITIAL_CHUNKS_OFFSET,
                StoreLayout.MAX_CHUNKS_OFFSET, StoreLayout.AVG_KEY_OFFSET, StoreLayout.AVG_VALUE_OFFSET,
                StoreLayout.FULL_POLICY_OFFSET,
                StoreLayout.KEY_DESCRIPTION_OFFSET, StoreLayout.VALUE_DESCRIPTION_OFFSET,
                FeedLayout.CAPACITY_FIELD, FeedLayout.RECORD_SIZE_FIELD};
        for (int f : ints) {
            out.add(new Field(h + f, 4, "store header +" + f));
        }
        int[] longs = {StoreLayout.MAGIC_OFFSET, StoreLayout.ENTRIES_OFFSET, StoreLayout.TTL_MILLIS_OFFSET,
                StoreLayout.KEY_FINGERPRINT_OFFSET, StoreLayout.VALUE_FINGERPRINT_OFFSET,
                StoreLayout.SEGMENT_HEADERS_OFFSET, StoreLayout.HEAP_OFFSET, StoreLayout.SEGMENT_STRIDE_OFFSET,
                StoreLayout.STORE_LENGTH_OFFSET, StoreLayout.CREATED_AT_OFFSET, StoreLayout.MAX_RESERVED_OFFSET,
                FeedLayout.FEED_OFFSET_FIELD, FeedLayout.FEED_OFFSET_FIELD + 16};
        for (int f : longs) {
            out.add(new Field(h + f, 8, "store header +" + f));
        }
        Geometry g = geometry(b);
        for (Segment s : g.segments()) {
            String name = "segment " + s.index() + " ";
            out.add(s.lock());
            out.add(new Field(s.lock().offset() + 8, 4, name + "lock waiters"));
            out.add(s.seq());
            out.addAll(s.counts());
            out.add(s.table());
            out.add(s.reserved());
            out.add(s.cursor());
            out.add(s.statistics().get(0));
            out.add(s.bitmap().get(0));
            s.deadSlots().stream().filter(f -> f.what().contains("tombstone")).limit(4).forEach(out::add);
            g.live().stream().filter(l -> l.segment() == s.index()).limit(12).forEach(l -> {
                out.add(new Field(l.offset(), 8, l.what()));
                out.add(new Field(l.entry() + EntryLayout.CHECKSUM_OFFSET, 4, l.what() + " entry checksum"));
                out.add(new Field(l.entry() + EntryLayout.KEY_LENGTH_OFFSET, 2, l.what() + " entry key length"));
                out.add(new Field(l.entry() + EntryLayout.FLAGS_OFFSET, 1, l.what() + " entry flags"));
                out.add(new Field(l.entry() + EntryLayout.HEADER_LENGTH_OFFSET, 1, l.what() + " entry header length"));
                out.add(new Field(l.entry() + EntryLayout.VALUE_LENGTH_OFFSET, 4, l.what() + " entry value length"));
                if (l.headerLength() > EntryLayout.FIXED_HEADER) {
                    out.add(new Field(l.entry() + EntryLayout.OPTIONAL_OFFSET, 8, l.what() + " entry expiry or write time"));
                }
                out.add(new Field(l.entry() + l.headerLength(), 1, l.what() + " entry key's length byte"));
            });
        }
        long feed = h + b.getLong(h + FeedLayout.FEED_OFFSET_FIELD);
        int capacity = b.getInt(h + FeedLayout.CAPACITY_FIELD);
        int recordSize = b.getInt(h + FeedLayout.RECORD_SIZE_FIELD);
        out.add(new Field(feed + FeedLayout.TAIL_OFFSET, 8, "feed tail"));
        out.add(new Field(feed + FeedLayout.WAITERS_OFFSET, 4, "feed waiters"));
        for (int r = 0; r < capacity; r += 7) {
            long rec = feed + FeedLayout.HEADER_LENGTH + (long) r * recordSize;
            out.add(new Field(rec + FeedLayout.STATE_OFFSET, 8, "feed record " + r + " state"));
            out.add(new Field(rec + FeedLayout.WRITER_OFFSET, 8, "feed record " + r + " writer"));
            out.add(new Field(rec + FeedLayout.CHECKSUM_OFFSET, 8, "feed record " + r + " checksum"));
            out.add(new Field(rec + FeedLayout.TYPE_OFFSET, 4, "feed record " + r + " type"));
            out.add(new Field(rec + FeedLayout.KEY_LENGTH_OFFSET, 4, "feed record " + r + " key length"));
            out.add(new Field(rec + FeedLayout.ENTRY_OFFSET, 8, "feed record " + r + " entry"));
        }
        return List.copyOf(out);
    }

    /** The field named {@code what}. */
    Field field(String what) {
        return knownFields.stream().filter(f -> f.what().equals(what)).findFirst().orElseThrow();
    }

    long read(Field f) {
        ByteBuffer b = ByteBuffer.wrap(pristine).order(ByteOrder.LITTLE_ENDIAN);
        return switch (f.size()) {
            case 1 -> b.get((int) f.offset());
            case 2 -> b.getShort((int) f.offset());
            case 4 -> b.getInt((int) f.offset());
            default -> b.getLong((int) f.offset());
        };
    }

    // ---------------------------------------------------------------- random mutations

    /** What a random mutation aims at, and how often (out of the sum of the weights). */
    private enum Kind {
        SLOT_CHUNK(5), DEAD_SLOT(1), ENTRY_LENGTH(4), BITMAP(2), SEGMENT_FIELD(3), SCRIBBLE(3), DEAD_OWNER(2),
        FLIP(2), ZERO(1), KNOWN_FIELD(2), TRUNCATE(1);

        final int weight;

        Kind(int weight) {
            this.weight = weight;
        }
    }

    private static final long[] EXTREMES = {0L, -1L, 1L, Integer.MAX_VALUE, Integer.MIN_VALUE, 0x7FFF_FFF0L,
            Long.MAX_VALUE, Long.MIN_VALUE, 1L << 32};

    /** A random mutation of this store, aimed at the structures of the engine's cold paths most of the time. */
    Mutation randomMutation(Random r) {
        Geometry g = geometry;
        int total = 0;
        for (Kind k : Kind.values()) {
            total += k.weight;
        }
        int pick = r.nextInt(total);
        Kind kind = Kind.values()[0];
        for (Kind k : Kind.values()) {
            if ((pick -= k.weight) < 0) {
                kind = k;
                break;
            }
        }
        Segment seg = g.segments().get(r.nextInt(g.segments().size()));
        LiveSlot live = g.live().get(r.nextInt(g.live().size()));
        return switch (kind) {
            case SLOT_CHUNK -> new SlotChunk(live, oneOf(r, 0x7FFF_FEFF, -2, g.chunks(live), g.chunks(live) - 1,
                    g.chunks(live) + 1, -1, Integer.MAX_VALUE - 1, Integer.MIN_VALUE, live.chunk() + 1,
                    r.nextInt(g.chunks(live)), g.live().get(r.nextInt(g.live().size())).chunk()));
            case DEAD_SLOT -> {
                // a tombstone or an empty slot made live, with the tag of a real key so lookups reach it
                List<Field> dead = seg.deadSlots();
                int chunk = oneOf(r, 0x7FFF_FEFF, -2, seg.chunks() - 1, seg.chunks(), live.chunk());
                yield new SetField(dead.get(r.nextInt(dead.size())), SegmentLayout.slot(live.tag(), chunk));
            }
            case ENTRY_LENGTH -> {
                boolean key = r.nextBoolean();
                int own = key ? live.keyLength() : live.valueLength();
                long other = key ? live.valueLength() : live.keyLength();
                long fits = live.room() - live.headerLength() - other;
                long value = key
                        ? oneOfLong(r, 0xFFFF, 0, fits, fits + 1, own + SegmentLayout.CHUNK, own ^ 0x4000, own + 1)
                        : oneOfLong(r, -1, Integer.MIN_VALUE, Integer.MAX_VALUE, 0x7FFF_FFF0L, fits, fits + 1,
                        own + SegmentLayout.CHUNK, own + 64L * SegmentLayout.CHUNK, 0, own ^ 0x4000_0000);
                yield new SetField(new Field(live.entry() + (key ? EntryLayout.KEY_LENGTH_OFFSET : EntryLayout.VALUE_LENGTH_OFFSET),
                        key ? 2 : 4, live.what() + " entry " + (key ? "key" : "value") + " length (" + own + ")"), value);
            }
            case BITMAP -> {
                Field word = seg.bitmap().get(r.nextInt(seg.bitmap().size()));
                long was = read(word);
                yield new SetField(word, oneOfLong(r, 0, -1, 0x5555_5555_5555_5555L, 0xAAAA_AAAA_AAAA_AAAAL, ~was,
                        was ^ (1L << r.nextInt(64))));
            }
            case SEGMENT_FIELD -> segmentField(r, seg);
            case SCRIBBLE -> {
                // in one of the segment's header, active table, bitmap and data
                int part = r.nextInt(4);
                long from = seg.parts()[2 * part];
                long to = seg.parts()[2 * part + 1];
                int length = (int) Math.min(to - from, 1 + r.nextInt(64));
                yield new Scribble(from + (long) (r.nextDouble() * (to - from - length)), length, r.nextLong());
            }
            case DEAD_OWNER -> new DeadOwner(seg.lock(), seg.seq(), read(seg.seq()), r.nextBoolean());
            case FLIP -> new Flip((long) (r.nextDouble() * pristine.length), 1 + r.nextInt(255));
            case ZERO -> new Zero((long) (r.nextDouble() * pristine.length), 1 + r.nextInt(4096));
            case KNOWN_FIELD -> new SetField(knownFields.get(r.nextInt(knownFields.size())), EXTREMES[r.nextInt(EXTREMES.length)]);
            case TRUNCATE -> new Truncate(r.nextInt(1000));
        };
    }

    private Mutation segmentField(Random r, Segment seg) {
        switch (r.nextInt(6)) {
            case 0: {
                long was = read(seg.table());
                int slots = SegmentLayout.slotsOf(was);
                return new SetField(seg.table(), oneOfLong(r, SegmentLayout.tableWord(2, slots),
                        SegmentLayout.tableWord(-1, slots), SegmentLayout.tableWord(1 - SegmentLayout.activeOf(was), slots),
                        SegmentLayout.tableWord(SegmentLayout.activeOf(was), slots * 2),
                        SegmentLayout.tableWord(SegmentLayout.activeOf(was), slots - 1),
                        SegmentLayout.tableWord(SegmentLayout.activeOf(was), 0),
                        SegmentLayout.tableWord(SegmentLayout.activeOf(was), Integer.MAX_VALUE), -1L, 0L));
            }
            case 1: {
                Field f = seg.counts().get(r.nextInt(seg.counts().size()));
                long was = read(f);
                return new SetField(f, oneOfLong(r, -1, Integer.MIN_VALUE, Integer.MAX_VALUE, 0, seg.slots(),
                        seg.slots() / 4 * 3, seg.chunks(), seg.chunks() + 1L, was + 1, was - 1, was * 2));
            }
            case 2:
                return new SetField(seg.cursor(), oneOfLong(r, -1, Integer.MIN_VALUE, Integer.MAX_VALUE, seg.chunks(),
                        seg.chunks() - 1L, seg.chunks() + 64L, 0x7FFF_FFC0L));
            case 3: {
                long was = read(seg.seq());
                return new SetField(seg.seq(), oneOfLong(r, was | 1, was + 2, -2, Long.MAX_VALUE, Long.MIN_VALUE));
            }
            case 4:
                return new SetField(seg.reserved(), oneOfLong(r, -1, 0, 1, Integer.MAX_VALUE, Integer.MIN_VALUE,
                        seg.chunks() - 1L, seg.chunks() + 1L, seg.chunks() * 2L, seg.chunks() / 2));
            default:
                return new SetField(seg.statistics().get(r.nextInt(seg.statistics().size())),
                        oneOfLong(r, -1, Long.MAX_VALUE, Long.MIN_VALUE));
        }
    }

    private static int oneOf(Random r, int... values) {
        return values[r.nextInt(values.length)];
    }

    private static long oneOfLong(Random r, long... values) {
        return values[r.nextInt(values.length)];
    }
}
