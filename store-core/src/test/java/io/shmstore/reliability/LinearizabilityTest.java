package io.shmstore.reliability;

import io.shmstore.SharedStore;
import io.shmstore.reliability.History.Event;
import io.shmstore.reliability.History.Kind;
import io.shmstore.testing.ChildJvm;
import io.shmstore.testing.ShmDirExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Threads of this process and a child process run random single-key operations concurrently on one
 * store; the recorded history must be linearizable, key by key, against a single register.
 */
@ExtendWith(ShmDirExtension.class)
class LinearizabilityTest {
    private static final Duration CHILD = Duration.ofSeconds(60);
    private static final int THREADS = 3;
    private static final int KEYS = 4;
    /** Per worker per round: about 8 per key, so a key's sub-history has about 32 operations. */
    private static final int OPS = 32;

    @Test
    void concurrentOperationsFromThreadsAndAnotherProcessAreLinearizablePerKey() throws Exception {
        int rounds = Soak.pick(40, 1500);
        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        long checked = 0;
        long overlapping = 0;
        try (SharedStore<Integer, Long> store = ReliabilityChild.counters("linear", true);
             ChildJvm child = ChildJvm.start(ReliabilityChild.class, "linear")) {
            child.expect("READY", CHILD);
            for (int round = 0; round < rounds; round++) {
                int firstKey = round * KEYS; // fresh keys each round: every register starts empty
                // the child reads its line, and opens the store in the first round, within this margin
                long start = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(round == 0 ? 300 : 5);
                child.send("ROUND linear " + start + " " + (round * 1000L + 999) + " " + firstKey + " " + KEYS + " " + OPS);
                List<Future<List<Event>>> workers = new ArrayList<>();
                for (int t = 0; t < THREADS; t++) {
                    int worker = t;
                    long seed = round * 1000L + t;
                    workers.add(pool.submit(() -> runWorker(store, worker, seed, firstKey, KEYS, OPS, start)));
                }
                List<Event> history = new ArrayList<>();
                for (Future<List<Event>> w : workers) {
                    history.addAll(w.get(60, TimeUnit.SECONDS));
                }
                String line;
                while (!(line = child.nextLine(CHILD)).equals("END")) {
                    if (line.startsWith("H ")) {
                        history.add(Event.decode(line.substring(2)));
                    }
                }
                assertThat(history).hasSize((THREADS + 1) * OPS);
                Map<Integer, List<Event>> byKey = history.stream().collect(Collectors.groupingBy(Event::key, TreeMap::new, Collectors.toList()));
                for (Map.Entry<Integer, List<Event>> k : byKey.entrySet()) {
                    assertThat(History.isLinearizable(k.getValue()))
                            .as("round %d: no linearization of key %d's history:%n%s", round, k.getKey(), describe(k.getValue()))
                            .isTrue();
                    checked += k.getValue().size();
                    overlapping += overlapping(k.getValue());
                }
            }
            assertThat(store.verify()).isEmpty();
        } finally {
            pool.shutdownNow();
        }
        // without overlap between workers the check would be of sequential histories only
        assertThat(overlapping).as("operations overlapping another worker's on the same key").isPositive();
        System.out.println(rounds + " rounds, " + checked + " operations checked for linearizability, "
                + overlapping + " of them overlapping another worker's operation on the same key");
    }

    private static long overlapping(List<Event> events) {
        return events.stream().filter(e -> events.stream().anyMatch(o -> o.worker() != e.worker()
                && o.invoke() < e.response() && e.invoke() < o.response())).count();
    }

