package io.shmstore.reliability;

import io.shmstore.SharedStore;
import io.shmstore.reliability.MapOp.Kind;
import io.shmstore.testing.ChildJvm;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.lifecycle.AddLifecycleHook;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * Random sequences of map operations (some run by a second process, some closing and reopening the
 * store) on a store and on a {@link ConcurrentHashMap}: every result and the final contents must agree.
 * jqwik shrinks a failing sequence to a minimal one, printed as calls, e.g.
 * {@code [put(3, v1), child.compute(3, v2), closeAndReopen(), get(3)]}.
 */
class StoreModelTest {
    private static final Duration CHILD = Duration.ofSeconds(60);
    private static final AtomicInteger STORES = new AtomicInteger();
    private static Path dir;
    private static ChildJvm child;

    /**
     * ShmDirExtension is a JUnit Jupiter extension, which jqwik does not run: the directory is made
     * here, once for the class, and each try uses a store name of its own.
     */
    @BeforeContainer
    static void startChild() throws IOException {
        Path base = Path.of("/dev/shm");
        dir = Files.isDirectory(base) && Files.isWritable(base)
                ? Files.createTempDirectory(base, "shmstore-model-")
                : Files.createTempDirectory("shmstore-model-");
        System.setProperty("shmstore.dir", dir.toString());
        // one child for every try: a JVM start costs half a second
        child = ChildJvm.start(ReliabilityChild.class, "model");
        child.expect("READY", CHILD);
    }

    @AfterContainer
    static void stopChild() throws IOException {
        if (child != null) {
            child.close();
        }
        System.clearProperty("shmstore.dir");
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    @Property(tries = 100, seed = "7193462211", maxDiscardRatio = 1)
    @AddLifecycleHook(Soak.NotInSoak.class)
    void aStoreUsedByTwoProcessesBehavesLikeAConcurrentHashMap(@ForAll("sequences") List<MapOp> ops) {
        check(ops);
    }

    @Property(tries = 2000, seed = "5081220937", maxDiscardRatio = 1)
    @AddLifecycleHook(Soak.OnlyInSoak.class)
    void soakAStoreUsedByTwoProcessesBehavesLikeAConcurrentHashMap(@ForAll("sequences") List<MapOp> ops) {
        check(ops);
    }

    private static void check(List<MapOp> ops) {
        String name = "model-" + STORES.incrementAndGet();
        SharedStore<Integer, String> store = ReliabilityChild.modelStore(name, true);
        ConcurrentHashMap<Integer, String> model = new ConcurrentHashMap<>();
        try {
            for (int i = 0; i < ops.size(); i++) {
                MapOp op = ops.get(i);
                if (op.kind() == Kind.REOPEN) {
                    store.close();
                    store = ReliabilityChild.modelStore(name, false);
                    continue;
                }
                String expected = op.apply(model);
                String actual = op.remote() ? remote(name, op) : local(store, op);
                if (!expected.equals(actual)) {
                    throw new AssertionError("operation " + i + ", " + op + ", returned " + actual
                            + " where a ConcurrentHashMap returns " + expected + "; the operations: " + ops.subList(0, i + 1));
                }
            }
            String contents = MapOp.contents(store);
            if (!contents.equals(MapOp.contents(model)) || store.size() != model.size()) {
                throw new AssertionError("after " + ops + " the store holds " + contents + " (size " + store.size()
                        + "), a ConcurrentHashMap " + MapOp.contents(model));
            }
            List<String> problems = store.verify();
            if (!problems.isEmpty()) {
                throw new AssertionError("after " + ops + " verify() found " + problems);
            }
        } finally {
            child.send("CLOSE " + name);
            child.expect("CLOSED", CHILD);
            if (store.isReadOnly() || !tryDestroy(store)) {
                ReliabilityChild.modelStore(name, false).destroy();
            }
        }
    }

    private static boolean tryDestroy(SharedStore<Integer, String> store) {
        try {
            store.destroy();
            return true;
        } catch (IllegalStateException closed) {
            return false; // the reopen in the sequence failed after the close
        }
    }

    private static String local(SharedStore<Integer, String> store, MapOp op) {
        try {
            return op.apply(store);
        } catch (RuntimeException e) {
            return "! " + e;
        }
    }

    private static String remote(String name, MapOp op) {
        child.send("OP " + name + " " + op.encode());
        String line = child.nextLine(CHILD);
        return line.startsWith("= ") ? line.substring(2) : line;
    }

    @Provide
    Arbitrary<List<MapOp>> sequences() {
        Arbitrary<Kind> kinds = Arbitraries.frequency(
                Tuple.of(8, Kind.PUT), Tuple.of(6, Kind.GET), Tuple.of(4, Kind.REMOVE), Tuple.of(4, Kind.PUT_IF_ABSENT),
                Tuple.of(3, Kind.REPLACE), Tuple.of(3, Kind.REPLACE_IF), Tuple.of(3, Kind.REMOVE_IF),
                Tuple.of(4, Kind.COMPUTE), Tuple.of(3, Kind.COMPUTE_IF_ABSENT), Tuple.of(3, Kind.COMPUTE_IF_PRESENT),
                Tuple.of(4, Kind.MERGE), Tuple.of(1, Kind.CLEAR), Tuple.of(2, Kind.SIZE), Tuple.of(2, Kind.CONTAINS_KEY),
                Tuple.of(2, Kind.ITERATE), Tuple.of(1, Kind.REOPEN));
        Arbitrary<Integer> keys = Arbitraries.integers().between(0, 15);
        Arbitrary<String> values = Arbitraries.of("v0", "v1", "v2", "xyz");
        Arbitrary<Boolean> remote = Arbitraries.frequency(Tuple.of(3, false), Tuple.of(1, true));
        Arbitrary<MapOp> op = Combinators.combine(kinds, keys, values, values, remote)
                .as((k, key, a, b, r) -> new MapOp(k, key, a, b, r && k != Kind.REOPEN));
        return op.list().ofMinSize(1).ofMaxSize(60);
    }
}
