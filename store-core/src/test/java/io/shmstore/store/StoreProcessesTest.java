package io.shmstore.store;

import io.shmstore.SharedStore;
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
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

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

    @Test
    void writersKilledAtRandomMomentsLoseNoAcknowledgedWriteAndReadersNeverSeeTornValues() throws Exception {
        int kills = Integer.getInteger("shmstore.test.kills", 12);
        Random random = new Random(42);
        Map<Integer, Long> acked = new HashMap<>();
        AtomicBoolean reading = new AtomicBoolean(true);
        AtomicLong reads = new AtomicLong();
        AtomicReference<String> torn = new AtomicReference<>();
        long nextSeq = 0;
        try (SharedStore<Integer, byte[]> store = StoreChild.churn("crash")) {
            Thread reader = new Thread(() -> {
                Random r = new Random(7);
                byte[] reuse = new byte[0];
                while (reading.get()) {
                    byte[] v = store.getUsing(r.nextInt(StoreChild.KEYS), reuse);
                    if (v != null) {
                        reads.incrementAndGet();
                        if (StoreChild.check(v) < 0 && torn.get() == null) {
                            torn.set("torn value of length " + v.length);
                        }
                        reuse = v;
                    }
                }
            }, "reader");
            reader.start();
            long recoveriesBefore = store.stats().recoveries();
            for (int k = 0; k < kills; k++) {
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
                    acked.put(StoreChild.keyOf(seq), StoreChild.isRemove(seq) ? null : seq);
                }
                long inFlight = lastAck + 1;
                List<String> problems = store.verify();
                assertThat(problems).as("verify after kill " + k).isEmpty();
                for (int key = 0; key < StoreChild.KEYS; key++) {
                    byte[] v = store.get(key);
                    Long expected = acked.get(key);
                    long found = v == null ? -1 : StoreChild.check(v);
                    if (key == StoreChild.keyOf(inFlight)) {
                        long maybe = StoreChild.isRemove(inFlight) ? -1 : inFlight;
                        assertThat(found).as("key " + key + " (the operation in flight at the kill)")
                                .isIn(expected == null ? -1 : expected, maybe);
                    } else {
                        assertThat(found).as("key " + key + " after kill " + k + " (operations " + started + " to "
                                + lastAck + " acknowledged)").isEqualTo(expected == null ? -1 : expected);
                    }
                }
                nextSeq = lastAck + 2;
                // the in-flight operation's outcome is now whatever the store says
                byte[] now = store.get(StoreChild.keyOf(inFlight));
                acked.put(StoreChild.keyOf(inFlight), now == null ? null : StoreChild.check(now));
            }
            reading.set(false);
            reader.join();
            assertThat(torn.get()).as("a reader saw a torn value").isNull();
            assertThat(reads.get()).isPositive();
            System.out.println(kills + " writers killed; " + nextSeq + " operations; " + reads.get()
                    + " concurrent reads checked; segment recoveries: " + (store.stats().recoveries() - recoveriesBefore));
        } finally {
            reading.set(false);
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
