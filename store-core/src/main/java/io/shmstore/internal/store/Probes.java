package io.shmstore.internal.store;

import java.util.concurrent.atomic.LongAdder;

/**
 * How often this process ran the segment's cold paths: rehash, eviction, expiry purge, recovery
 * and growth.
 * Tests read them to show that a fuzz or a regression case reached the path it is meant to exercise.
 * Process-local (nothing in shared memory), and incremented only on those rare paths, never on a read or
 * an ordinary write.
 */
public final class Probes {
    /** {@code SlotTable.rehash()} calls, repairs' included. */
    public static final LongAdder REHASH = new LongAdder();
    /** {@code SegmentWriter.evictOneExcept()} calls: an eviction was needed, whether or not it found a victim. */
    public static final LongAdder EVICTION = new LongAdder();
    /** {@code SegmentWriter.purgeExpired()} calls in a store with an expiry. */
    public static final LongAdder EXPIRY_PURGE = new LongAdder();
    /**
     * {@code SegmentRepair.recover()} calls: a segment lock taken over from a dead owner, or damage a
     * writer found.
     */
    public static final LongAdder RECOVERY = new LongAdder();
    /** Growths of a segment's data or table ({@code SegmentWriter.growData()}, {@code growSlots()}). */
    public static final LongAdder GROWTH = new LongAdder();

    private Probes() {
    }
}
