package io.shmstore.tier;

import javax.cache.Cache;
import javax.cache.configuration.Factory;
import javax.cache.integration.CacheWriter;
import javax.cache.integration.CacheWriterException;
import java.util.Collection;
import java.util.Iterator;
import java.util.Objects;

/**
 * A JCache {@link CacheWriter} that writes through a {@link RedisTier}: to Redis, then to the host's
 * copy; a delete deletes in Redis. Per the JCache contract, {@code writeAll} and {@code deleteAll}
 * leave in their collection exactly what was not written.
 */
public final class TierCacheWriter<K, V> implements CacheWriter<K, V> {
    private final RedisTier<K, V> tier;

    /**
     * A writer that writes through {@code tier}.
     *
     * @param tier the tier, not null
     */
    public TierCacheWriter(RedisTier<K, V> tier) {
        this.tier = Objects.requireNonNull(tier, "tier");
    }

    /**
     * A factory for a cache configuration, handing out a writer over {@code tier} in this JVM.
     *
     * @param <K>  the key type
     * @param <V>  the value type
     * @param tier the tier, not null
     * @return the factory
     */
    public static <K, V> Factory<CacheWriter<K, V>> factory(RedisTier<K, V> tier) {
        return new TierFactory<>(new TierCacheWriter<>(tier));
    }

    @Override
    public void write(Cache.Entry<? extends K, ? extends V> entry) {
        try {
            tier.put(entry.getKey(), entry.getValue());
        } catch (RedisTierException e) {
            throw new CacheWriterException("cannot write key " + entry.getKey() + " through " + tier + ": "
                    + e.getMessage(), e);
        }
    }

    @Override
    public void writeAll(Collection<Cache.Entry<? extends K, ? extends V>> entries) {
        for (Iterator<Cache.Entry<? extends K, ? extends V>> it = entries.iterator(); it.hasNext(); ) {
            write(it.next());
            it.remove();
        }
    }

    @Override
    public void delete(Object key) {
        try {
            tier.remove(tier.castKey(key));
        } catch (RedisTierException e) {
            throw new CacheWriterException("cannot delete key " + key + " through " + tier + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void deleteAll(Collection<?> keys) {
        for (Iterator<?> it = keys.iterator(); it.hasNext(); ) {
            delete(it.next());
            it.remove();
        }
    }
}