    /**
     * One worker's operations, from the common {@code start} instant (spun on, so that every worker
     * begins together, in this process or another).
     */
    static List<Event> runWorker(SharedStore<Integer, Long> store, int worker, long seed, int firstKey, int keys,
                                 int ops, long start) {
        Random random = new Random(seed);
        Kind[] kinds = Kind.values();
        List<Event> events = new ArrayList<>(ops);
        while (System.nanoTime() < start) {
            Thread.onSpinWait();
        }
        for (int i = 0; i < ops; i++) {
            int key = firstKey + random.nextInt(keys);
            Kind kind = kinds[random.nextInt(kinds.length)];
            // distinct written values, so a read tells which write it saw
            long arg = kind == Kind.MERGE || kind == Kind.COMPUTE ? 1 + random.nextInt(3) : worker * 1_000_000L + i * 10L + 5;
            long invoke = System.nanoTime();
            Long result = switch (kind) {
                case PUT -> store.put(key, arg);
                case GET -> store.get(key);
                case REMOVE -> store.remove(key);
                case PUT_IF_ABSENT -> store.putIfAbsent(key, arg);
                case MERGE -> store.merge(key, arg, Long::sum);
                case COMPUTE -> store.compute(key, (k, v) -> History.computeFunction(v, arg));
            };
            long response = System.nanoTime();
            events.add(new Event(worker, kind, key, arg, result, invoke, response));
        }
        return events;
    }

    private static String describe(List<Event> events) {
        long origin = events.stream().mapToLong(Event::invoke).min().orElse(0);
        return events.stream().sorted(Comparator.comparingLong(Event::invoke)).map(e -> "  " + e.describe(origin))
                .collect(Collectors.joining(System.lineSeparator()));
    }

    // The checker itself: it must reject what is not linearizable, or the test above could not fail.

    private static Event ev(int worker, Kind kind, long arg, Long result, long invoke, long response) {
        return new Event(worker, kind, 0, arg, result, invoke, response);
    }

    @Test
    void checkerRejectsAReadThatMissesAWriteWhichReturnedBeforeTheReadBegan() {
        List<Event> h = List.of(
                ev(0, Kind.PUT, 7, null, 0, 10),
                ev(1, Kind.GET, 0, null, 20, 30));
        assertThat(History.isLinearizable(h)).isFalse();
    }

    @Test
    void checkerRejectsALostIncrement() {
        // two concurrent merges both saw the empty register: the classic lost update of a non-atomic merge
        List<Event> h = List.of(
                ev(0, Kind.MERGE, 1, 1L, 0, 50),
                ev(1, Kind.MERGE, 1, 1L, 10, 60),
                ev(2, Kind.GET, 0, 1L, 100, 110));
        assertThat(History.isLinearizable(h)).isFalse();
    }

    @Test
    void checkerRejectsTwoPutIfAbsentsThatBothWon() {
        List<Event> h = List.of(
                ev(0, Kind.PUT_IF_ABSENT, 5, null, 0, 50),
                ev(1, Kind.PUT_IF_ABSENT, 6, null, 10, 60));
        assertThat(History.isLinearizable(h)).isFalse();
    }

    @Test
    void checkerAcceptsOverlappingOperationsInTheOrderThatExplainsTheirResults() {
        // the get overlaps the put and saw it, the remove came after both; the first merge began the
        // history but took effect after the remove
        List<Event> h = List.of(
                ev(2, Kind.MERGE, 1, 1L, 0, 1000),
                ev(0, Kind.PUT, 7, null, 10, 100),
                ev(1, Kind.GET, 0, 7L, 20, 30),
                ev(1, Kind.REMOVE, 0, 7L, 200, 300),
                ev(0, Kind.GET, 0, 1L, 1100, 1200));
        assertThat(History.isLinearizable(h)).isTrue();
    }

    @Test
    void checkerAcceptsAReadOfTheOldValueWhileTheWriteIsStillRunning() {
        List<Event> h = List.of(
                ev(0, Kind.PUT, 3, null, 0, 10),
                ev(0, Kind.PUT, 4, 3L, 20, 100),
                ev(1, Kind.GET, 0, 3L, 30, 40),
                ev(1, Kind.GET, 0, 4L, 50, 60),
                ev(2, Kind.COMPUTE, 1, 5L, 110, 120));
        assertThat(History.isLinearizable(h)).isTrue();
    }

    @Test
    void checkerRejectsAReadThatGoesBackToAnOlderValue() {
        List<Event> h = List.of(
                ev(0, Kind.PUT, 3, null, 0, 10),
                ev(0, Kind.PUT, 4, 3L, 20, 100),
                ev(1, Kind.GET, 0, 4L, 30, 40),
                ev(1, Kind.GET, 0, 3L, 50, 60));
        assertThat(History.isLinearizable(h)).isFalse();
    }
}
