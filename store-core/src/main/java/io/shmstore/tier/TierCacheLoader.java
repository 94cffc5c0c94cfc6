package io.shmstore.tier;

import javax.cache.configuration.Factory;
import javax.cache.integration.CacheLoader;
import javax.cache.integration.CacheLoaderException;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

/**
 * A JCache {@link CacheLoader} that reads through a {@link RedisTier}: a JCache miss is served from the
 * host's copy, or from Redis once for the whole host. Works with any JCache provider:
 *
 * <pre>{@code
 * MutableConfiguration<String, Quote> config = new MutableConfiguration<String, Quote>()
 *         .setTypes(String.class, Quote.class)
 *         .setReadThrough(true).setCacheLoaderFactory(TierCacheLoader.factory(tier))
 *         .setWriteThrough(true).setCacheWriterFactory(TierCacheWriter.factory(tier));
 * }</pre>
 *
 * A cache configured this way keeps its own copy, which Redis's invalidations do not reach: it serves
 * it after another host's write until its own expiry. {@link TierJCache#configuration} makes a cache
 * that holds nothing itself and is always as fresh as the tier's host copy.
 */
public final class TierCacheLoader<K, V> implements CacheLoader<K, V> {
    private final RedisTier<K, V> tier;

    /**
     * A loader that reads through {@code tier}.
     *
     * @param tier the tier, not null
     */
    public TierCacheLoader(RedisTier<K, V> tier) {
        this.tier = Objects.requireNonNull(tier, "tier");
    }

    /**
     * A factory for a cache configuration, handing out a loader over {@code tier} in this JVM.
     *
     * @param <K>  the key type
     * @param <V>  the value type
     * @param tier the tier, not null
     * @return the factory
     */
    public static <K, V> Factory<CacheLoader<K, V>> factory(RedisTier<K, V> tier) {
        return new TierFactory<>(new TierCacheLoader<>(tier));
    }

    /** @return the value, or null when Redis has no such key */
    @Override
    public V load(K key) {
        try {
            return tier.get(key);
        } catch (RedisTierException e) {
            throw new CacheLoaderException("cannot load key " + key + " through " + tier + ": " + e.getMessage(), e);
        }
    }

    /** Loads each key; keys Redis does not have are left out of the map. */
    @Override
    public Map<K, V> loadAll(Iterable<? extends K> keys) {
        Objects.requireNonNull(keys, "keys");
        Map<K, V> out = new HashMap<>();
        for (K key : keys) {
            V value = load(key);
            if (value != null) {
                out.put(key, value);
            }
        }
        return out;
    }
}
