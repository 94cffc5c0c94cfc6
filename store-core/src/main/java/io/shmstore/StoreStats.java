package io.shmstore;

import java.util.Arrays;

/**
 * A store's counts, read at one moment (segment by segment, without locks, so the totals may mix
 * moments under concurrent writes).
 *
 * @param entries        live entries (expired ones not yet purged included)
 * @param capacity       the entries the store was sized for
 * @param maxEntries     the entries it may grow to ({@code maxEntries}, eight times {@code capacity} by default)
 * @param bytesUsed      bytes of data chunks in use
 * @param bytesCapacity  bytes of data chunks reserved (it grows)
 * @param segmentLoad    per segment, the fraction of its data chunks in use
 * @param hits           lookups of this process that found a value
 * @param misses         lookups of this process that found none
 * @param recoveries     segment repairs after a writer died, by any process
 * @param evictions      entries evicted to make room, by any process
 * @param expirations    expired entries purged, by any process
 * @param damaged        entries dropped because an online repair found them damaged (out of bounds,
 *                       failing their checksum), by any process; {@code verify()} names such damage
 * @param bytesReserved  the memory the store occupies: its header, segment headers and change feed, and
 *                       each segment's table, bitmap and data as far as they have grown
 * @param growths        times a segment grew its table or its data, by any process
 */
public record StoreStats(long entries, long capacity, long maxEntries, long bytesUsed, long bytesCapacity, double[] segmentLoad,
                         long hits, long misses, long recoveries, long evictions, long expirations, long damaged,
                         long bytesReserved, long growths) {

    /**
     * The statistics; {@code segmentLoad} is copied.
     *
     * @param entries       live entries
     * @param capacity      the entries the store was sized for
     * @param maxEntries    the entries it may grow to
     * @param bytesUsed     bytes of data chunks in use
     * @param bytesCapacity bytes of data chunks reserved
     * @param segmentLoad   per segment, the fraction of its data chunks in use
     * @param hits          lookups of this process that found a value
     * @param misses        lookups of this process that found none
     * @param recoveries    segment repairs, by any process
     * @param evictions     entries evicted, by any process
     * @param expirations   expired entries purged, by any process
     * @param damaged       damaged entries dropped by repairs, by any process
     * @param bytesReserved the memory the store occupies
     * @param growths       segment growths, by any process
     */
    public StoreStats {
        segmentLoad = segmentLoad.clone();
    }

    /**
     * Per segment, the fraction of its data chunks in use.
     *
     * @return a copy of the loads, one per segment
     */
    @Override
    public double[] segmentLoad() {
        return segmentLoad.clone();
    }

    /**
     * Memory occupied per live entry.
     *
     * @return {@link #bytesReserved} / {@link #entries}; 0 when empty
     */
    public double bytesPerEntry() {
        return entries == 0 ? 0 : (double) bytesReserved / entries;
    }

    /**
     * The fullest segment's load: it grows, or the store fills, when this reaches 1.
     *
     * @return the largest of {@link #segmentLoad()}, 0 to 1
     */
    public double maxSegmentLoad() {
        return Arrays.stream(segmentLoad).max().orElse(0);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof StoreStats s && entries == s.entries && capacity == s.capacity && maxEntries == s.maxEntries
                && bytesUsed == s.bytesUsed
                && bytesCapacity == s.bytesCapacity && Arrays.equals(segmentLoad, s.segmentLoad) && hits == s.hits
                && misses == s.misses && recoveries == s.recoveries && evictions == s.evictions
                && expirations == s.expirations && damaged == s.damaged && bytesReserved == s.bytesReserved
                && growths == s.growths;
    }

    @Override
    public int hashCode() {
        return Long.hashCode(entries) * 31 + Arrays.hashCode(segmentLoad);
    }

    @Override
    public String toString() {
        return String.format("StoreStats[entries=%d/%d (max %d), bytes=%d/%d, maxSegmentLoad=%.2f, hits=%d, misses=%d,"
                        + " recoveries=%d, evictions=%d, expirations=%d, damaged=%d, reserved=%d, growths=%d]", entries,
                capacity, maxEntries, bytesUsed, bytesCapacity, maxSegmentLoad(), hits, misses, recoveries, evictions, expirations,
                damaged, bytesReserved, growths);
    }
}
