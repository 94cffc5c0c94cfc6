package io.shmstore;

/** What an insert does when the store has no room for it. */
public enum FullPolicy {
    /** Throw {@link StoreFullException}, naming the segment and what to configure. The default. */
    REJECT,
    /**
     * Make room by evicting, as a cache does: expired entries first, then the oldest-written of eight
     * entries sampled from the full segment (an approximation of first-in-first-out that needs no
     * bookkeeping on reads, which never write to shared memory).
     */
    EVICT
}
