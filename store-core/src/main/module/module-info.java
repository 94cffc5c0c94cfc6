/**
 * ShmStore's core: named shared memory, mutexes, events and semaphores ({@code io.shmstore.memory}),
 * the shared store ({@code io.shmstore}) and its metrics ({@code io.shmstore.metrics}), the JCache
 * provider ({@code io.shmstore.jcache}, for applications that bring {@code cache-api}) and the Redis
 * tier ({@code io.shmstore.tier}, for applications that bring Lettuce). The {@code internal} packages
 * are not exported.
 */
module io.shmstore.core {
    requires transitive chronicle.bytes;
    requires transitive chronicle.core;
    requires com.sun.jna;
    requires com.sun.jna.platform;
    requires java.logging;
    requires jdk.unsupported;
    requires transitive java.management;
    requires static micrometer.core;
    requires static cache.api;
    requires static lettuce.core;

    exports io.shmstore;
    exports io.shmstore.memory;
    exports io.shmstore.metrics;
    exports io.shmstore.jcache;
    exports io.shmstore.tier;
    // No "provides javax.cache.spi.CachingProvider": the JCache API is optional, and a provides clause
    // would make the module unresolvable without it. On the module path, name the provider:
    // Caching.getCachingProvider("io.shmstore.jcache.ShmCachingProvider"). On the class path,
    // META-INF/services registers it.
}
