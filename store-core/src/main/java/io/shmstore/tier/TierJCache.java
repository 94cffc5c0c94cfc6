package io.shmstore.tier;

import javax.cache.configuration.MutableConfiguration;
import javax.cache.expiry.CreatedExpiryPolicy;
import javax.cache.expiry.Duration;
import java.util.Objects;

/**
 * A JCache configuration whose cache is kept coherent by Redis's invalidations, with any provider
 * (ShmStore's, Caffeine's, ...): read-through and write-through over the {@link RedisTier}, and an
 * expiry of zero on creation, so the cache itself never holds an entry (the specification's rule for a
 * zero expiry: a loaded value is returned, not stored). Every hit is then a hit in the tier's host copy,
 * which the host's listener invalidates when any host writes the key, and which every process of the
 * host shares; a cache with its own copy (a plain {@link TierCacheLoader}) keeps serving that copy
 * after another host's write, until its own expiry.
 *
 * <pre>{@code
 * Cache<String, Quote> quotes = manager.createCache("quotes", TierJCache.configuration(tier, String.class, Quote.class));
 * }</pre>
 *
 * The cache's statistics count every {@code get} as a miss and a load; the tier's {@link RedisTier#stats()}
 * count the host's hits and its reads from Redis.
 */
public final class TierJCache {
    private TierJCache() {
    }

    /**
     * Read-through and write-through over {@code tier}, holding nothing in the cache itself.
     *
     * @param <K>       the key type
     * @param <V>       the value type
     * @param tier      the tier, not null
     * @param keyType   the keys' class, recorded as the cache's key type
     * @param valueType the values' class, recorded as the cache's value type
     * @return a new configuration, which the caller may change further
     */
    public static <K, V> MutableConfiguration<K, V> configuration(RedisTier<K, V> tier, Class<K> keyType,
                                                                  Class<V> valueType) {
        Objects.requireNonNull(tier, "tier");
        return new MutableConfiguration<K, V>()
                .setTypes(Objects.requireNonNull(keyType, "keyType"), Objects.requireNonNull(valueType, "valueType"))
                .setReadThrough(true).setCacheLoaderFactory(TierCacheLoader.factory(tier))
                .setWriteThrough(true).setCacheWriterFactory(TierCacheWriter.factory(tier))
                .setExpiryPolicyFactory(CreatedExpiryPolicy.factoryOf(Duration.ZERO));
    }
}
