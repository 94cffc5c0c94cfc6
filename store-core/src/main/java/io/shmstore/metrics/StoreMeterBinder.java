package io.shmstore.metrics;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.shmstore.SharedStore;
import io.shmstore.StoreStats;

import java.util.Objects;
import java.util.function.ToDoubleFunction;

/**
 * A store's statistics as Micrometer meters, in the style of Micrometer's cache binders. Micrometer is
 * an optional dependency of store-core: this class needs {@code io.micrometer:micrometer-core} on the
 * application's class path, and nothing else in ShmStore does.
 *
 * <pre>{@code
 * new StoreMeterBinder(quotes, Tags.of("app", "pricing")).bindTo(registry);
 * }</pre>
 *
 * <p>Every meter has the tag {@code store} (the store's name) and the tag {@code scope}:
 * <ul>
 *   <li>{@code scope=process}: {@code shmstore.gets} (tag {@code result}: {@code hit} or {@code miss}),
 *       this process's lookups since it opened the store;</li>
 *   <li>{@code scope=store}: everything else, the store itself, shared by every process that has it
 *       open: the gauges {@code shmstore.entries}, {@code shmstore.entries.max},
 *       {@code shmstore.memory.used}, {@code shmstore.memory.reserved} (bytes),
 *       {@code shmstore.segment.load.max}, and the counters {@code shmstore.evictions},
 *       {@code shmstore.expirations}, {@code shmstore.recoveries}, {@code shmstore.damaged} and
 *       {@code shmstore.growths}, which count what any process did since the store was created. Several
 *       processes that bind the same store report the same values: do not sum them across processes.</li>
 * </ul>
 * Each meter reads {@link SharedStore#stats()} when it is read. Once the store is closed the meters
 * read as {@code NaN}; remove them from the registry with the store.
 */
public final class StoreMeterBinder implements MeterBinder {
    private final SharedStore<?, ?> store;
    private final Tags tags;

    /**
     * A binder for {@code store}'s meters, with {@code tags} besides {@code store} and {@code scope}.
     *
     * @param store the store
     * @param tags  extra tags for every meter
     */
    public StoreMeterBinder(SharedStore<?, ?> store, Iterable<Tag> tags) {
        this.store = Objects.requireNonNull(store, "store");
        this.tags = Tags.of(Objects.requireNonNull(tags, "tags")).and("store", store.name());
    }

    /**
     * A binder for {@code store}'s meters, tagged {@code store} and {@code scope} only.
     *
     * @param store the store
     */
    public StoreMeterBinder(SharedStore<?, ?> store) {
        this(store, Tags.empty());
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        Tags shared = tags.and("scope", "store");
        Tags local = tags.and("scope", "process");
        gauge(registry, "shmstore.entries", "live entries", null, shared, StoreStats::entries);
        gauge(registry, "shmstore.entries.max", "entries the store may grow to", null, shared, StoreStats::maxEntries);
        gauge(registry, "shmstore.memory.used", "bytes of data in use", "bytes", shared, StoreStats::bytesUsed);
        gauge(registry, "shmstore.memory.reserved", "memory the store occupies", "bytes", shared,
                StoreStats::bytesReserved);
        gauge(registry, "shmstore.segment.load.max", "the fullest segment's fraction of data in use", null, shared,
                StoreStats::maxSegmentLoad);
        counter(registry, "shmstore.gets", "lookups by this process", local.and("result", "hit"), StoreStats::hits);
        counter(registry, "shmstore.gets", "lookups by this process", local.and("result", "miss"), StoreStats::misses);
        counter(registry, "shmstore.evictions", "entries evicted, by any process", shared, StoreStats::evictions);
        counter(registry, "shmstore.expirations", "expired entries purged, by any process", shared,
                StoreStats::expirations);
        counter(registry, "shmstore.recoveries", "segment repairs, by any process", shared, StoreStats::recoveries);
        counter(registry, "shmstore.damaged", "damaged entries dropped by repairs, by any process", shared,
                StoreStats::damaged);
        counter(registry, "shmstore.growths", "segment growths, by any process", shared, StoreStats::growths);
    }

    private void gauge(MeterRegistry registry, String name, String description, String unit, Tags tags,
                       ToDoubleFunction<StoreStats> value) {
        Gauge.builder(name, store, s -> read(s, value)).description(description).baseUnit(unit).tags(tags)
                .register(registry);
    }

    private void counter(MeterRegistry registry, String name, String description, Tags tags,
                         ToDoubleFunction<StoreStats> value) {
        FunctionCounter.builder(name, store, s -> read(s, value)).description(description).tags(tags)
                .register(registry);
    }

    private static double read(SharedStore<?, ?> store, ToDoubleFunction<StoreStats> value) {
        try {
            return value.applyAsDouble(store.stats());
        } catch (IllegalStateException closed) {
            return Double.NaN;
        }
    }
}
