package io.shmstore.store;

import io.shmstore.ChangeCursor;
import io.shmstore.ChangeListener;
import io.shmstore.ChangeType;
import io.shmstore.SharedStore;
import io.shmstore.reliability.Soak;
import io.shmstore.testing.Background;
import io.shmstore.testing.ChildJvm;
import io.shmstore.testing.ShmDirExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/** Several processes on one store: exact totals under contention, and writers killed mid-operation. */
@ExtendWith(ShmDirExtension.class)
class StoreProcessesTest {
    private static final Duration CHILD = Duration.ofSeconds(120);

    @Test
    void mergeIncrementsFromSeveralProcessesAddUpExactly() {
        int processes = 3;
        int rounds = 3000;
        int keys = 10;
        List<ChildJvm> children = new ArrayList<>();
        try (SharedStore<String, Long> store = StoreChild.counters("totals")) {
            for (int i = 0; i < processes; i++) {
                children.add(ChildJvm.start(StoreChild.class, "merge", "totals", Integer.toString(rounds), Integer.toString(keys)));
            }
            for (ChildJvm c : children) {
                c.expect("READY", CHILD);
            }
            children.forEach(c -> c.send("go"));
            for (int r = 0; r < rounds; r++) {
                store.compute("counter-" + (r % keys), (k, v) -> v == null ? 1L : v + 1);
            }
            for (ChildJvm c : children) {
                c.expect("DONE", CHILD);
                assertThat(c.waitFor(CHILD)).isZero();
            }
            long expectedPerKey = (long) (processes + 1) * rounds / keys;
            for (int k = 0; k < keys; k++) {
                assertThat(store.get("counter-" + k)).as("counter-" + k).isEqualTo(expectedPerKey);
            }
            assertThat(store.verify()).isEmpty();
        } finally {
            children.forEach(ChildJvm::close);
        }
    }

