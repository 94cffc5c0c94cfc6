package io.shmstore.metrics;

import io.shmstore.StoreStats;

/**
 * A store's statistics as a JMX MXBean, under {@code io.shmstore:type=SharedStore,name="<store>"}
 * (see {@link StoreMetrics#registerMBean}). Each attribute is read when asked for, from
 * {@link io.shmstore.SharedStore#stats()}.
 *
 * <p><b>Whose counts</b>: {@link #getHits()} and {@link #getMisses()} count this process's lookups
 * since it opened the store. Every other attribute describes the store itself, shared by every process
 * that has it open: the counters ({@link #getRecoveries()}, {@link #getEvictions()},
 * {@link #getExpirations()}, {@link #getDamaged()}, {@link #getGrowths()}) count what any process did
 * since the store was created, so several processes that export them report the same numbers, which
 * must not be added up.
 */
public interface StoreMXBean {
    /** @return the store's name, or its file for a file-backed store */
    String getName();

    /** @return live entries, in the store (all processes) */
    long getEntries();

    /** @return the entries the store was sized for when created */
    long getCapacity();

    /** @return the entries the store may grow to */
    long getMaxEntries();

    /** @return bytes of data chunks in use, in the store */
    long getBytesUsed();

    /** @return bytes of data chunks reserved, in the store; it grows */
    long getBytesCapacity();

    /** @return the memory the store occupies, in bytes */
    long getBytesReserved();

    /** @return the fullest segment's fraction of data chunks in use, 0 to 1 */
    double getMaxSegmentLoad();

    /** @return lookups by this process that found a value, since it opened the store */
    long getHits();

    /** @return lookups by this process that found none, since it opened the store */
    long getMisses();

    /** @return segment repairs after a writer died or damage was found, by any process since creation */
    long getRecoveries();

    /** @return entries evicted to make room, by any process since creation */
    long getEvictions();

    /** @return expired entries purged, by any process since creation */
    long getExpirations();

    /** @return entries dropped by online repairs because they were damaged, by any process since creation */
    long getDamaged();

    /** @return times a segment grew its table or data, by any process since creation */
    long getGrowths();

}
