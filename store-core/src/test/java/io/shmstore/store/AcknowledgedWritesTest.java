package io.shmstore.store;

import io.shmstore.LockTimeoutException;
import io.shmstore.SharedStore;
import io.shmstore.testing.ChildJvm;
import io.shmstore.testing.ShmDirExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A write happens and is acknowledged, or does not happen. Four processes increment counters spread
 * over sixteen segments with a lock timeout of zero, so that every contended lock times out at once;
 * every increment that returned is in the totals and none that threw is. (Before the change feed's append took no lock, a write
 * could time out on the feed's lock after it was visible: it threw, yet it had happened, and a caller
 * that retried it counted it twice.)
 */
@ExtendWith(ShmDirExtension.class)
class AcknowledgedWritesTest {
    private static final Duration CHILD = Duration.ofSeconds(120);

    @Test
    void incrementsThatTimeOutDoNotHappenAndTheOthersAllDo() {
        int processes = 3;
        int rounds = 20_000;
        int keys = 64;
        List<ChildJvm> children = new ArrayList<>();
        try (SharedStore<String, Long> store = counters("acks")) {
            for (int i = 0; i < processes; i++) {
                children.add(ChildJvm.start(Child.class,
                        "acks", Integer.toString(rounds), Integer.toString(keys)));
            }
            for (ChildJvm c : children) {
                c.expect("READY", CHILD);
            }
            children.forEach(c -> c.send("go"));
            long acknowledged = Child.increment(store, rounds, keys)[0];
            long timedOut = 0;
            for (ChildJvm c : children) {
                String[] counts = c.expect("DONE", CHILD).split(" ");
                acknowledged += Long.parseLong(counts[0]);
                timedOut += Long.parseLong(counts[1]);
                assertThat(c.waitFor(CHILD)).isZero();
            }
            long total = 0;
            for (int k = 0; k < keys; k++) {
                Long v = store.get("counter-" + k);
                total += v == null ? 0 : v;
            }
            assertThat(total).as("increments in the store against increments acknowledged (%d timed out)", timedOut)
                    .isEqualTo(acknowledged);
            assertThat(store.verify()).isEmpty();
        } finally {
            children.forEach(ChildJvm::close);
        }
    }

    static SharedStore<String, Long> counters(String name) {
        return SharedStore.of(String.class, Long.class).name(name).entries(1000).averageKeySize(12).segments(16)
                .lockTimeout(Duration.ZERO).createOrOpen();
    }

    /** One of the incrementing processes. */
    public static final class Child {
        public static void main(String[] args) throws Exception {
            try (SharedStore<String, Long> s = counters(args[0])) {
                System.out.println("READY");
                System.out.flush();
                new java.io.BufferedReader(new java.io.InputStreamReader(System.in, java.nio.charset.StandardCharsets.UTF_8))
                        .readLine();
                long[] counts = increment(s, Integer.parseInt(args[1]), Integer.parseInt(args[2]));
                System.out.println("DONE " + counts[0] + " " + counts[1]);
            }
        }

        /** Increments counters {@code rounds} times; returns {acknowledged, timed out}. */
        static long[] increment(SharedStore<String, Long> s, int rounds, int keys) {
            long acknowledged = 0;
            long timedOut = 0;
            for (int r = 0; r < rounds; r++) {
                try {
                    s.merge("counter-" + (r % keys), 1L, Long::sum);
                    acknowledged++;
                } catch (LockTimeoutException e) {
                    timedOut++;
                }
            }
            return new long[]{acknowledged, timedOut};
        }
    }
}