    /**
     * The crash loop: a writer JVM doing mixed writes (put, compute, putAll, remove) is killed with
     * SIGKILL at random moments while this JVM reads, writes other keys of the same segments and
     * follows the change feed. After every kill: {@code verify()} is clean, every acknowledged write is
     * there, the feed delivered contiguous, well-formed records, no read saw a torn value, and this
     * JVM's writer, blocked on a lock the dead writer held, got it ({@code ABANDONED}) and went on.
     * {@code -Dshmstore.soak=true} (the {@code soak} profile) kills hundreds of times.
     */
    @Test
    void writersKilledAtRandomMomentsLoseNoAcknowledgedWriteAndReadersNeverSeeTornValues() throws Exception {
        int kills = Soak.pick(12, 300);
        Random random = new Random(42);
        Map<Integer, Long> acked = new HashMap<>();
        AtomicLong reads = new AtomicLong();
        AtomicLong records = new AtomicLong();
        AtomicLong ownWrites = new AtomicLong();
        long nextSeq = 0;
        try (SharedStore<Integer, byte[]> store = StoreChild.churn("crash");
             Background background = new Background()) {
            background.start("reader", () -> {
                Random r = new Random(7);
                byte[] reuse = new byte[0];
                while (background.running()) {
                    byte[] v = store.getUsing(r.nextInt(StoreChild.KEYS), reuse);
                    if (v != null) {
                        reads.incrementAndGet();
                        if (StoreChild.check(v) < 0) {
                            throw new AssertionError("a reader saw a torn value of length " + v.length);
                        }
                        reuse = v;
                    }
                }
            });
            background.start("own-writer", () -> {
                // keys above the writer's range, in the same segments: this writer queues behind the
                // killed one's locks and must take them over
                for (long i = 0; background.running(); i++) {
                    store.put(StoreChild.KEYS + (int) (i % 64), StoreChild.value(1_000_000 + i));
                    ownWrites.incrementAndGet();
                }
            });
            background.start("feed-follower", () -> {
                try (ChangeCursor<Integer> cursor = store.changes().cursorFrom(0)) {
                    long[] expectedSeq = {0};
                    while (background.running() || cursor.nextSequence() <= store.changes().lastSequence()) {
                        if (!cursor.await(Duration.ofMillis(50))) {
                            continue;
                        }
                        cursor.poll(new ChangeListener<Integer>() {
                            @Override
                            public void onChange(long sequence, ChangeType type, Integer key) {
                                if (sequence != expectedSeq[0] || key == null || key < 0 || key >= StoreChild.KEYS + 64) {
                                    throw new AssertionError("feed record " + sequence + " (" + type + ", key " + key
                                            + ") after " + (expectedSeq[0] - 1));
                                }
                                expectedSeq[0] = sequence + 1;
                                records.incrementAndGet();
                            }

                            @Override
                            public void onLapped(long lost, long resumedAt) {
                                expectedSeq[0] = resumedAt;
                            }
                        });
                    }
                }
            });
            long recoveriesBefore = store.stats().recoveries();
            for (int k = 0; k < kills; k++) {
                background.check();
                long lastAck = -1;
                try (ChildJvm writer = ChildJvm.start(StoreChild.class, "writer", "crash", Long.toString(nextSeq))) {
                    writer.expect("STARTED", CHILD);
                    int runFor = 200 + random.nextInt(3000);
                    for (int i = 0; i < runFor; i++) {
                        String line = writer.nextLine(CHILD);
                        if (line.startsWith("ACK ")) {
                            lastAck = Long.parseLong(line.substring(4));
                        }
                    }
                    Thread.sleep(random.nextInt(5));
                    writer.kill();
                    String line;
                    while ((line = pollLine(writer)) != null) {
                        if (line.startsWith("ACK ")) {
                            lastAck = Long.parseLong(line.substring(4));
                        }
                    }
                }
                long started = nextSeq;
                for (long seq = nextSeq; seq <= lastAck; seq++) {
                    for (int key : StoreChild.keysOf(seq)) {
                        acked.put(key, StoreChild.isRemove(seq) ? null : seq);
                    }
                }
                long inFlight = lastAck + 1;
                List<String> problems = store.verify();
                assertThat(problems).as("verify after kill " + k).isEmpty();
                java.util.Set<Integer> inFlightKeys = new java.util.HashSet<>();
                for (int key : StoreChild.keysOf(inFlight)) {
                    inFlightKeys.add(key);
                }
                for (int key = 0; key < StoreChild.KEYS; key++) {
                    byte[] v = store.get(key);
                    Long expected = acked.get(key);
                    long found = v == null ? -1 : StoreChild.check(v);
                    if (inFlightKeys.contains(key)) {
                        long maybe = StoreChild.isRemove(inFlight) ? -1 : inFlight;
                        assertThat(found).as("key " + key + " (the operation in flight at the kill)")
                                .isIn(expected == null ? -1 : expected, maybe);
                        acked.put(key, found < 0 ? null : found);
                    } else {
                        assertThat(found).as("key " + key + " after kill " + k + " (operations " + started + " to "
                                + lastAck + " acknowledged)").isEqualTo(expected == null ? -1 : expected);
                    }
                }
                nextSeq = lastAck + 2;
            }
            background.stop();
            background.join(Duration.ofSeconds(30));
            // a writer killed for certain while it holds a lock: the waiting writer takes it over
            long beforeStall = store.stats().recoveries();
            try (ChildJvm staller = ChildJvm.start(StoreChild.class, "stall", "crash", "7")) {
                staller.expect("IN", CHILD);
                java.util.concurrent.CompletableFuture<byte[]> waiting = java.util.concurrent.CompletableFuture.supplyAsync(
                        () -> store.put(7, StoreChild.value(7_000_000)));
                Thread.sleep(100);
                assertThat(waiting).as("blocked behind the stalled writer's lock").isNotDone();
                staller.kill();
                waiting.get(30, java.util.concurrent.TimeUnit.SECONDS);
            }
            assertThat(store.stats().recoveries()).isEqualTo(beforeStall + 1);
            assertThat(StoreChild.check(store.get(7))).isEqualTo(7_000_000);
            long recoveries = store.stats().recoveries() - recoveriesBefore;
            assertThat(reads.get()).isPositive();
            assertThat(records.get()).isPositive();
            assertThat(ownWrites.get()).isPositive();
            assertThat(recoveries).as("segments taken over from a killed writer").isPositive();
            assertThat(store.verify()).isEmpty();
            System.out.println(kills + " writers killed; " + nextSeq + " operations; " + reads.get()
                    + " concurrent reads checked; " + records.get() + " feed records followed; " + ownWrites.get()
                    + " writes by this JVM; segment recoveries: " + recoveries);
        }
    }

    private static String pollLine(ChildJvm child) {
        try {
            return child.nextLine(Duration.ofMillis(200));
        } catch (AssertionError noMore) {
            return null;
        }
    }
}
