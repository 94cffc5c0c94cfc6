package io.shmstore.tier;

/**
 * A tier's counts, read now: this process's reads, and the host's Redis traffic and invalidation
 * stream as the shared state records them.
 *
 * @param hits                 reads of this process served from the host's copy
 * @param misses               reads of this process that the host's copy could not serve
 * @param fills                of those, reads after which this process fetched the key from Redis for the host
 * @param staleReads           reads of this process served from an untrusted copy because Redis was
 *                             unreachable ({@link UnavailablePolicy#SERVE_HOST_COPY})
 * @param hostRedisReads       Redis reads ({@code GET}) by every process of the host
 * @param hostRedisWrites      Redis writes ({@code SET}, {@code DEL}) by every process of the host
 * @param invalidations        keys Redis reported changed, removed from the host's store
 * @param takeovers            times a process of the host became its listener
 * @param abandonedTakeovers   of those, times the previous listener had died holding the role
 * @param listenerPid          the pid of the host's latest listener, 0 before the first
 * @param listening            whether this process is the host's listener
 * @param trusted              whether the host's copies may be served now (a live stream, within its lease)
 * @param epoch                the current epoch of the invalidation stream (odd: none)
 */
public record TierStats(long hits, long misses, long fills, long staleReads, long hostRedisReads, long hostRedisWrites,
                        long invalidations, long takeovers, long abandonedTakeovers, long listenerPid,
                        boolean listening, boolean trusted, long epoch) {

    /**
     * {@link #hits} over all reads; 0 before the first.
     *
     * @return the ratio, 0 to 1
     */
    public double hitRatio() {
        long reads = hits + misses;
        return reads == 0 ? 0 : (double) hits / reads;
    }
}
