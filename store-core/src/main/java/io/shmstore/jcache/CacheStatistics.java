package io.shmstore.jcache;

import javax.cache.management.CacheStatisticsMXBean;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;

/**
 * One cache's statistics in this process, as JCache defines them: the hits, misses, puts and removals of
 * this process's calls (other processes keep their own), and the evictions of the cache's store by any
 * process since the last {@link #clear()} (the store counts those, in shared memory). Times are in
 * microseconds, averaged over the operations counted.
 */
final class CacheStatistics implements CacheStatisticsMXBean {
    private final LongAdder hits = new LongAdder();
    private final LongAdder misses = new LongAdder();
    private final LongAdder puts = new LongAdder();
    private final LongAdder removals = new LongAdder();
    private final LongAdder getNanos = new LongAdder();
    private final LongAdder putNanos = new LongAdder();
    private final LongAdder removeNanos = new LongAdder();
    private final LongSupplier storeEvictions;
    private volatile long evictionsAtClear;
    private volatile boolean enabled;

    CacheStatistics(LongSupplier storeEvictions) {
        this.storeEvictions = storeEvictions;
        this.evictionsAtClear = storeEvictions.getAsLong();
    }

    void enable(boolean on) {
        enabled = on;
    }

    /** When an operation starts: 0 (no clock read) while statistics are off. */
    long start() {
        return enabled ? System.nanoTime() : 0;
    }

    /** An operation that looked keys up: its hits and misses, and its time unless {@code start} is 0. */
    void lookedUp(long hitCount, long missCount, long start) {
        if (enabled) {
            hits.add(hitCount);
            misses.add(missCount);
            if (start != 0) {
                getNanos.add(System.nanoTime() - start);
            }
        }
    }

    /** An operation that stored {@code n} values (none: nothing counted), and its time unless {@code start} is 0. */
    void put(long n, long start) {
        if (enabled && n > 0) {
            puts.add(n);
            if (start != 0) {
                putNanos.add(System.nanoTime() - start);
            }
        }
    }

    /** An operation that removed {@code n} values (none: nothing counted), and its time unless {@code start} is 0. */
    void removed(long n, long start) {
        if (enabled && n > 0) {
            removals.add(n);
            if (start != 0) {
                removeNanos.add(System.nanoTime() - start);
            }
        }
    }

    @Override
    public void clear() {
        hits.reset();
        misses.reset();
        puts.reset();
        removals.reset();
        getNanos.reset();
        putNanos.reset();
        removeNanos.reset();
        evictionsAtClear = storeEvictions.getAsLong();
    }

    @Override
    public long getCacheHits() {
        return hits.sum();
    }

    @Override
    public float getCacheHitPercentage() {
        return percentage(getCacheHits());
    }

    @Override
    public long getCacheMisses() {
        return misses.sum();
    }

    @Override
    public float getCacheMissPercentage() {
        return percentage(getCacheMisses());
    }

    private float percentage(long part) {
        long gets = getCacheGets();
        return gets == 0 ? 0f : part * 100f / gets;
    }

    @Override
    public long getCacheGets() {
        return getCacheHits() + getCacheMisses();
    }

    @Override
    public long getCachePuts() {
        return puts.sum();
    }

    @Override
    public long getCacheRemovals() {
        return removals.sum();
    }

    @Override
    public long getCacheEvictions() {
        return Math.max(0, storeEvictions.getAsLong() - evictionsAtClear);
    }

    @Override
    public float getAverageGetTime() {
        return micros(getNanos.sum(), getCacheGets());
    }

    @Override
    public float getAveragePutTime() {
        return micros(putNanos.sum(), getCachePuts());
    }

    @Override
    public float getAverageRemoveTime() {
        return micros(removeNanos.sum(), getCacheRemovals());
    }

    private static float micros(long nanos, long count) {
        return count == 0 ? 0f : nanos / 1000f / count;
    }
}
