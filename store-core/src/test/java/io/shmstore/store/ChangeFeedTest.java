package io.shmstore.store;

import io.shmstore.ChangeCursor;
import io.shmstore.ChangeListener;
import io.shmstore.ChangeType;
import io.shmstore.FullPolicy;
import io.shmstore.SharedStore;
import io.shmstore.StoreInspector;
import io.shmstore.internal.store.FeedLayout;
import io.shmstore.memory.MemoryView;
import io.shmstore.memory.Processes;
import io.shmstore.memory.SharedMemory;
import io.shmstore.testing.ChildJvm;
import io.shmstore.testing.ShmDirExtension;
import org.junit.jupiter.api.Test;
import net.openhft.chronicle.bytes.BytesStore;
import org.junit.jupiter.api.extension.ExtendWith;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

@ExtendWith(ShmDirExtension.class)
class ChangeFeedTest {
    private static final Duration CHILD = Duration.ofSeconds(60);

    record Change(long sequence, ChangeType type, String key) {
    }

    private static List<Change> drain(ChangeCursor<String> cursor, long[] lapped) {
        List<Change> out = new ArrayList<>();
        cursor.poll(new ChangeListener<String>() {
            @Override
            public void onChange(long sequence, ChangeType type, String key) {
                out.add(new Change(sequence, type, key));
            }

            @Override
            public void onLapped(long lost, long resumedAt) {
                lapped[0] += lost;
                lapped[1] = resumedAt;
            }
        });
        return out;
    }

    @Test
    void everyChangeIsRecordedInOrderWithItsKey() {
        try (SharedStore<String, String> s = SharedStore.of(String.class, String.class).name("feed").entries(100).create();
             ChangeCursor<String> cursor = s.changes().cursor()) {
            assertThat(s.changes().lastSequence()).isEqualTo(-1);
            s.put("a", "1");
            s.put("b", "2");
            s.put("a", "3");
            s.remove("b");
            s.remove("missing");
            s.clear();
            List<Change> seen = drain(cursor, new long[2]);
            assertThat(seen).containsExactly(new Change(0, ChangeType.PUT, "a"), new Change(1, ChangeType.PUT, "b"),
                    new Change(2, ChangeType.PUT, "a"), new Change(3, ChangeType.REMOVE, "b"),
                    new Change(4, ChangeType.CLEAR, null));
            assertThat(s.changes().lastSequence()).isEqualTo(4);
            assertThat(cursor.nextSequence()).isEqualTo(5);
            try (ChangeCursor<String> replay = s.changes().cursorFrom(3)) {
                assertThat(drain(replay, new long[2])).extracting(Change::sequence).containsExactly(3L, 4L);
            }
        }
    }

    @Test
    void aLappedConsumerIsToldHowMuchItLost() {
        try (SharedStore<Integer, Integer> s = SharedStore.of(Integer.class, Integer.class).name("lap").entries(1000)
                .changeFeedCapacity(64).create();
             ChangeCursor<Integer> cursor = s.changes().cursor()) {
            for (int i = 0; i < 200; i++) {
                s.put(i, i);
            }
            long[] lapped = new long[2];
            List<Long> seqs = new ArrayList<>();
            cursor.poll(new ChangeListener<Integer>() {
                @Override
                public void onChange(long sequence, ChangeType type, Integer key) {
                    seqs.add(sequence);
                }

                @Override
                public void onLapped(long lost, long resumedAt) {
                    lapped[0] += lost;
                    lapped[1] = resumedAt;
                }
            });
            assertThat(lapped[0]).isEqualTo(136);
            assertThat(lapped[1]).isEqualTo(136);
            assertThat(cursor.lost()).isEqualTo(136);
            assertThat(seqs).hasSize(64).startsWith(136L).endsWith(199L);
        }
    }

