package io.shmstore.jcache;

import javax.cache.CacheManager;
import javax.cache.configuration.OptionalFeature;
import javax.cache.spi.CachingProvider;
import java.net.URI;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.WeakHashMap;

/**
 * ShmStore's JCache provider, found by {@code Caching.getCachingProvider()} through
 * {@code META-INF/services/javax.cache.spi.CachingProvider}. A cache manager's URI says where its caches
 * live ({@code shmstore:<namespace>}, by default {@code shmstore:jcache}, or {@code file:<directory>}):
 * the processes of a host that open the same URI share the caches. Store-by-reference is not supported;
 * a cache stores by value, which is what lets processes share it.
 */
public final class ShmCachingProvider implements CachingProvider {
    /** Managers by class loader (held weakly), then URI. */
    private final Map<ClassLoader, Map<URI, ShmCacheManager>> managers = new WeakHashMap<>();

    @Override
    public synchronized CacheManager getCacheManager(URI uri, ClassLoader classLoader, Properties properties) {
        URI u = uri != null ? uri : getDefaultURI();
        ClassLoader cl = classLoader != null ? classLoader : getDefaultClassLoader();
        CacheLocation location = CacheLocation.of(u);
        Map<URI, ShmCacheManager> byUri = managers.computeIfAbsent(cl, k -> new HashMap<>());
        ShmCacheManager m = byUri.get(u);
        if (m == null || m.isClosed()) {
            Properties p = new Properties();
            if (properties != null) {
                p.putAll(properties);
            }
            m = new ShmCacheManager(this, location, cl, p);
            byUri.put(u, m);
        }
        return m;
    }

    @Override
    public CacheManager getCacheManager(URI uri, ClassLoader classLoader) {
        return getCacheManager(uri, classLoader, getDefaultProperties());
    }

    @Override
    public CacheManager getCacheManager() {
        return getCacheManager(getDefaultURI(), getDefaultClassLoader());
    }

    @Override
    public ClassLoader getDefaultClassLoader() {
        return getClass().getClassLoader();
    }

    @Override
    public URI getDefaultURI() {
        return CacheLocation.DEFAULT_URI;
    }

    @Override
    public Properties getDefaultProperties() {
        return new Properties();
    }

    /** Closes every manager this provider made. */
    @Override
    public void close() {
        List<ShmCacheManager> all = new ArrayList<>();
        synchronized (this) {
            managers.values().forEach(m -> all.addAll(m.values()));
            managers.clear();
        }
        all.forEach(ShmCacheManager::closeQuietly);
    }

    @Override
    public void close(ClassLoader classLoader) {
        ClassLoader cl = classLoader != null ? classLoader : getDefaultClassLoader();
        Map<URI, ShmCacheManager> byUri;
        synchronized (this) {
            byUri = managers.remove(cl);
        }
        if (byUri != null) {
            byUri.values().forEach(ShmCacheManager::closeQuietly);
        }
    }

    @Override
    public void close(URI uri, ClassLoader classLoader) {
        URI u = uri != null ? uri : getDefaultURI();
        ClassLoader cl = classLoader != null ? classLoader : getDefaultClassLoader();
        ShmCacheManager m;
        synchronized (this) {
            Map<URI, ShmCacheManager> byUri = managers.get(cl);
            m = byUri == null ? null : byUri.remove(u);
            if (byUri != null && byUri.isEmpty()) {
                managers.remove(cl);
            }
        }
        if (m != null) {
            m.closeQuietly();
        }
    }

    /** A manager closed itself: forget it. */
    synchronized void release(ShmCacheManager manager) {
        Map<URI, ShmCacheManager> byUri = managers.get(manager.getClassLoader());
        if (byUri != null) {
            byUri.remove(manager.getURI(), manager);
            if (byUri.isEmpty()) {
                managers.remove(manager.getClassLoader());
            }
        }
    }

    /** Only store-by-value, which is what shares a cache between processes; no annotations. */
    @Override
    public boolean isSupported(OptionalFeature optionalFeature) {
        return false;
    }

    @Override
    public String toString() {
        return "ShmCachingProvider";
    }
}
