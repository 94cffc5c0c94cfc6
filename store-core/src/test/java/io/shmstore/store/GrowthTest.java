package io.shmstore.store;

import io.shmstore.FullPolicy;
import io.shmstore.IncompatibleStoreException;
import io.shmstore.SharedStore;
import io.shmstore.StoreStats;
import io.shmstore.reliability.Soak;
import io.shmstore.testing.Background;
import io.shmstore.testing.ChildJvm;
import io.shmstore.testing.ShmDirExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Stores that grow online: past their configured entries, for values far above the declared average,
 * while other processes read and write them, and with writers killed in the middle of a growth.
 */
@ExtendWith(ShmDirExtension.class)
class GrowthTest {
    private static final Duration CHILD = Duration.ofSeconds(120);

    @Test
    void putsPastTheConfiguredEntriesGrowTheStoreUpToEightTimesByDefault() {
        try (SharedStore<String, byte[]> s = SharedStore.of(String.class, byte[].class).name("past").entries(1_000)
                .averageKeySize(8).averageValueSize(64).create()) {
            long before = s.stats().bytesReserved();
            for (int i = 0; i < 7_500; i++) {
                s.put("g-" + i, GrowthChild.value(i));
            }
            StoreStats st = s.stats();
            assertThat(st.entries()).isEqualTo(7_500);
            assertThat(st.growths()).isPositive();
            assertThat(st.bytesReserved()).as("reserved after growing").isGreaterThan(before);
            for (int i = 0; i < 7_500; i++) {
                assertThat(s.get("g-" + i)).as("g-" + i).isEqualTo(GrowthChild.value(i));
            }
            assertThat(s.verify()).isEmpty();
        }
    }

    @Test
    void valuesSixTimesTheDeclaredAverageFitTheConfiguredEntries() {
        try (SharedStore<Integer, byte[]> s = SharedStore.of(Integer.class, byte[].class).name("large").entries(100)
                .averageValueSize(100).create()) {
            for (int i = 0; i < 100; i++) {
                s.put(i, new byte[600]);
            }
            assertThat(s.size()).isEqualTo(100);
            assertThat(s.stats().growths()).isPositive();
            assertThat(s.verify()).isEmpty();
        }
    }

    @Test
    void anEvictingStoreEvictsRatherThanGrowsAndGrowsOnlyForWhatEvictionCannotFit() {
        try (SharedStore<Integer, byte[]> s = SharedStore.of(Integer.class, byte[].class).name("cache").entries(100)
                .averageValueSize(100).segments(1).fullPolicy(FullPolicy.EVICT).create()) {
            for (int i = 0; i < 1_000; i++) {
                s.put(i, new byte[100]);
            }
            assertThat(s.stats().evictions()).isPositive();
            assertThat(s.size()).isLessThan(200);
            long growths = s.stats().growths();
            s.put(-1, new byte[64_000]);
            assertThat(s.get(-1)).hasSize(64_000);
            assertThat(s.stats().growths()).as("an entry larger than the whole initial data").isGreaterThan(growths);
        }
    }

    @Test
    void anOpenerAskingForMoreThanTheStoreMayGrowToIsToldSo() {
        try (SharedStore<String, String> s = SharedStore.of(String.class, String.class).name("asked").entries(100)
                .create()) {
            s.put("k", "v");
            try (SharedStore<String, String> within = SharedStore.of(String.class, String.class).name("asked")
                    .entries(800).open()) {
                assertThat(within.get("k")).as("800 is within the 8 times 100 it may grow to").isEqualTo("v");
            }
            assertThatThrownBy(() -> SharedStore.of(String.class, String.class).name("asked").entries(801).open())
                    .isInstanceOf(IncompatibleStoreException.class).hasMessageContaining("801")
                    .hasMessageContaining("800").hasMessageContaining("maxEntries(801)");
            assertThatThrownBy(() -> SharedStore.of(String.class, String.class).name("asked").maxEntries(5_000).open())
                    .isInstanceOf(IncompatibleStoreException.class).hasMessageContaining("5000");
            assertThat(s.get("k")).isEqualTo("v");
        }
    }

    /**
     * One process grows the store (puts of new keys, a third of them six times the average size),
     * another writes and reads back its own keys, and this one reads every key the grower has
     * acknowledged, all the time: every process sees every entry through every growth.
     */
    @Test
    void oneProcessGrowsTheStoreWhileOthersReadAndWriteIt() throws Exception {
        int grown = 14_000;
        int mixed = 1_000;
        AtomicLong acked = new AtomicLong(-1);
        AtomicLong reads = new AtomicLong();
        try (SharedStore<String, byte[]> store = GrowthChild.sharedStore("together");
             Background background = new Background();
             ChildJvm grower = ChildJvm.start(GrowthChild.class, "grow", "together", "0", Integer.toString(grown), "false");
             ChildJvm writer = ChildJvm.start(GrowthChild.class, "mixed", "together", "m", Integer.toString(mixed))) {
            grower.expect("STARTED", CHILD);
            writer.expect("STARTED", CHILD);
            background.start("reader", () -> {
                Random r = new Random(1);
                while (background.running()) {
                    long upTo = acked.get();
                    if (upTo < 0) {
                        Thread.onSpinWait();
                        continue;
                    }
                    long i = upTo - r.nextInt((int) Math.min(upTo + 1, 64));
                    long j = (long) (r.nextDouble() * (upTo + 1));
                    for (long k : new long[]{i, j}) {
                        byte[] v = store.get("g-" + k);
                        if (v == null || !java.util.Arrays.equals(v, GrowthChild.value(k))) {
                            throw new AssertionError("g-" + k + " (acknowledged) read as "
                                    + (v == null ? "absent" : v.length + " bytes"));
                        }
                        reads.incrementAndGet();
                    }
                }
            });
            String line;
            while (!(line = grower.nextLine(CHILD)).startsWith("DONE")) {
                if (line.startsWith("ACK ")) {
                    acked.set(Long.parseLong(line.substring(4)));
                }
                background.check();
            }
            String done = writer.expect("DONE", CHILD);
            assertThat(done).as("wrong reads in the writing process").isEqualTo("0");
            assertThat(grower.waitFor(CHILD)).isZero();
            assertThat(writer.waitFor(CHILD)).isZero();
            background.stop();
            background.join(Duration.ofSeconds(30));
            assertThat(reads.get()).as("reads of acknowledged keys while the store grew").isPositive();
            assertThat(store.size()).isEqualTo(grown + mixed);
            assertThat(store.stats().growths()).as("growths in the store's counters").isPositive();
            for (int i = 0; i < grown; i++) {
                assertThat(store.get("g-" + i)).as("g-" + i).isEqualTo(GrowthChild.value(i));
            }
            for (int i = 0; i < mixed; i++) {
                assertThat(store.get("m-" + i)).as("m-" + i).isEqualTo(GrowthChild.value(i));
            }
            assertThat(store.verify()).isEmpty();
        }
    }

