package io.shmstore.jcache;

import javax.cache.Cache;
import javax.cache.CacheException;
import javax.cache.CacheManager;
import javax.cache.configuration.Configuration;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The caches of one URI (see {@link CacheLocation}) for one class loader in this process. Every process
 * that opens the same URI shares their stores: a cache that another process created is opened, not
 * created again, by {@link #createCache}, which checks that the two configurations agree.
 * {@link #getCache} returns the caches this manager created.
 */
public final class ShmCacheManager implements CacheManager {
    private final ShmCachingProvider provider;
    private final URI uri;
    private final CacheLocation location;
    private final ClassLoader classLoader;
    private final Properties properties;
    private final Map<String, ShmCache<?, ?>> caches = new ConcurrentHashMap<>();
    private volatile boolean closed;

    ShmCacheManager(ShmCachingProvider provider, CacheLocation location, ClassLoader classLoader, Properties properties) {
        this.provider = provider;
        this.uri = location.uri();
        this.location = location;
        this.classLoader = classLoader;
        this.properties = properties;
    }

    CacheLocation location() {
        return location;
    }

    @Override
    public ShmCachingProvider getCachingProvider() {
        return provider;
    }

    @Override
    public URI getURI() {
        return uri;
    }

    @Override
    public ClassLoader getClassLoader() {
        return classLoader;
    }

    @Override
    public Properties getProperties() {
        return properties;
    }

    /**
     * Creates the cache, or opens it when another process (or another manager of the same URI) created
     * it with the same configuration.
     *
     * @throws CacheException                when this manager has the cache already, or its store exists
     *                                       with another configuration (the message names both)
     * @throws UnsupportedOperationException for store-by-reference
     * @throws IllegalArgumentException      for a key or value type that is not Serializable (without a codec)
     */
    @Override
    public <K, V, C extends Configuration<K, V>> Cache<K, V> createCache(String cacheName, C configuration) {
        checkOpen();
        Objects.requireNonNull(cacheName, "cacheName");
        Objects.requireNonNull(configuration, "configuration");
        if (cacheName.isEmpty()) {
            throw new IllegalArgumentException("a cache name must not be empty");
        }
        synchronized (this) {
            checkOpen();
            if (caches.containsKey(cacheName)) {
                throw new CacheException("cache manager " + uri + " has a cache named \"" + cacheName + "\" already");
            }
            if (location.directory() != null) {
                try {
                    Files.createDirectories(location.directory());
                } catch (IOException e) {
                    throw new CacheException("cannot create the directory of cache manager " + uri + ": " + e, e);
                }
            }
            ShmCache<K, V> cache = ShmCache.open(this, cacheName, ShmCacheConfiguration.from(configuration));
            try {
                if (configuration.isStoreByValue() && cache.configuration().isManagementEnabled()) {
                    cache.setManagementEnabled(true);
                }
                if (cache.configuration().isStatisticsEnabled()) {
                    cache.setStatisticsEnabled(true);
                }
            } catch (RuntimeException e) {
                cache.closeQuietly();
                throw e;
            }
            caches.put(cacheName, cache);
            return cache;
        }
    }

    @Override
    public <K, V> Cache<K, V> getCache(String cacheName, Class<K> keyType, Class<V> valueType) {
        checkOpen();
        Objects.requireNonNull(cacheName, "cacheName");
        Objects.requireNonNull(keyType, "keyType");
        Objects.requireNonNull(valueType, "valueType");
        ShmCache<?, ?> cache = caches.get(cacheName);
        if (cache == null) {
            return null;
        }
        Class<?> k = cache.configuration().getKeyType();
        Class<?> v = cache.configuration().getValueType();
        if (k != keyType || v != valueType) {
            throw new ClassCastException("cache \"" + cacheName + "\" has keys of " + k.getName() + " and values of "
                    + v.getName() + ", not " + keyType.getName() + " and " + valueType.getName());
        }
        @SuppressWarnings("unchecked")
        Cache<K, V> typed = (Cache<K, V>) cache;
        return typed;
    }

    @Override
    public <K, V> Cache<K, V> getCache(String cacheName) {
        checkOpen();
        Objects.requireNonNull(cacheName, "cacheName");
        @SuppressWarnings("unchecked")
        Cache<K, V> cache = (Cache<K, V>) caches.get(cacheName);
        return cache;
    }

    @Override
    public Iterable<String> getCacheNames() {
        checkOpen();
        return List.copyOf(caches.keySet());
    }

    /**
     * Clears the cache's store and removes its name, in every process: a process that still has it open
     * keeps a cleared store that no other process sees; the next {@code createCache} of the name, anywhere,
     * makes a new store, with any configuration.
     */
    @Override
    public void destroyCache(String cacheName) {
        checkOpen();
        Objects.requireNonNull(cacheName, "cacheName");
        ShmCache<?, ?> cache = caches.remove(cacheName);
        if (cache != null) {
            cache.destroy();
        }
    }

    @Override
    public void enableManagement(String cacheName, boolean enabled) {
        ShmCache<?, ?> cache = managed(cacheName);
        if (cache != null) {
            cache.setManagementEnabled(enabled);
        }
    }

    @Override
    public void enableStatistics(String cacheName, boolean enabled) {
        ShmCache<?, ?> cache = managed(cacheName);
        if (cache != null) {
            cache.setStatisticsEnabled(enabled);
        }
    }

    /** The cache of that name this manager has, or null; the manager must be open. */
    private ShmCache<?, ?> managed(String cacheName) {
        checkOpen();
        Objects.requireNonNull(cacheName, "cacheName");
        return caches.get(cacheName);
    }

    /** Forgets a cache that closed itself. */
    void forget(ShmCache<?, ?> cache) {
        caches.remove(cache.getName(), cache);
    }

    /** Closes every cache (this process's handles: the entries stay for the others) and leaves the provider. */
    @Override
    public void close() {
        if (closeQuietly()) {
            provider.release(this);
        }
    }

    /** Closes the caches; false when already closed. */
    synchronized boolean closeQuietly() {
        if (closed) {
            return false;
        }
        closed = true;
        List<ShmCache<?, ?>> open = new ArrayList<>(caches.values());
        caches.clear();
        for (ShmCache<?, ?> c : open) {
            try {
                c.closeQuietly();
            } catch (RuntimeException e) {
                // JCache: a cache's failure to close is ignored; the others close
            }
        }
        return true;
    }

    @Override
    public boolean isClosed() {
        return closed;
    }

    @Override
    public <T> T unwrap(Class<T> clazz) {
        return Unwrapping.unwrap(this, clazz);
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("cache manager " + uri + " is closed");
        }
    }

    @Override
    public String toString() {
        return "ShmCacheManager[" + uri + (closed ? ", closed" : "") + "]";
    }
}
