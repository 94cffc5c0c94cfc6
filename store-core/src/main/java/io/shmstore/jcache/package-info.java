/**
 * JCache (JSR-107) over {@link io.shmstore.SharedStore}: a cache shared by every process of a host that
 * opens the same cache manager URI. {@link io.shmstore.jcache.ShmCachingProvider} is registered as a
 * {@code javax.cache.spi.CachingProvider}; the {@code javax.cache:cache-api} dependency is optional, for
 * applications that use JCache to bring. It sits on the store's public API, above every other package.
 */
package io.shmstore.jcache;