    /**
     * A writer SIGKILLed as soon as it starts a growth (of the data or of the table: a rehash into the
     * inactive table), again and again: no acknowledged write is lost, the next writer completes or
     * undoes the growth, and the store verifies clean. The kill comes after the grower announces the
     * growth, so most land inside it; a kill that lands inside is told by the store's growth counter,
     * which a growth bumps last.
     */
    @Test
    void aWriterKilledMidGrowthLosesNoAcknowledgedWrite() throws Exception {
        int stores = Soak.pick(1, 8);
        int inside = 0;
        int kills = 0;
        Random random = new Random(11);
        for (int g = 0; g < stores; g++) {
            String name = "crash-growth-" + g;
            try (SharedStore<String, byte[]> store = GrowthChild.crashStore(name)) {
                long next = 0;
                // the puts in flight at earlier kills that did not happen
                java.util.Set<Long> neverHappened = new java.util.HashSet<>();
                // at least five kills, each at the first or second growth of a new writer, and more (up to
                // twenty) until one lands inside a growth: a data growth reserves a sixteenth more pages
                // and is over in tens of microseconds, a table growth rehashes and takes milliseconds
                int landedBefore = inside;
                for (int k = 0; k < 5 || (inside == landedBefore && k < 20); k++, kills++) {
                    long lastAck = next - 1;
                    long growthsAtStart;
                    long announced;
                    try (ChildJvm grower = ChildJvm.start(GrowthChild.class, "grow", name, Long.toString(next),
                            Long.toString(Long.MAX_VALUE / 2), "true")) {
                        growthsAtStart = Long.parseLong(grower.expect("STARTED", CHILD));
                        int skip = random.nextInt(2);
                        String line;
                        while (true) {
                            line = grower.nextLine(CHILD);
                            if (line.startsWith("ACK ")) {
                                lastAck = Long.parseLong(line.substring(4));
                            } else if (line.startsWith("GROWING ") && skip-- == 0) {
                                break;
                            }
                        }
                        grower.kill();
                        announced = Long.parseLong(line.substring("GROWING ".length()));
                        while ((line = pollLine(grower)) != null) {
                            if (line.startsWith("ACK ")) {
                                lastAck = Long.parseLong(line.substring(4));
                            }
                        }
                    }
                    if (store.stats().growths() < growthsAtStart + announced) {
                        inside++;
                    }
                    assertThat(store.verify()).as("verify after kill " + k + " of " + name).isEmpty();
                    for (long i = 0; i <= lastAck; i++) {
                        byte[] v = store.get("g-" + i);
                        if (neverHappened.contains(i) ? v != null : v == null || !java.util.Arrays.equals(v, GrowthChild.value(i))) {
                            throw new AssertionError("g-" + i + " (" + (neverHappened.contains(i) ? "in flight at an earlier kill"
                                    + " and then absent" : "acknowledged") + " before kill " + k + " of " + name + ") read as "
                                    + (v == null ? "absent" : v.length + " bytes"));
                        }
                    }
                    long inFlight = lastAck + 1;
                    byte[] maybe = store.get("g-" + inFlight);
                    assertThat(maybe == null || java.util.Arrays.equals(maybe, GrowthChild.value(inFlight)))
                            .as("the put in flight at the kill, g-" + inFlight + ", is absent or whole").isTrue();
                    if (maybe == null) {
                        neverHappened.add(inFlight);
                    }
                    store.put("after-" + k, GrowthChild.value(k));
                    assertThat(store.get("after-" + k)).isEqualTo(GrowthChild.value(k));
                    next = inFlight + 1;
                }
                assertThat(store.verify()).isEmpty();
                System.out.println(name + ": " + next + " puts; growths " + store.stats().growths() + ", recoveries "
                        + store.stats().recoveries());
            }
        }
        assertThat(inside).as("kills that landed inside a growth, of " + kills).isPositive();
        System.out.println(kills + " growers killed, " + inside + " inside a growth");
    }

    private static String pollLine(ChildJvm child) {
        try {
            return child.nextLine(Duration.ofMillis(200));
        } catch (AssertionError noMore) {
            return null;
        }
    }
}
