package io.shmstore.store;

import io.shmstore.ChangeCursor;
import io.shmstore.ChangeListener;
import io.shmstore.ChangeType;
import io.shmstore.SharedStore;
import io.shmstore.testing.ChildJvm;
import io.shmstore.testing.ShmDirExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * ShmStore's own events through {@code System.Logger} (here its default backend,
 * {@code java.util.logging}, logger {@code io.shmstore.store}), and the message of a write that would
 * wait for its own lock.
 */
@ExtendWith(ShmDirExtension.class)
class StoreEventsTest {
    private static final Duration CHILD = Duration.ofSeconds(60);

    private final List<LogRecord> records = new CopyOnWriteArrayList<>();
    private final Logger logger = Logger.getLogger("io.shmstore.store");
    private final Handler capture = new Handler() {
        @Override
        public void publish(LogRecord r) {
            records.add(r);
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };
    private Level levelBefore;

    @BeforeEach
    void capture() {
        levelBefore = logger.getLevel();
        capture.setLevel(Level.ALL);
        logger.addHandler(capture);
    }

    @AfterEach
    void release() {
        logger.removeHandler(capture);
        logger.setLevel(levelBefore);
    }

    private List<String> messages(Level level) {
        return records.stream().filter(r -> r.getLevel() == level).map(LogRecord::getMessage).toList();
    }

    @Test
    void aSegmentRepairedAfterItsWriterWasKilledIsLoggedAsAWarning() {
        try (SharedStore<Integer, byte[]> store = StoreChild.churn("repaired")) {
            try (ChildJvm staller = ChildJvm.start(StoreChild.class, "stall", "repaired", "7")) {
                staller.expect("IN", CHILD);
                staller.kill();
            }
            assertThat(messages(Level.WARNING)).isEmpty();
            store.put(7, StoreChild.value(7));
            assertThat(store.stats().recoveries()).isEqualTo(1);
        }
        assertThat(messages(Level.WARNING)).singleElement().asString()
                .startsWith("store \"repaired\", segment ")
                .contains("its last writer died holding the lock; repaired online, 0 damaged entries dropped");
    }

    @Test
    void aLappedCursorIsLoggedAtInfoWithWhatItLost() {
        try (SharedStore<Integer, Long> store = SharedStore.of(Integer.class, Long.class).name("lapped").entries(1000)
                .changeFeedCapacity(64).create();
             ChangeCursor<Integer> cursor = store.changes().cursor()) {
            for (int i = 0; i < 200; i++) {
                store.put(i, (long) i);
            }
            long[] lost = new long[1];
            cursor.poll(new ChangeListener<>() {
                @Override
                public void onChange(long sequence, ChangeType type, Integer key) {
                }

                @Override
                public void onLapped(long n, long resumedAt) {
                    lost[0] += n;
                }
            });
            assertThat(lost[0]).isEqualTo(200 - 64);
        }
        assertThat(messages(Level.INFO)).containsExactly("change feed of store \"lapped\": a cursor lost 136 change records"
                + " (lapped by writers, or given up as their writer died); it resumes at 136");
    }

    @Test
    void growthIsLoggedAtDebugOnly() {
        logger.setLevel(Level.FINE);
        try (SharedStore<Integer, Long> store = SharedStore.of(Integer.class, Long.class).name("grows").entries(64)
                .maxEntries(8192).segments(1).create()) {
            for (int i = 0; i < 4000; i++) {
                store.put(i, (long) i);
            }
            assertThat(store.stats().growths()).isPositive();
            assertThat(messages(Level.FINE)).hasSize((int) store.stats().growths())
                    .allMatch(m -> m.startsWith("store \"grows\", segment 0: its "))
                    .anyMatch(m -> m.contains("slot table grew from"));
        }
        assertThat(messages(Level.INFO)).isEmpty();
        assertThat(messages(Level.WARNING)).isEmpty();
    }

    @Test
    void aWriteToTheSameSegmentFromInsideComputeSaysWhichRuleItBroke() {
        try (SharedStore<String, Long> store = SharedStore.of(String.class, Long.class).name("nested").entries(100)
                .segments(1).create()) {
            assertThatThrownBy(() -> store.compute("a", (k, v) -> store.put("b", 1L)))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageStartingWith("store \"nested\": a write to key b from inside a function passed to compute,"
                            + " computeIfAbsent, computeIfPresent or merge of a key in the same segment")
                    .hasMessageContaining("Return the value from the function instead, or make the write after the call returns")
                    .hasMessageNotContaining("offset");
            assertThat(store).isEmpty();
            store.put("a", 1L);
            assertThat(store.merge("a", 1L, Long::sum)).isEqualTo(2L);
        }
    }
}
