package io.shmstore.examples.spring;

import io.shmstore.jcache.ShmCachingProvider;
import org.springframework.cache.CacheManager;
import org.springframework.cache.annotation.EnableCaching;
import org.springframework.cache.jcache.JCacheCacheManager;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import javax.cache.Caching;
import javax.cache.configuration.MutableConfiguration;
import java.net.URI;

/**
 * A plain Spring application context (spring-context, no Boot) whose cache is JCache over ShmStore:
 * Spring's {@link JCacheCacheManager} over the JCache manager of one URI. Every JVM that runs it shares
 * the {@value #CACHE} cache, so what one computed, the others find.
 *
 * <p>Each JVM creates the cache at startup, as a JCache application does: the first creates its store,
 * the others open it (and would be refused, naming both, if their configuration differed).
 */
@Configuration(proxyBeanMethods = false)
@EnableCaching
public class SquaresConfig {
    /** The name of the cache every JVM shares. */
    public static final String CACHE = "squares";

    /**
     * The JCache manager of {@code cacheUri} (a bean the caller registers), with the application's cache.
     *
     * @param cacheUri where the caches live ({@code shmstore:<namespace>} or {@code file:<directory>})
     * @return the JCache manager, closed with the context
     */
    @Bean(destroyMethod = "close")
    public javax.cache.CacheManager jcacheManager(URI cacheUri) {
        javax.cache.CacheManager manager = Caching.getCachingProvider(ShmCachingProvider.class.getName())
                .getCacheManager(cacheUri, SquaresConfig.class.getClassLoader());
        if (manager.getCache(CACHE) == null) {
            manager.createCache(CACHE, new MutableConfiguration<>().setStatisticsEnabled(true));
        }
        return manager;
    }

    /**
     * Spring's cache manager over the JCache one.
     *
     * @param jcacheManager the JCache manager of {@link #jcacheManager}
     * @return Spring's {@link JCacheCacheManager}
     */
    @Bean
    public CacheManager cacheManager(javax.cache.CacheManager jcacheManager) {
        return new JCacheCacheManager(jcacheManager);
    }
}
