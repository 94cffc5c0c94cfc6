package io.shmstore.metrics;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.shmstore.FullPolicy;
import io.shmstore.SharedStore;
import io.shmstore.testing.ShmDirExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import javax.management.MBeanServer;
import javax.management.ObjectName;
import java.lang.management.ManagementFactory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A store's statistics through JMX and through Micrometer, with the scope of each count. */
@ExtendWith(ShmDirExtension.class)
@SuppressWarnings("try")
class StoreMetricsTest {

    private static SharedStore<String, Long> filled(String name) {
        SharedStore<String, Long> store = SharedStore.of(String.class, Long.class).name(name).entries(16).maxEntries(16)
                .segments(1).fullPolicy(FullPolicy.EVICT).create();
        for (int i = 0; i < 40; i++) {
            store.put("k" + i, (long) i);
        }
        store.get("k39");
        store.get("absent");
        store.get("absent-too");
        return store;
    }

    @Test
    void theMBeanReadsTheStoresStatisticsUnderItsNameUntilUnregistered() throws Exception {
        MBeanServer server = ManagementFactory.getPlatformMBeanServer();
        ObjectName name = StoreMetrics.objectName("quotes");
        assertThat(name.toString()).isEqualTo("io.shmstore:type=SharedStore,name=\"quotes\"");
        try (SharedStore<String, Long> store = filled("quotes")) {
            try (StoreMetrics.Registration jmx = StoreMetrics.registerMBean(store)) {
                assertThat(jmx.objectName()).isEqualTo(name);
                assertThat(server.getAttribute(name, "Name")).isEqualTo("quotes");
                assertThat(server.getAttribute(name, "Entries")).isEqualTo((long) store.size());
                assertThat(server.getAttribute(name, "Hits")).isEqualTo(1L);
                assertThat(server.getAttribute(name, "Misses")).isEqualTo(2L);
                assertThat((Long) server.getAttribute(name, "Evictions")).isEqualTo(store.stats().evictions()).isPositive();
                assertThat(server.getAttribute(name, "MaxEntries")).isEqualTo(16L);
                assertThatThrownBy(() -> StoreMetrics.registerMBean(store)).isInstanceOf(IllegalStateException.class)
                        .hasMessageContaining(name.toString()).hasMessageContaining("already registered");
            }
            assertThat(server.isRegistered(name)).isFalse();
        }
    }

    @Test
    void theMeterBinderTagsEachMeterWithTheStoreAndWhoseCountItIs() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        try (SharedStore<String, Long> store = filled("metered")) {
            new StoreMeterBinder(store, Tags.of("app", "test")).bindTo(registry);
            FunctionCounter hits = registry.get("shmstore.gets").tags("result", "hit", "scope", "process").functionCounter();
            FunctionCounter misses = registry.get("shmstore.gets").tags("result", "miss").functionCounter();
            assertThat(hits.count()).isEqualTo(1);
            assertThat(misses.count()).isEqualTo(2);
            FunctionCounter evictions = registry.get("shmstore.evictions").tags("scope", "store", "store", "metered", "app", "test")
                    .functionCounter();
            assertThat(evictions.count()).isEqualTo(store.stats().evictions()).isPositive();
            Gauge entries = registry.get("shmstore.entries").gauge();
            assertThat(entries.value()).isEqualTo(store.size());
            store.put("one-more", 1L);
            store.get("one-more");
            assertThat(hits.count()).as("read when read").isEqualTo(2);
            assertThat(registry.get("shmstore.memory.reserved").gauge().getId().getBaseUnit()).isEqualTo("bytes");
            assertThat(registry.getMeters()).allMatch(m -> m.getId().getTag("store").equals("metered")
                    && (m.getId().getTag("scope").equals("store") || m.getId().getName().equals("shmstore.gets")));
            store.close();
            assertThat(entries.value()).as("a closed store reads as NaN").isNaN();
        }
    }
}
