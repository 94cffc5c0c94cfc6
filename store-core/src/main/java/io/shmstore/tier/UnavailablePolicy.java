package io.shmstore.tier;

/** What a read does when the host's copy cannot be trusted and Redis cannot be reached. */
public enum UnavailablePolicy {
    /** Throw {@link RedisUnavailableException}: never a value that may be stale. The default. */
    FAIL,
    /**
     * Serve the value this host last held for the key, even though another host may have changed it
     * since (the stale-read mode, chosen knowingly); a key the host does not hold still throws
     * {@link RedisUnavailableException}, and so does every write. A copy whose Redis time to live
     * has passed is never served. Each such read is counted in {@link TierStats#staleReads()}.
     */
    SERVE_HOST_COPY
}