    @Test
    void expiryAndEvictionAreRecorded() throws InterruptedException {
        try (SharedStore<Integer, byte[]> s = SharedStore.of(Integer.class, byte[].class).name("evict").entries(100)
                .averageValueSize(100).segments(1).fullPolicy(FullPolicy.EVICT).create();
             ChangeCursor<Integer> cursor = s.changes().cursor()) {
            for (int i = 0; i < 1000; i++) {
                s.put(i, new byte[100]);
            }
            List<ChangeType> types = new ArrayList<>();
            cursor.poll((seq, type, key) -> types.add(type));
            assertThat(types).contains(ChangeType.EVICT, ChangeType.PUT);
        }
        try (SharedStore<String, String> s = SharedStore.of(String.class, String.class).name("expire").entries(100)
                .expireAfterWrite(Duration.ofMillis(300)).create();
             ChangeCursor<String> cursor = s.changes().cursor()) {
            // 300 ms: long enough that a loaded machine does not expire "a" between its put and its remove
            s.put("a", "1");
            Thread.sleep(400);
            s.put("a", "2");
            s.remove("a");
            assertThat(drain(cursor, new long[2])).extracting(Change::type)
                    .containsExactly(ChangeType.PUT, ChangeType.PUT, ChangeType.REMOVE);
            s.put("b", "1");
            Thread.sleep(400);
            s.remove("b");
            assertThat(drain(cursor, new long[2])).extracting(Change::type).containsExactly(ChangeType.PUT, ChangeType.EXPIRE);
        }
    }

    @Test
    void aSleepingConsumerWakesWhenAnotherProcessWrites() throws Exception {
        try (SharedStore<String, Long> s = StoreChild.counters("wake");
             ChangeCursor<String> cursor = s.changes().cursor()) {
            CompletableFuture<Boolean> woke = CompletableFuture.supplyAsync(() -> cursor.await(Duration.ofSeconds(60)));
            Thread.sleep(200);
            assertThat(woke).isNotDone();
            try (ChildJvm child = ChildJvm.start(StoreChild.class, "merge", "wake", "10", "2")) {
                child.expect("READY", CHILD);
                child.send("go");
                assertThat(woke.get(60, TimeUnit.SECONDS)).isTrue();
                child.expect("DONE", CHILD);
            }
            List<Change> seen = new ArrayList<>();
            while (seen.size() < 10 && cursor.await(Duration.ofSeconds(5))) {
                seen.addAll(drain(cursor, new long[2]));
            }
            assertThat(seen).hasSize(10).allMatch(c -> c.type() == ChangeType.PUT && c.key().startsWith("counter-"));
            assertThat(cursor.await(Duration.ofMillis(50))).isFalse();
        }
    }

    @Test
    void theInspectorSeesRawBytesDescriptionsAndTheFeed() {
        try (SharedStore<String, Long> s = SharedStore.of(String.class, Long.class).name("inspect").entries(100).create()) {
            s.put("k", 7L);
            try (StoreInspector in = StoreInspector.open("inspect")) {
                assertThat(in.keyDescription()).isEqualTo("java.lang.String/string-utf8");
                assertThat(in.valueDescription()).isEqualTo("java.lang.Long/long-le64");
                assertThat(in.size()).isEqualTo(1);
                assertThat(in.verify()).isEmpty();
                List<byte[]> keys = new ArrayList<>();
                in.forEach((k, v) -> {
                    keys.add(k);
                    assertThat(v).hasSize(8);
                    return true;
                });
                assertThat(keys).hasSize(1);
                assertThat(new String(keys.get(0), 1, 1, StandardCharsets.UTF_8)).isEqualTo("k");
                assertThat(in.changes().lastSequence()).isZero();
            }
        }
    }

