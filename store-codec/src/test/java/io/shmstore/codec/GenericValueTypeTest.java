package io.shmstore.codec;

import com.fasterxml.jackson.core.type.TypeReference;
import io.shmstore.SharedStore;
import io.shmstore.testing.ChildJvm;
import io.shmstore.testing.ShmDirExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A generic value type through the store, as JsonCodec's javadoc shows it: that this class compiles is
 * the first half of the test ("inference variable T has incompatible equality constraints" before the
 * builder's codec setters narrowed the type); the second is that another JVM reads the values back with
 * their element types.
 */
@ExtendWith(ShmDirExtension.class)
class GenericValueTypeTest {
    private static final Duration CHILD = Duration.ofSeconds(60);

    /** The javadoc's example, assigned to the type it gives. */
    static SharedStore<String, Map<String, List<Long>>> series(String name) {
        return SharedStore.of(String.class, Object.class)
                .name(name).entries(100).averageValueSize(128)
                .valueCodec(JsonCodec.of(new TypeReference<Map<String, List<Long>>>() {}))
                .createOrOpen();
    }

    @Test
    void aStoreOfAGenericValueTypeIsSharedWithAnotherJvm() {
        try (SharedStore<String, Map<String, List<Long>>> store = series("series")) {
            store.put("eurusd", Map.of("ticks", List.of(1L, 2L, 5_000_000_000L), "empty", List.of()));
            try (ChildJvm child = ChildJvm.start(GenericChild.class, "series", "eurusd", "gbpusd")) {
                assertThat(child.expect("READ", CHILD)).isEqualTo("empty=[] ticks=[1, 2, 5000000000] elements java.lang.Long");
                child.expect("WROTE", CHILD);
                assertThat(child.waitFor(CHILD)).isZero();
            }
            Map<String, List<Long>> written = store.get("gbpusd");
            assertThat(written).containsExactly(Map.entry("ticks", List.of(7L, 8L)));
            Long first = written.get("ticks").get(0);
            assertThat(first).isEqualTo(7L);
            assertThat(store.changes().lastSequence()).isEqualTo(1);
        }
    }

    @Test
    void theNarrowedTypeAlsoWorksForKeysAndKeepsOtherSettings() {
        try (SharedStore<List<String>, Long> store = SharedStore.of(Object.class, Long.class)
                .keyCodec(JsonCodec.of(new TypeReference<List<String>>() {}))
                .name("paths").entries(10).averageKeySize(32)
                .createOrOpen()) {
            store.merge(List.of("a", "b"), 1L, Long::sum);
            store.merge(List.of("a", "b"), 1L, Long::sum);
            assertThat(store.get(List.of("a", "b"))).isEqualTo(2L);
            assertThat(store.stats().capacity()).isEqualTo(10);
        }
    }
}
