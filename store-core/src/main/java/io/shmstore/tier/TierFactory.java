package io.shmstore.tier;

import javax.cache.configuration.Factory;

/**
 * Hands out one loader or writer over a tier. JCache wants serializable factories, but a tier lives
 * in one JVM (it holds connections and mappings): a copy of this factory in another JVM has nothing to
 * hand out and says so.
 */
final class TierFactory<T> implements Factory<T> {
    private static final long serialVersionUID = 1L;

    private final transient T instance;

    TierFactory(T instance) {
        this.instance = instance;
    }

    @Override
    public T create() {
        if (instance == null) {
            throw new IllegalStateException("this factory was serialized away from the JVM of its Redis tier:"
                    + " open the tier in this JVM and configure the cache with TierCacheLoader.factory(tier)");
        }
        return instance;
    }
}