    /**
     * The reader stays about a ring behind a writer that keeps appending, so that it is often exactly
     * one capacity behind while the record it wants is being overwritten: it is told what it lost, in
     * order, and never reports corruption (the rule that gave "record N is not in the ring" at exactly
     * one capacity behind).
     */
    @Test
    void aReaderLappedWhileAWriterAppendsIsToldWhatItLostNeverCorruption() throws Exception {
        try (SharedStore<String, String> s = SharedStore.of(String.class, String.class).name("lapping").entries(1000)
                .changeFeedCapacity(64).create();
             ChangeCursor<String> cursor = s.changes().cursorFrom(0)) {
            long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(1500);
            CompletableFuture<Long> writer = CompletableFuture.supplyAsync(() -> {
                long n = 0;
                while (System.nanoTime() < deadline) {
                    s.put("k" + (n++ % 500), "v");
                }
                return n;
            });
            long[] counts = new long[3]; // next expected sequence, delivered, lost
            ChangeListener<String> inOrder = new ChangeListener<>() {
                @Override
                public void onChange(long sequence, ChangeType type, String key) {
                    assertThat(sequence).as("each record in order, after what was reported lost").isEqualTo(counts[0]);
                    counts[0]++;
                    counts[1]++;
                }

                @Override
                public void onLapped(long lost, long resumedAt) {
                    counts[0] += lost;
                    counts[2] += lost;
                    assertThat(resumedAt).as("resumes right after what it lost").isEqualTo(counts[0]);
                }
            };
            while (!writer.isDone() || cursor.nextSequence() < s.changes().lastSequence() + 1) {
                cursor.poll(inOrder);
                Thread.sleep(0, ThreadLocalRandom.current().nextInt(200_000));
            }
            long delivered = counts[1];
            long lostTotal = counts[2];
            long appended = writer.get();
            assertThat(delivered + lostTotal).as("delivered plus lost is everything appended").isEqualTo(appended);
            assertThat(lostTotal).as("the reader was lapped").isPositive();
            assertThat(delivered).isPositive();
        }
    }

    /**
     * A writer that died between claiming a record and completing it leaves the record incomplete; a
     * reader sees that its writer is dead and reports the record lost, then goes on. An incomplete
     * record whose writer lives is waited for, then given up after a second.
     */
    @Test
    void aRecordWhoseWriterDiedMidAppendIsReportedLostAndTheReaderGoesOn() throws Exception {
        try (SharedStore<String, String> s = SharedStore.of(String.class, String.class).name("dead-writer").entries(100)
                .create();
             ChangeCursor<String> cursor = s.changes().cursor();
             SharedMemory mem = SharedMemory.open("dead-writer");
             MemoryView v = mem.map()) {
            BytesStore<?, ?> b = v.bytes();
            long feed = b.readLong(FeedLayout.FEED_OFFSET_FIELD);
            int recordSize = b.readInt(FeedLayout.RECORD_SIZE_FIELD);
            long dead = deadProcessWord();
            for (long writer : new long[]{dead, Processes.self()}) {
                long n = b.readLong(feed + FeedLayout.TAIL_OFFSET);
                long record = feed + FeedLayout.HEADER_LENGTH + n * recordSize;
                b.writeLong(record + FeedLayout.WRITER_OFFSET, writer);
                b.writeLong(record + FeedLayout.STATE_OFFSET, FeedLayout.WRITING);
                b.writeLong(feed + FeedLayout.TAIL_OFFSET, n + 1);
                s.put("after", "x");
                long started = System.nanoTime();
                long[] lapped = new long[2];
                List<Change> seen = new ArrayList<>();
                while (seen.isEmpty() && System.nanoTime() - started < TimeUnit.SECONDS.toNanos(5)) {
                    cursor.await(Duration.ofMillis(100));
                    seen.addAll(drain(cursor, lapped));
                }
                long waitedMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
                assertThat(lapped[0]).as("the incomplete record is reported lost").isEqualTo(1);
                assertThat(seen).containsExactly(new Change(n + 1, ChangeType.PUT, "after"));
                if (writer == dead) {
                    assertThat(waitedMillis).as("a dead writer is found out fast").isLessThan(500);
                } else {
                    assertThat(waitedMillis).as("a live writer is waited for, then given up")
                            .isGreaterThanOrEqualTo(900).isLessThan(3000);
                }
            }
        }
    }

    /** The process word of a child JVM that has exited (and been reaped). */
    private static long deadProcessWord() throws Exception {
        try (ChildJvm child = ChildJvm.start(ChildJvm.command(ProcessWordChild.class), "process word")) {
            long word = Long.parseLong(child.expect("WORD", CHILD));
            assertThat(child.waitFor(CHILD)).isZero();
            assertThat(Processes.isAlive(word)).isFalse();
            return word;
        }
    }

    /** Prints its own process word and exits. */
    public static final class ProcessWordChild {
        public static void main(String[] args) {
            System.out.println("WORD " + Processes.self());
        }
    }
}
