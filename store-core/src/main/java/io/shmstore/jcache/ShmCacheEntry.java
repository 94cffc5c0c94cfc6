package io.shmstore.jcache;

import javax.cache.Cache;

/** A key and value read from a cache (its iterator's entries), or handed to its writer. */
public final class ShmCacheEntry<K, V> implements Cache.Entry<K, V> {
    private final K key;
    private final V value;

    ShmCacheEntry(K key, V value) {
        this.key = key;
        this.value = value;
    }

    @Override
    public K getKey() {
        return key;
    }

    @Override
    public V getValue() {
        return value;
    }

    @Override
    public <T> T unwrap(Class<T> clazz) {
        return Unwrapping.unwrap(this, clazz);
    }

    @Override
    public String toString() {
        return key + "=" + value;
    }
}
