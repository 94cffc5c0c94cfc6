package io.shmstore.store;

import io.shmstore.Codecs;
import io.shmstore.FullPolicy;
import io.shmstore.IncompatibleStoreException;
import io.shmstore.ReadOnlyStoreException;
import io.shmstore.SharedStore;
import io.shmstore.SharedStoreBuilder;
import io.shmstore.StoreExistsException;
import io.shmstore.StoreFullException;
import io.shmstore.StoreNotFoundException;
import io.shmstore.StoreStats;
import io.shmstore.testing.Background;
import io.shmstore.testing.ShmDirExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CyclicBarrier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The store contract, run against each kind of store (JCTools' QueueSanityTest style): subclasses say
 * where a store lives.
 */
@ExtendWith(ShmDirExtension.class)
abstract class StoreContractTest {

    /** Places the store: by name in the shm directory, or in a file. */
    abstract <K, V> SharedStoreBuilder<K, V> at(SharedStoreBuilder<K, V> builder, String name);

    private SharedStore<String, String> strings(String name) {
        return at(SharedStore.of(String.class, String.class), name).entries(1000).averageKeySize(16)
                .averageValueSize(32).create();
    }

    @Test
    void putGetReplaceRemove() {
        try (SharedStore<String, String> s = strings("basic")) {
            assertThat(s.put("a", "1")).isNull();
            assertThat(s.put("a", "2")).isEqualTo("1");
            assertThat(s.get("a")).isEqualTo("2");
            assertThat(s.get("missing")).isNull();
            assertThat(s.get(42)).as("a key of another type").isNull();
            assertThat(s.containsKey("a")).isTrue();
            assertThat(s.size()).isEqualTo(1);
            assertThat(s.remove("a")).isEqualTo("2");
            assertThat(s.remove("a")).isNull();
            assertThat(s.isEmpty()).isTrue();
        }
    }

    @Test
    void manyKeysSurviveRehashAndReopen() {
        Map<String, String> model = new HashMap<>();
        try (SharedStore<String, String> s = strings("many")) {
            for (int i = 0; i < 1000; i++) {
                s.put("key-" + i, "value-" + i);
                model.put("key-" + i, "value-" + i);
            }
            for (int i = 0; i < 1000; i += 3) {
                s.remove("key-" + i);
                model.remove("key-" + i);
            }
            for (int i = 0; i < 300; i++) {
                s.put("key-" + i, "again-" + i);
                model.put("key-" + i, "again-" + i);
            }
            assertThat(s).isEqualTo(model);
            assertThat(s.hashCode()).isEqualTo(model.hashCode());
            try (SharedStore<String, String> other = at(SharedStore.of(String.class, String.class), "many").open()) {
                assertThat(other).containsExactlyInAnyOrderEntriesOf(model);
                assertThat(other.size()).isEqualTo(model.size());
            }
        }
    }

    @Test
    void atomicOperations() {
        try (SharedStore<String, Long> s = at(SharedStore.of(String.class, Long.class), "atomic").entries(100).create()) {
            assertThat(s.putIfAbsent("x", 1L)).isNull();
            assertThat(s.putIfAbsent("x", 2L)).isEqualTo(1L);
            assertThat(s.replace("x", 5L, 6L)).isFalse();
            assertThat(s.replace("x", 1L, 6L)).isTrue();
            assertThat(s.replace("y", 1L)).isNull();
            assertThat(s.containsKey("y")).isFalse();
            assertThat(s.merge("x", 10L, Long::sum)).isEqualTo(16L);
            assertThat(s.compute("x", (k, v) -> v == null ? 0 : v + 1)).isEqualTo(17L);
            assertThat(s.computeIfAbsent("z", k -> 3L)).isEqualTo(3L);
            assertThat(s.computeIfAbsent("z", k -> 4L)).isEqualTo(3L);
            assertThat(s.computeIfPresent("z", (k, v) -> null)).isNull();
            assertThat(s.containsKey("z")).isFalse();
            assertThat(s.remove("x", 1L)).isFalse();
            assertThat(s.remove("x", 17L)).isTrue();
            assertThat(s).isEmpty();
        }
    }

    @Test
    void computeThatMutatesTheValueItWasGivenIsWritten() {
        try (SharedStore<String, byte[]> s = at(SharedStore.of(String.class, byte[].class), "mutate").entries(10).create()) {
            s.put("k", new byte[]{1, 2});
            s.compute("k", (k, v) -> {
                v[0] = 9;
                return v;
            });
            assertThat(s.get("k")).containsExactly(9, 2);
            assertThat(s.remove("k", new byte[]{9, 2})).as("arrays compare by content").isTrue();
            s.put("k", new byte[]{1});
            assertThat(s.replace("k", new byte[]{1}, new byte[]{3})).isTrue();
            assertThat(s.get("k")).containsExactly(3);
        }
    }

    @Test
    void nullsAreRefused() {
        try (SharedStore<String, String> s = strings("nulls")) {
            assertThatThrownBy(() -> s.put(null, "v")).isInstanceOf(NullPointerException.class);
            assertThatThrownBy(() -> s.put("k", null)).isInstanceOf(NullPointerException.class);
            assertThatThrownBy(() -> s.get(null)).isInstanceOf(NullPointerException.class);
            assertThatThrownBy(() -> s.containsKey(null)).isInstanceOf(NullPointerException.class);
            assertThatThrownBy(() -> s.remove(null)).isInstanceOf(NullPointerException.class);
        }
    }

    @Test
    void iterationViewsAndClear() {
        try (SharedStore<String, String> s = strings("views")) {
            for (int i = 0; i < 50; i++) {
                s.put("k" + i, "v" + i);
            }
            assertThat(s.keySet()).hasSize(50).contains("k0", "k49");
            assertThat(s.values()).contains("v7");
            s.entrySet().removeIf(e -> e.getKey().endsWith("0"));
            assertThat(s).hasSize(45).doesNotContainKey("k10");
            for (Map.Entry<String, String> e : s.entrySet()) {
                if (e.getKey().equals("k1")) {
                    e.setValue("one");
                }
            }
            assertThat(s.get("k1")).isEqualTo("one");
            s.clear();
            assertThat(s).isEmpty();
            s.put("after", "clear");
            assertThat(s).containsOnlyKeys("after");
        }
    }

    @Test
    void getUsingFillsTheObjectItIsGiven() {
        try (SharedStore<String, byte[]> s = at(SharedStore.of(String.class, byte[].class), "using")
                .entries(10).averageValueSize(100).create()) {
            s.put("k", new byte[]{1, 2, 3});
            byte[] reuse = new byte[3];
            assertThat(s.getUsing("k", reuse)).isSameAs(reuse).containsExactly(1, 2, 3);
        }
    }

    @Test
    void openingWithOtherTypesOrCodecsNamesBothSides() {
        try (SharedStore<String, String> s = strings("typed")) {
            assertThatThrownBy(() -> at(SharedStore.of(String.class, Long.class), "typed").open())
                    .isInstanceOf(IncompatibleStoreException.class)
                    .hasMessageContaining("java.lang.String/string-utf8").hasMessageContaining("java.lang.Long/long-le64");
            assertThatThrownBy(() -> at(SharedStore.of(Long.class, String.class), "typed").open())
                    .isInstanceOf(IncompatibleStoreException.class).hasMessageContaining("keys");
            assertThat(s.size()).isZero();
        }
    }

    @Test
    void existingAndMissingStores() {
        try (SharedStore<String, String> s = strings("exists")) {
            assertThatThrownBy(() -> strings("exists")).isInstanceOf(StoreExistsException.class);
            try (SharedStore<String, String> same = at(SharedStore.of(String.class, String.class), "exists").createOrOpen()) {
                s.put("a", "b");
                assertThat(same.get("a")).isEqualTo("b");
            }
        }
        assertThatThrownBy(() -> at(SharedStore.of(String.class, String.class), "never-made").open())
                .isInstanceOf(StoreNotFoundException.class);
        SharedStore<String, String> again = at(SharedStore.of(String.class, String.class), "exists").createOrOpen();
        again.destroy();
        assertThatThrownBy(() -> at(SharedStore.of(String.class, String.class), "exists").open())
                .isInstanceOf(StoreNotFoundException.class);
    }

    @Test
    void readOnlyStoresRefuseWrites() {
        try (SharedStore<String, String> s = strings("ro")) {
            s.put("a", "b");
            try (SharedStore<String, String> ro = at(SharedStore.of(String.class, String.class), "ro").openReadOnly()) {
                assertThat(ro.isReadOnly()).isTrue();
                assertThat(ro.get("a")).isEqualTo("b");
                assertThatThrownBy(() -> ro.put("a", "c")).isInstanceOf(ReadOnlyStoreException.class);
                assertThatThrownBy(() -> ro.remove("a")).isInstanceOf(ReadOnlyStoreException.class);
                assertThatThrownBy(ro::clear).isInstanceOf(ReadOnlyStoreException.class);
                s.put("later", "seen");
                assertThat(ro.get("later")).isEqualTo("seen");
            }
            assertThat(s.get("a")).isEqualTo("b");
        }
    }

    @Test
    void useAfterCloseIsIllegalState() {
        SharedStore<String, String> s = strings("closed");
        s.close();
        s.close();
        assertThatThrownBy(() -> s.get("a")).isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
        assertThatThrownBy(() -> s.put("a", "b")).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(s::size).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void aFullStoreSaysWhatToRaiseAndLosesNothing() {
        try (SharedStore<Integer, byte[]> s = at(SharedStore.of(Integer.class, byte[].class), "full").entries(100)
                .averageValueSize(100).segments(1).create()) {
            int stored = fillUntilFull(s, 10_000);
            assertThat(stored).as("sized for 100, grows to 8 times that by default").isBetween(800, 9_999);
            assertThat(s.size()).isEqualTo(stored);
            assertThat(s.get(0)).hasSize(100);
            assertThat(s.stats().growths()).isPositive();
        }
    }

    @Test
    void maxEntriesEqualToEntriesTurnsGrowthOff() {
        try (SharedStore<Integer, byte[]> s = at(SharedStore.of(Integer.class, byte[].class), "fixed").entries(100)
                .maxEntries(100).averageValueSize(100).segments(1).create()) {
            int stored = fillUntilFull(s, 10_000);
            assertThat(stored).as("sized for 100 and no more").isBetween(100, 200);
            assertThat(s.size()).isEqualTo(stored);
            assertThat(s.stats().growths()).isZero();
        }
    }

    /** Puts until the store is full, checking what the exception says; returns the entries stored. */
    private static int fillUntilFull(SharedStore<Integer, byte[]> s, int limit) {
        int stored = 0;
        try {
            for (int i = 0; i < limit; i++) {
                s.put(i, new byte[100]);
                stored++;
            }
        } catch (StoreFullException e) {
            assertThat(e).hasMessageContaining("segment 0").hasMessageContaining("100 entries")
                    .hasMessageContaining("raise maxEntries");
            assertThat(s.containsKey(stored)).as("the put that failed did not happen").isFalse();
        }
        return stored;
    }

    @Test
    void largerThanAverageValuesStillFitTheConfiguredEntries() {
        try (SharedStore<String, byte[]> s = at(SharedStore.of(String.class, byte[].class), "skew").entries(5000)
                .averageKeySize(10).averageValueSize(100).create()) {
            for (int i = 0; i < 5000; i++) {
                s.put("key-" + i, new byte[140]);
            }
            assertThat(s.size()).isEqualTo(5000);
        }
    }

    @Test
    void evictionMakesItACache() {
        try (SharedStore<Integer, byte[]> s = at(SharedStore.of(Integer.class, byte[].class), "cache").entries(100)
                .averageValueSize(100).segments(1).fullPolicy(FullPolicy.EVICT).create()) {
            for (int i = 0; i < 2_000; i++) {
                s.put(i, new byte[100]);
            }
            StoreStats st = s.stats();
            assertThat(st.evictions()).isPositive();
            assertThat(s.get(1999)).as("the newest survives").isNotNull();
            assertThat(s.size()).isLessThan(2000).isGreaterThan(50);
        }
    }

    @Test
    void expiredEntriesAreInvisibleAndReclaimed() throws InterruptedException {
        try (SharedStore<String, String> s = at(SharedStore.of(String.class, String.class), "ttl").entries(100)
                .expireAfterWrite(Duration.ofMillis(50)).create()) {
            s.put("a", "1");
            assertThat(s.get("a")).isEqualTo("1");
            Thread.sleep(80);
            assertThat(s.get("a")).isNull();
            assertThat(s.containsKey("a")).isFalse();
            assertThat(s).isEmpty();
            assertThat(s.putIfAbsent("a", "2")).isNull();
            assertThat(s.get("a")).isEqualTo("2");
        }
    }

    @Test
    void eachEntryCarriesItsOwnExpiryAndTheStoresIsTheDefault() throws InterruptedException {
        try (SharedStore<String, String> s = at(SharedStore.of(String.class, String.class), "own-ttl").entries(100)
                .expireAfterWrite(Duration.ofMillis(60)).create();
             SharedStore<String, String> forever = at(SharedStore.of(String.class, String.class), "no-ttl").entries(100)
                     .create()) {
            s.put("default", "d");
            s.put("long", "l", Duration.ofHours(1));
            s.put("short", "s", Duration.ofMillis(1));
            forever.put("kept", "k");
            forever.put("short", "s", Duration.ofMillis(60));
            assertThat(s.get("long")).isEqualTo("l");
            Thread.sleep(100);
            assertThat(s.get("default")).as("the store's default expiry").isNull();
            assertThat(s.get("short")).isNull();
            assertThat(s.get("long")).as("its own expiry, longer than the store's").isEqualTo("l");
            assertThat(s).hasSize(1);
            assertThat(forever.get("short")).as("an expiry in a store that has none by default").isNull();
            assertThat(forever.get("kept")).isEqualTo("k");
            assertThat(forever).hasSize(1);
            assertThat(forever.put("short", "again")).as("an expired entry reads as absent").isNull();
            assertThat(forever.get("short")).as("a plain put never expires").isEqualTo("again");
            assertThatThrownBy(() -> s.put("bad", "x", Duration.ZERO)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("PT0S");
            assertThatThrownBy(() -> s.put("bad", "x", Duration.ofMillis(-5))).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("PT-0.005S");
            assertThat(s.containsKey("bad")).isFalse();
        }
    }

    @Test
    void expiredEntriesGiveTheirSpaceBack() throws InterruptedException {
        try (SharedStore<Integer, byte[]> s = at(SharedStore.of(Integer.class, byte[].class), "reclaim").entries(100)
                .averageValueSize(100).segments(1).expireAfterWrite(Duration.ofMillis(50)).create()) {
            int first = 0;
            try {
                for (; first < 10_000; first++) {
                    s.put(first, new byte[100]);
                }
            } catch (StoreFullException full) {
                assertThat(first).isGreaterThanOrEqualTo(100);
            }
            Thread.sleep(80);
            for (int i = 0; i < first; i++) {
                s.put(100_000 + i, new byte[100]);
            }
            assertThat(s.stats().expirations()).isGreaterThanOrEqualTo(first);
            assertThat(s.get(100_000)).hasSize(100);
        }
    }

    @Test
    void openingWithAnotherCodecForTheSameTypeIsIncompatible() {
        io.shmstore.Codec<byte[]> reversed = new io.shmstore.Codec<>() {
            @Override
            public void write(net.openhft.chronicle.bytes.Bytes<?> out, byte[] value) {
                Codecs.bytes().write(out, value);
            }

            @Override
            public byte[] read(net.openhft.chronicle.bytes.Bytes<?> in, byte[] reuse) {
                return Codecs.bytes().read(in, reuse);
            }

            @Override
            public String id() {
                return "bytes-other";
            }
        };
        try (SharedStore<String, byte[]> s = at(SharedStore.of(String.class, byte[].class), "codec").create()) {
            assertThatThrownBy(() -> at(SharedStore.of(String.class, byte[].class), "codec").valueCodec(reversed).open())
                    .isInstanceOf(IncompatibleStoreException.class)
                    .hasMessageContaining("[B/bytes-stopbit").hasMessageContaining("[B/bytes-other");
            assertThat(s).isEmpty();
        }
    }

    @Test
    void builderChecksItsSettings() {
        assertThatThrownBy(() -> at(SharedStore.of(Long.class, String.class), "fixed").averageKeySize(16).create())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("averageKeySize 16")
                .hasMessageContaining("8-byte");
        assertThatThrownBy(() -> at(SharedStore.of(String.class, String.class), "segs").entries(10).segments(64).create())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("segments 64").hasMessageContaining("entries 10");
        assertThatThrownBy(() -> SharedStore.of(String.class, String.class).entries(0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("entries 0");
        assertThatThrownBy(() -> SharedStore.of(String.class, String.class).entries(5).entries(6))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("entries was already set to 5");
        assertThatThrownBy(() -> SharedStore.of(String.class, String.class).segments(3))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("segments 3");
        assertThatThrownBy(() -> SharedStore.of(String.class, String.class).name("../x"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> at(SharedStore.of(String.class, Object.class), "obj").create())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("valueCodec");
        assertThatThrownBy(() -> SharedStore.of(String.class, String.class).create())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("name(...)");
        assertThatThrownBy(() -> SharedStore.of(String.class, String.class).keyCodec(Codecs.string()).keyCodec(Codecs.string()))
                .isInstanceOf(IllegalStateException.class);
    }

    @Test
    void statsCountWhatHappened() {
        try (SharedStore<String, String> s = strings("stats")) {
            s.put("a", "b");
            s.get("a");
            s.get("nope");
            StoreStats st = s.stats();
            assertThat(st.entries()).isEqualTo(1);
            assertThat(st.capacity()).isEqualTo(1000);
            assertThat(st.hits()).isEqualTo(1);
            assertThat(st.misses()).isEqualTo(1);
            assertThat(st.bytesUsed()).isPositive();
            assertThat(st.maxSegmentLoad()).isBetween(0.0, 1.0);
        }
    }

    /**
     * Each thread encodes into its own scratch buffers, found by thread id: more live threads than the
     * lookup table has slots (ids collide), then a second wave whose slots dead threads still hold.
     */
    @Test
    void concurrentThreadsNeverShareScratchBuffers() throws InterruptedException {
        try (SharedStore<String, String> s = strings("threads")) {
            Queue<String> wrong = new ConcurrentLinkedQueue<>();
            for (int wave = 0; wave < 2; wave++) {
                int threads = 300;
                CyclicBarrier start = new CyclicBarrier(threads);
                try (Background background = new Background()) {
                    for (int t = 0; t < threads; t++) {
                        String key = "w" + wave + "-t" + t;
                        background.start(key, () -> {
                            start.await();
                            for (int i = 0; i < 200; i++) {
                                String value = key + "=" + i;
                                s.put(key, value);
                                String read = s.get(key);
                                if (!value.equals(read) || !s.containsKey(key)) {
                                    wrong.add(key + " read " + read + " after writing " + value);
                                }
                            }
                        });
                    }
                    background.join(Duration.ofSeconds(120));
                }
            }
            assertThat(wrong).isEmpty();
            assertThat(s.size()).isEqualTo(600);
            assertThat(s.get("w1-t299")).isEqualTo("w1-t299=199");
        }
    }
}
