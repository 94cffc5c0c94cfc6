package io.shmstore.reliability;

import io.shmstore.SharedStore;
import io.shmstore.internal.platform.ObjectHeader;
import io.shmstore.internal.store.EntryLayout;
import io.shmstore.internal.store.FeedLayout;
import io.shmstore.internal.store.SegmentLayout;
import io.shmstore.internal.store.StoreLayout;
import io.shmstore.testing.ChildJvm;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.EdgeCasesMode;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.RandomDistribution;
import net.jqwik.api.ShrinkingMode;
import net.jqwik.api.lifecycle.AddLifecycleHook;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import net.jqwik.api.lifecycle.LifecycleContext;
import net.jqwik.api.lifecycle.SkipExecutionHook;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Damaged copies of a real store (tombstones, several segments, a wrapped change feed) are opened and
 * walked in child JVMs: every step answers consistently or throws a typed {@code StoreException}; no
 * child crashes (no hs_err file, exit 0), hangs, or reads values that were never written.
 *
 * <p>The store is file-backed so that a byte-for-byte copy is a new, independent store (a memory-only
 * copy would carry the original's attach table). Several cases run in one child, since a JVM start
 * costs more than a case. {@code -Dshmstore.soak=true} adds a long run of 2,000 more cases.
 */
class CorruptionFuzzTest {
    private static final boolean SOAK = Boolean.getBoolean("shmstore.soak");
    private static final int KEYS = 300;
    private static final int BATCH = 10;
    /** A case that takes longer than this in the child is a hang (a normal case takes tens of ms). */
    private static final Duration CASE_TIMEOUT = Duration.ofSeconds(20);

    private static Path dir;
    private static Path original;
    private static byte[] pristine;
    private static List<Field> fields;
    /** How often each step ended each way, printed at the end: shows how deep the damaged copies get. */
    private static final java.util.Map<String, Integer> OUTCOMES = new java.util.TreeMap<>();

    /** A known field of the store's file: absolute offset in the file, 4 or 8 bytes, what it is. */
    record Field(long offset, int size, String what) {
    }

    /** One change to a copy of the store's file. */
    sealed interface Mutation permits Flip, Zero, SetField, Truncate, TruncateWhileOpen {
        void apply(RandomAccessFile f) throws IOException;
    }

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

    /** Set a known field to an extreme value. */
    record SetField(Field field, long value) implements Mutation {
        public void apply(RandomAccessFile f) throws IOException {
            if (field.offset() + field.size() > f.length()) {
                return;
            }
            ByteBuffer b = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(value);
            f.seek(field.offset());
            f.write(b.array(), 0, field.size());
        }
    }

    /** Cut the file to {@code fraction} thousandths of its length. */
    record Truncate(int permille) implements Mutation {
        public void apply(RandomAccessFile f) throws IOException {
            f.setLength(f.length() * permille / 1000);
        }
    }

    /**
     * Cut the file to {@code permille} thousandths of its length after the child has opened it, after
     * {@code warmUp} rounds of put, get and poll (to have the store's code compiled first).
     */
    record TruncateWhileOpen(int permille, int warmUp) implements Mutation {
        public void apply(RandomAccessFile f) {
            // done by the child, once the store is open: see runBatch
        }

        long length() {
            return (long) pristine.length * permille / 1000;
        }
    }

    @BeforeContainer
    static void buildTheOriginal() throws IOException {
        Path base = Path.of("/dev/shm");
        dir = Files.isDirectory(base) && Files.isWritable(base)
                ? Files.createTempDirectory(base, "shmstore-fuzz-")
                : Files.createTempDirectory("shmstore-fuzz-");
        original = dir.resolve("original.store");
        try (SharedStore<String, byte[]> s = SharedStore.of(String.class, byte[].class).persistedTo(original)
                .entries(400).averageKeySize(8).averageValueSize(64).segments(4).changeFeedCapacity(64).create()) {
            for (int i = 0; i < KEYS; i++) {
                s.put(CorruptionChild.key(i), CorruptionChild.value(i));
            }
            // tombstones in every segment, and a feed that has wrapped (more records than its 64)
            for (int i = 0; i < KEYS; i += 5) {
                s.remove(CorruptionChild.key(i));
            }
            assertThat(s.verify()).isEmpty();
            assertThat(s.changes().lastSequence()).isGreaterThan(64);
        }
        pristine = Files.readAllBytes(original);
        fields = knownFields(ByteBuffer.wrap(pristine).order(ByteOrder.LITTLE_ENDIAN));
    }

    @AfterContainer
    static void removeTheDirectory() throws IOException {
        System.out.println("CorruptionFuzzTest outcomes: " + OUTCOMES);
        if (dir != null) {
            try (Stream<Path> walk = Files.walk(dir)) {
                walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
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
        int[][] ints = {{StoreLayout.VERSION_OFFSET}, {StoreLayout.HEADER_LENGTH_OFFSET}, {StoreLayout.SEGMENTS_OFFSET},
                {StoreLayout.SLOTS_OFFSET}, {StoreLayout.CHUNK_SIZE_OFFSET}, {StoreLayout.CHUNKS_OFFSET},
                {StoreLayout.AVG_KEY_OFFSET}, {StoreLayout.AVG_VALUE_OFFSET}, {StoreLayout.FULL_POLICY_OFFSET},
                {StoreLayout.KEY_DESCRIPTION_OFFSET}, {StoreLayout.VALUE_DESCRIPTION_OFFSET},
                {FeedLayout.CAPACITY_FIELD}, {FeedLayout.RECORD_SIZE_FIELD}};
        for (int[] f : ints) {
            out.add(new Field(h + f[0], 4, "store header +" + f[0]));
        }
        int[] longs = {StoreLayout.MAGIC_OFFSET, StoreLayout.ENTRIES_OFFSET, StoreLayout.TTL_MILLIS_OFFSET,
                StoreLayout.KEY_FINGERPRINT_OFFSET, StoreLayout.VALUE_FINGERPRINT_OFFSET,
                StoreLayout.SEGMENT_AREA_OFFSET, StoreLayout.SEGMENT_STRIDE_OFFSET, StoreLayout.STORE_LENGTH_OFFSET,
                StoreLayout.CREATED_AT_OFFSET, FeedLayout.FEED_OFFSET_FIELD};
        for (int f : longs) {
            out.add(new Field(h + f, 8, "store header +" + f));
        }
        int segments = b.getInt(h + StoreLayout.SEGMENTS_OFFSET);
        int slots = b.getInt(h + StoreLayout.SLOTS_OFFSET);
        int chunks = b.getInt(h + StoreLayout.CHUNKS_OFFSET);
        int chunkSize = b.getInt(h + StoreLayout.CHUNK_SIZE_OFFSET);
        long area = b.getLong(h + StoreLayout.SEGMENT_AREA_OFFSET);
        long stride = b.getLong(h + StoreLayout.SEGMENT_STRIDE_OFFSET);
        for (int s = 0; s < segments; s++) {
            long seg = h + StoreLayout.segmentOffset(area, stride, s);
            String name = "segment " + s + " ";
            out.add(new Field(seg + SegmentLayout.LOCK_OFFSET, 8, name + "lock owner"));
            out.add(new Field(seg + SegmentLayout.LOCK_OFFSET + 8, 4, name + "lock waiters"));
            out.add(new Field(seg + SegmentLayout.SEQ_OFFSET, 8, name + "seqlock"));
            out.add(new Field(seg + SegmentLayout.COUNT_OFFSET, 4, name + "count"));
            out.add(new Field(seg + SegmentLayout.TOMBSTONES_OFFSET, 4, name + "tombstones"));
            out.add(new Field(seg + SegmentLayout.ACTIVE_TABLE_OFFSET, 4, name + "active table"));
            out.add(new Field(seg + SegmentLayout.USED_CHUNKS_OFFSET, 4, name + "used chunks"));
            out.add(new Field(seg + SegmentLayout.CURSOR_OFFSET, 4, name + "alloc cursor"));
            out.add(new Field(seg + SegmentLayout.WRITE_SEQUENCE_OFFSET, 8, name + "write sequence"));
            out.add(new Field(seg + SegmentLayout.bitmapOffset(slots), 8, name + "bitmap word 0"));
            long table = seg + SegmentLayout.tableOffset(b.getInt((int) seg + SegmentLayout.ACTIVE_TABLE_OFFSET), slots);
            long data = seg + SegmentLayout.dataOffset(slots, chunks);
            int live = 0;
            int tombstones = 0;
            for (int i = 0; i < slots; i++) {
                long at = table + 8L * i;
                long slot = b.getLong((int) at);
                if (slot == SegmentLayout.TOMBSTONE && tombstones++ < 4) {
                    out.add(new Field(at, 8, name + "tombstone slot " + i));
                } else if (SegmentLayout.isLive(slot) && live++ < 12) {
                    out.add(new Field(at, 8, name + "slot " + i));
                    long entry = data + (long) SegmentLayout.chunkOf(slot) * chunkSize;
                    out.add(new Field(entry + EntryLayout.KEY_LENGTH_OFFSET, 4, name + "entry key length, slot " + i));
                    out.add(new Field(entry + EntryLayout.VALUE_LENGTH_OFFSET, 4, name + "entry value length, slot " + i));
                    out.add(new Field(entry + EntryLayout.WRITTEN_AT_OFFSET, 8, name + "entry written at, slot " + i));
                    out.add(new Field(entry + EntryLayout.KEY_HASH_OFFSET, 8, name + "entry key hash, slot " + i));
                    out.add(new Field(entry + EntryLayout.CHECKSUM_OFFSET, 8, name + "entry checksum, slot " + i));
                    out.add(new Field(entry + EntryLayout.HEADER_LENGTH, 1, name + "entry key's length byte, slot " + i));
                }
            }
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

    @Provide
    Arbitrary<List<List<Mutation>>> batches() {
        long length = pristine.length;
        Arbitrary<Mutation> flip = Combinators.combine(Arbitraries.longs().between(0, length - 1).withDistribution(RandomDistribution.uniform()),
                Arbitraries.integers().between(1, 255)).as(Flip::new);
        Arbitrary<Mutation> zero = Combinators.combine(Arbitraries.longs().between(0, length - 1).withDistribution(RandomDistribution.uniform()),
                Arbitraries.integers().between(1, 4096)).as(Zero::new);
        Arbitrary<Mutation> field = Combinators.combine(Arbitraries.of(fields),
                Arbitraries.of(0L, -1L, 1L, (long) Integer.MAX_VALUE, (long) Integer.MIN_VALUE, 0x7FFF_FFF0L,
                        Long.MAX_VALUE, Long.MIN_VALUE, 1L << 32)).as(SetField::new);
        Arbitrary<Mutation> truncate = Arbitraries.integers().between(0, 999).withDistribution(RandomDistribution.uniform()).map(Truncate::new);
        Arbitrary<Mutation> any = Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(3, flip), net.jqwik.api.Tuple.of(2, zero),
                net.jqwik.api.Tuple.of(6, field), net.jqwik.api.Tuple.of(1, truncate));
        return any.list().ofMinSize(1).ofMaxSize(3).list().ofSize(BATCH);
    }

    @Property(tries = 6, seed = "20261124", edgeCases = EdgeCasesMode.NONE, shrinking = ShrinkingMode.BOUNDED)
    void damagedCopiesGiveTypedErrorsOrConsistentAnswersNeverCrashes(
            @ForAll("batches") List<List<Mutation>> batch) throws Exception {
        runBatch(batch);
    }

    /** The long run: 2,000 more cases, only with {@code -Dshmstore.soak=true}. */
    @Property(tries = 200, seed = "7700417", edgeCases = EdgeCasesMode.NONE, shrinking = ShrinkingMode.BOUNDED)
    @AddLifecycleHook(SoakOnly.class)
    void soakDamagedCopiesGiveTypedErrorsOrConsistentAnswersNeverCrashes(
            @ForAll("batches") List<List<Mutation>> batch) throws Exception {
        runBatch(batch);
    }

    /** Found by the soak run: a reader of a segment whose counter was negative spun for ever. */
    @Example
    void aNegativeSeqlockCounterIsCorruptionNotAnEndlessRead() throws Exception {
        Field seqlock = fields.stream().filter(f -> f.what().equals("segment 1 seqlock")).findFirst().orElseThrow();
        runBatch(List.of(List.of(new SetField(seqlock, Integer.MIN_VALUE)), List.of(new SetField(seqlock, -1L)),
                List.of(new SetField(seqlock, Long.MIN_VALUE)), List.of(new SetField(seqlock, -2L))));
    }

    /** Found by the soak run: put into a segment whose active-table index was damaged leaked an internal exception. */
    @Example
    void aDamagedActiveTableIndexIsCorruptionForWritersToo() throws Exception {
        List<Mutation> everySegment = fields.stream().filter(f -> f.what().endsWith(" active table"))
                .map(f -> (Mutation) new SetField(f, Integer.MAX_VALUE)).toList();
        assertThat(everySegment).hasSize(4);
        runBatch(List.of(everySegment));
    }

    /**
     * A store whose file another process truncates while it is open: the pages past the new end are
     * still mapped, and touching one raises SIGBUS. HotSpot turns that into an InternalError for
     * guarded Unsafe accesses, but an interpreted compare-and-set faults inside the VM and used to kill
     * the JVM; now every step gives StoreCorruptedException. Cuts from the whole file down to nothing
     * (the object header too), in each execution mode: interpreted only, C1 (the children's default)
     * and C2 with the code compiled before the cut.
     */
    @Example
    void aStoreFileTruncatedWhileOpenGivesTypedErrorsNotSigbus() throws Exception {
        for (List<String> mode : List.of(List.of("-Xint"), List.<String>of(), List.of("-XX:TieredStopAtLevel=4"))) {
            int warmUp = mode.isEmpty() || mode.get(0).equals("-Xint") ? 0 : 40_000;
            runBatch(IntStream.of(999, 700, 150, 20, 0).mapToObj(p -> List.<Mutation>of(new TruncateWhileOpen(p, warmUp)))
                    .collect(Collectors.toList()), mode);
        }
    }

    /** Skips a property unless {@code shmstore.soak} is set. */
    public static final class SoakOnly implements SkipExecutionHook {
        @Override
        public SkipResult shouldBeSkipped(LifecycleContext context) {
            return SOAK ? SkipResult.doNotSkip() : SkipResult.skip("a soak test: run with -Dshmstore.soak=true");
        }
    }

    private void runBatch(List<List<Mutation>> batch) throws Exception {
        runBatch(batch, List.of());
    }

    /** @param jvmFlags for the child, after the usual ones (so they win) */
    private void runBatch(List<List<Mutation>> batch, List<String> jvmFlags) throws Exception {
        Path run = Files.createTempDirectory(dir, "run-");
        Path errors = Files.createDirectory(run.resolve("hs_err"));
        List<String> args = new ArrayList<>();
        args.add(Integer.toString(KEYS));
        for (int i = 0; i < batch.size(); i++) {
            Path copy = run.resolve("copy-" + i + ".store");
            Files.write(copy, pristine);
            try (RandomAccessFile f = new RandomAccessFile(copy.toFile(), "rw")) {
                for (Mutation m : batch.get(i)) {
                    m.apply(f);
                }
            }
            args.add(copy + batch.get(i).stream().filter(m -> m instanceof TruncateWhileOpen)
                    .map(m -> "@" + ((TruncateWhileOpen) m).length() + "@" + ((TruncateWhileOpen) m).warmUp())
                    .findFirst().orElse(""));
        }
        List<String> command = ChildJvm.command(CorruptionChild.class, args.toArray(String[]::new));
        // after the java binary: crash reports go where this test looks for them, and no core dumps
        command.add(1, "-XX:ErrorFile=" + errors + "/hs_err_pid%p.log");
        command.add(2, "-XX:-CreateCoredumpOnCrash");
        command.addAll(command.indexOf(CorruptionChild.class.getName()), jvmFlags);
        List<String> failures = new ArrayList<>();
        int current = -1;
        int trace = 8;
        try (ChildJvm child = ChildJvm.start(command, "CorruptionChild, " + batch.size() + " cases")) {
            String line;
            do {
                try {
                    line = nextLine(child);
                } catch (AssertionError noOutput) {
                    child.kill();
                    throw new AssertionError(describe(batch, current, "the child hung or died: " + noOutput.getMessage()
                            + crashReport(errors)));
                }
                OUTCOMES.merge(line.startsWith("OK ") || line.startsWith("TYPED ") ? line : "other", 1, Integer::sum);
                if (line.startsWith("CASE ")) {
                    current = Integer.parseInt(line.substring(5));
                } else if (line.startsWith("LATE ") && current >= 0
                        && batch.get(current).stream().anyMatch(m -> m instanceof TruncateWhileOpen t && t.warmUp() > 0)) {
                    // see CorruptionChild.step: HotSpot's asynchronous report of the fault, not a crash
                    OUTCOMES.merge(line.substring(0, line.indexOf(' ', 5)), 1, Integer::sum);
                } else if (line.startsWith("BAD ") || line.startsWith("LATE ") || line.startsWith("WRONG ")) {
                    failures.add(describe(batch, current, line));
                    trace = 0;
                } else if (line.startsWith("\tat ") && trace++ < 8 && !failures.isEmpty()) {
                    // the first frames of a BAD step's stack trace, to say where the check is missing
                    failures.set(failures.size() - 1, failures.get(failures.size() - 1) + "\n" + line);
                }
            } while (!line.equals("DONE") && !line.startsWith("EOF "));
            if (!line.equals("DONE")) {
                throw new AssertionError(describe(batch, current, "the child ended without DONE (" + line + ")"
                        + crashReport(errors)));
            }
            assertThat(child.waitFor(CASE_TIMEOUT)).as("child exit code" + crashReport(errors)).isZero();
        }
        try (Stream<Path> crashes = Files.list(errors)) {
            assertThat(crashes).as("JVM crash reports of the child").isEmpty();
        }
        assertThat(failures).as("steps that were neither OK nor a typed StoreException").isEmpty();
        try (Stream<Path> walk = Files.walk(run)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    /**
     * The child's next line within {@link #CASE_TIMEOUT}; fails sooner when the child has died (a
     * crashed child prints nothing more, and waiting out the timeout would only slow the report).
     */
    private static String nextLine(ChildJvm child) {
        long deadline = System.nanoTime() + CASE_TIMEOUT.toNanos();
        while (true) {
            try {
                return child.nextLine(Duration.ofMillis(250));
            } catch (AssertionError none) {
                if (!child.process().isAlive()) {
                    // its last lines may still be on their way from the output file
                    return child.nextLine(Duration.ofSeconds(1));
                }
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("no output from the child within " + CASE_TIMEOUT, none);
                }
            }
        }
    }

    private static String describe(List<List<Mutation>> batch, int index, String what) {
        return "case " + index + " " + (index >= 0 ? batch.get(index) : "(before the first case)") + ": " + what;
    }

    private static String crashReport(Path errors) throws IOException {
        try (Stream<Path> files = Files.list(errors)) {
            List<Path> reports = files.collect(Collectors.toList());
            if (reports.isEmpty()) {
                return "";
            }
            List<String> report = Files.readAllLines(reports.get(0));
            List<String> head = new ArrayList<>(report.subList(0, Math.min(20, report.size())));
            // and the Java frames, which say which access of ours faulted
            int frames = report.indexOf("Java frames: (J=compiled Java code, j=interpreted, Vv=VM code)");
            if (frames >= 0) {
                head.addAll(report.subList(frames, Math.min(frames + 16, report.size())));
            }
            return "; crash report " + reports.get(0) + ":\n" + String.join("\n", head);
        }
    }
}
