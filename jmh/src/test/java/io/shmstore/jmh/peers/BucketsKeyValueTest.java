package io.shmstore.jmh.peers;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

/**
 * The {@code buckets} design yardstick is timed beside the peers, so it must be a map: these check it
 * against a model (filled to the load it is sized for, so its cuckoo paths run) and under a reader
 * racing a writer whose updates, removes and inserts move entries between cells and buckets.
 */
class BucketsKeyValueTest {
    private static final int VALUE = 100;

    @TempDir
    Path dir;

    private static String key(int i) {
        return String.format("key-%07d", i);
    }

    /** A value that names its key and a version: a torn or misdirected read cannot pass for one. */
    private static byte[] value(int key, long version) {
        byte[] v = new byte[VALUE];
        KeyValue.writeLong(v, version);
        for (int i = 8; i < VALUE; i++) {
            v[i] = (byte) (key * 31 + version * 7 + i);
        }
        return v;
    }

    private static boolean isValueOf(byte[] v, int key) {
        long version = KeyValue.readLong(v);
        for (int i = 8; i < VALUE; i++) {
            if (v[i] != (byte) (key * 31 + version * 7 + i)) {
                return false;
            }
        }
        return true;
    }

    @Test
    void agreesWithAModelThroughFillUpdatesRemovesAndInserts() throws Exception {
        int n = 20_000;
        Map<String, byte[]> model = new HashMap<>();
        try (KeyValue kv = KeyValue.open("buckets", dir, n, VALUE)) {
            for (int i = 0; i < n; i++) {
                kv.put(key(i), value(i, 0));
                model.put(key(i), value(i, 0));
            }
            // filled to the load it is sized for (so its bytes per entry are what the benchmark weighs),
            // with entries in both of their buckets (so reads that look in the second one run)
            double[] load = ((BucketsKeyValue) kv).load();
            assertThat(load[0]).isBetween(0.85, 0.87);
            assertThat(load[1]).isBetween(0.3, 0.9);
            Random random = new Random(42);
            int inserted = 0;
            int refused = 0;
            for (int round = 1; round <= 5 * n; round++) {
                int k = random.nextInt(n);
                String key = key(k);
                int op = random.nextInt(10);
                if (op < 6) {
                    kv.put(key, value(k, round));
                    model.put(key, value(k, round));
                } else if (op < 8) {
                    kv.remove(key);
                    model.remove(key);
                } else {
                    boolean absent = !model.containsKey(key);
                    assertThat(kv.putIfAbsent(key, value(k, round))).as("putIfAbsent of %s", key).isEqualTo(absent);
                    if (absent) {
                        model.put(key, value(k, round));
                        inserted++;
                    } else {
                        refused++;
                    }
                }
            }
            assertThat(inserted).isGreaterThan(1000);
            assertThat(refused).isGreaterThan(1000);
            for (int i = 0; i < n; i++) {
                assertThat(kv.get(key(i))).as(key(i)).isEqualTo(model.get(key(i)));
            }
            byte[] reuse = new byte[VALUE];
            String present = model.keySet().iterator().next();
            assertThat(kv.getUsing(present, reuse)).isSameAs(reuse).isEqualTo(model.get(present));
        }
    }

    @Test
    void aReaderNeverSeesATornValueOrMissesAKeptKeyWhileAWriterMovesEntries() throws Exception {
        int n = 4_000;
        int kept = n / 2;
        try (KeyValue kv = KeyValue.open("buckets", dir, n, VALUE)) {
            for (int i = 0; i < n; i++) {
                kv.put(key(i), value(i, 0));
            }
            AtomicBoolean stop = new AtomicBoolean();
            AtomicLong writes = new AtomicLong();
            AtomicReference<Throwable> failure = new AtomicReference<>();
            Thread writer = new Thread(() -> {
                Random random = new Random(7);
                try {
                    for (long version = 1; !stop.get(); version++) {
                        int k = random.nextInt(n);
                        if (k >= kept && random.nextBoolean()) {
                            // the other half come and go: inserts that need room push entries along cuckoo paths
                            kv.remove(key(k));
                            kv.putIfAbsent(key(k), value(k, version));
                        } else {
                            kv.put(key(k), value(k, version));
                        }
                        writes.incrementAndGet();
                    }
                } catch (Throwable t) {
                    failure.set(t);
                }
            });
            writer.start();
            Random random = new Random(11);
            long reads = 0;
            long deadline = System.nanoTime() + 2_000_000_000L;
            try {
                while (System.nanoTime() < deadline && failure.get() == null) {
                    int k = random.nextInt(n);
                    byte[] v = kv.get(key(k));
                    if (k < kept) {
                        assertThat(v).as("kept key %s", key(k)).isNotNull();
                    }
                    if (v != null) {
                        assertThat(isValueOf(v, k)).as("value read under %s", key(k)).isTrue();
                    }
                    reads++;
                }
            } finally {
                stop.set(true);
                writer.join();
            }
            assertThat(failure.get()).isNull();
            assertThat(reads).isGreaterThan(10_000);
            assertThat(writes.get()).isGreaterThan(10_000);
        }
    }

    @Test
    void closedItRefusesOperationsWithoutFaulting() throws Exception {
        KeyValue kv = KeyValue.open("buckets", dir, 100, VALUE);
        kv.put(key(1), value(1, 1));
        kv.close();
        assertThat(dir.resolve("buckets.dat")).doesNotExist();
        assertThatThrownBy(() -> kv.get(key(1))).isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
        assertThatThrownBy(() -> kv.put(key(1), value(1, 2))).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> kv.remove(key(1))).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void aValueLargerThanACellIsRefusedNamingItsSizeAndLosesNothing() throws Exception {
        int n = 1_000;
        try (KeyValue kv = KeyValue.open("buckets", dir, n, VALUE)) {
            assertThatThrownBy(() -> kv.put(key(1), new byte[VALUE * 2]))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("200-byte value");
            // full, so that many updates would rewrite in place: a refused one leaves every entry readable
            for (int i = 0; i < n; i++) {
                kv.put(key(i), value(i, 1));
            }
            // bounded: a cell left busy would have its readers wait for ever
            assertTimeoutPreemptively(Duration.ofSeconds(20), () -> {
                for (int i = 0; i < n; i++) {
                    String key = key(i);
                    assertThatThrownBy(() -> kv.put(key, new byte[VALUE * 2])).isInstanceOf(IllegalArgumentException.class);
                    assertThat(kv.get(key)).as(key).isEqualTo(value(i, 1));
                }
            });
        }
    }
}
