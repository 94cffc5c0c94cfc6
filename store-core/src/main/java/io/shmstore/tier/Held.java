package io.shmstore.tier;

/**
 * What the host's store holds for a key: the value (null when Redis had no such key, so that a
 * miss is cached too), the epoch of the invalidation stream it was fetched or written under, and
 * when Redis expires it.
 *
 * @param epoch     the {@link TierState} epoch at the time of the fill; the copy is served only while
 *                  the host's epoch is still this one
 * @param expiresAt wall-clock milliseconds when the key expires in Redis, {@link Long#MAX_VALUE} for never
 * @param value     the value, or null for a key Redis does not have
 */
record Held<V>(long epoch, long expiresAt, V value) {
    boolean servableAt(long epochNow, long nowMillis) {
        return epoch == epochNow && nowMillis < expiresAt;
    }
}
