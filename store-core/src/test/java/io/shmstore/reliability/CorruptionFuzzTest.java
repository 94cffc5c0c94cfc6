package io.shmstore.reliability;

import io.shmstore.internal.store.SegmentLayout;
import io.shmstore.reliability.CorruptionCorpus.LiveSlot;
import io.shmstore.reliability.CorruptionRun.Case;
import io.shmstore.reliability.Mutation.SetField;
import io.shmstore.reliability.Mutation.SlotChunk;
import io.shmstore.reliability.Mutation.TruncateWhileOpen;
import net.jqwik.api.Example;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Damaged copies of real stores (see {@link CorruptionCorpus}: one to four segments, rejecting,
 * evicting and expiring, with tombstones and a wrapped change feed) are opened and walked in child
 * JVMs by {@link CorruptionChild}, which goes on after every typed error and takes each copy through
 * gets, iteration, compute and merge, thousands of puts past capacity (eviction, expiry purges),
 * removing every key (rehash), more puts, {@code verify()} and a change-feed poll. Every step must
 * answer consistently or throw a typed {@code StoreException}; no child may crash (hs_err file, exit
 * code), hang, or read values that were never written. The walks must also reach the cold paths
 * (rehash, eviction, expiry purge, recovery of a dead writer's segment): the test counts, through
 * {@code io.shmstore.internal.store.Probes}, how many cases reached each, and fails when one is not
 * reached, so that the fuzz cannot silently stop exercising them.
 *
 * <p>The damage: bytes flipped, ranges zeroed, random runs of bytes written into a segment, known
 * fields set to extremes, and aimed at the engine's structures: slot chunk numbers (0x7FFFFEFF, -2,
 * the chunk count, another entry's chunk...), entry key and value lengths (negative, huge, one byte
 * past the segment), chunk bitmap words, the active-table index, the entry, tombstone and used-chunk
 * counts, the allocation cursor, tombstones made live, a lock left by a dead writer, and the file
 * truncated. The cases are drawn from a fixed seed ({@code -Dshmstore.fuzz.seed} picks another) and a
 * failing case is reported with its store and mutations, the step it failed in and, for a crash, the
 * hs_err file's problematic frame. {@code -Dshmstore.soak=true} runs 2,000 cases instead of 200.
 */
class CorruptionFuzzTest {
    private static final int CASES = Soak.pick(200, 2_000);
    /** Puts past capacity in each walk: enough to evict and purge many times over in the small stores. */
    private static final int PUTS = Soak.pick(1_500, 3_000);
    private static final long SEED = Long.getLong("shmstore.fuzz.seed", 20261124L);

    private static Path dir;
    private static List<CorruptionCorpus> corpora;

    @BeforeContainer
    static void buildTheStores() throws IOException {
        Path base = Path.of("/dev/shm");
        dir = Files.isDirectory(base) && Files.isWritable(base)
                ? Files.createTempDirectory(base, "shmstore-fuzz-")
                : Files.createTempDirectory("shmstore-fuzz-");
        corpora = CorruptionCorpus.buildAll(dir);
    }

    @AfterContainer
    static void removeTheDirectory() throws IOException {
        if (dir != null) {
            try (Stream<Path> walk = Files.walk(dir)) {
                walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    @Example
    void damagedCopiesGiveTypedErrorsOrConsistentAnswersNeverCrashes() throws Exception {
        Random r = new Random(SEED);
        List<Case> cases = new ArrayList<>();
        for (int i = 0; i < CASES; i++) {
            CorruptionCorpus c = corpora.get(r.nextInt(corpora.size()));
            List<Mutation> mutations = new ArrayList<>();
            for (int m = 1 + r.nextInt(3); m > 0; m--) {
                mutations.add(c.randomMutation(r));
            }
            cases.add(new Case(i, c, List.copyOf(mutations)));
        }
        CorruptionRun run = run(cases, "corruption fuzz, seed " + SEED, List.of());
        // each store reaches some of the paths only (eviction needs EVICT, purges an expiry, recovery a
        // dead lock owner among the mutations), and damage to the header or the file's length stops a
        // walk early: with bounds checks added to those paths, the rarest (recovery) was reached by 25 of
        // 200 cases
        for (String path : CorruptionRun.PATHS) {
            assertThat(run.reached(path)).as("cases that reached %s (at least 5%% of %d)", path, CASES)
                    .isGreaterThanOrEqualTo(CASES / 20);
        }
    }

    /**
     * Issue 13: a slot whose chunk number is out of range (0x7FFFFEFF, -2, the chunk count), or is the
     * last chunk (in range, but no entry starts there), crashed the JVM in the paths taken with the lock
     * held (rehash, eviction, expiry purge, the freeing of an entry), which the lock-free read path's
     * bounds checks did not guard. One slot of each store, walked through all of them.
     */
    @Example
    void aSlotWithAChunkNumberOutOfRangeIsWalkedThroughEveryPathWithoutACrash() throws Exception {
        List<Case> cases = new ArrayList<>();
        for (CorruptionCorpus c : corpora) {
            LiveSlot slot = c.geometry().live().get(c.geometry().live().size() / 2);
            int chunks = c.geometry().chunks(slot);
            for (int chunk : new int[]{0x7FFF_FEFF, -2, chunks, chunks - 1}) {
                cases.add(new Case(cases.size(), c, List.of(new SlotChunk(slot, chunk))));
            }
        }
        CorruptionRun run = run(cases, "out-of-range slot chunk numbers", List.of());
        for (String path : List.of("rehash", "eviction", "purge")) {
            assertThat(run.reached(path)).as("cases that reached %s", path).isPositive();
        }
    }

    /** Found by the soak run: a reader of a segment whose counter was negative spun for ever. */
    @Example
    void aNegativeSeqlockCounterIsCorruptionNotAnEndlessRead() throws Exception {
        CorruptionCorpus c = corpora.get(0);
        CorruptionCorpus.Field seqlock = c.field("segment 1 seqlock");
        List<Case> cases = new ArrayList<>();
        for (long value : new long[]{Integer.MIN_VALUE, -1L, Long.MIN_VALUE, -2L}) {
            cases.add(new Case(cases.size(), c, List.of(new SetField(seqlock, value))));
        }
        run(cases, "negative seqlock counters", List.of());
    }

    /**
     * Found by the soak run: put into a segment whose active-table index was damaged leaked an internal
     * exception. Now the table word: an index other than 0 and 1, and slot counts past the table's room.
     */
    @Example
    void aDamagedTableWordIsCorruptionForWritersToo() throws Exception {
        CorruptionCorpus c = corpora.get(0);
        List<Case> cases = new ArrayList<>();
        for (long word : new long[]{SegmentLayout.tableWord(Integer.MAX_VALUE, 64), SegmentLayout.tableWord(0, Integer.MAX_VALUE),
                SegmentLayout.tableWord(1, 0), -1L}) {
            List<Mutation> everySegment = c.knownFields().stream().filter(f -> f.what().endsWith(" table word"))
                    .map(f -> (Mutation) new SetField(f, word)).toList();
            assertThat(everySegment).hasSize(4);
            cases.add(new Case(cases.size(), c, everySegment));
        }
        run(cases, "damaged table words", List.of());
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
        CorruptionCorpus c = corpora.get(0);
        List<CorruptionRun> runs = new ArrayList<>();
        for (List<String> mode : List.of(List.of("-Xint"), List.<String>of(), List.of("-XX:TieredStopAtLevel=4"))) {
            int warmUp = mode.isEmpty() || mode.get(0).equals("-Xint") ? 0 : 40_000;
            List<Case> cases = new ArrayList<>();
            for (int permille : new int[]{999, 700, 150, 20, 0}) {
                long length = (long) c.pristine().length * permille / 1000;
                cases.add(new Case(cases.size(), c, List.of(new TruncateWhileOpen(length, warmUp))));
            }
            runs.add(walk(cases, "truncated while open " + mode, mode));
        }
        assertPassed("a file truncated while open", runs);
    }

    /** Runs the cases; fails, naming each failing case, unless every one of them passed. */
    private static CorruptionRun run(List<Case> cases, String what, List<String> jvmFlags) throws IOException {
        CorruptionRun run = walk(cases, what, jvmFlags);
        assertPassed(what, List.of(run));
        return run;
    }

    private static CorruptionRun walk(List<Case> cases, String what, List<String> jvmFlags) throws IOException {
        CorruptionRun run = new CorruptionRun(dir, what, PUTS, jvmFlags).run(cases);
        System.out.println("CorruptionFuzzTest, " + run.summary());
        return run;
    }

    private static void assertPassed(String what, List<CorruptionRun> runs) {
        assertThat(runs.stream().flatMap(r -> r.failures().stream()).toList())
                .as("%s: cases whose walk crashed, hung, or gave an answer that was neither consistent nor a typed"
                        + " StoreException", what).isEmpty();
    }
}
