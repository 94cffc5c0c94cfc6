package io.shmstore.tier;

import io.lettuce.core.api.sync.RedisCommands;
import io.shmstore.testing.RedisServer;
import io.shmstore.testing.ShmDirExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import javax.cache.Cache;
import javax.cache.CacheManager;
import javax.cache.Caching;
import javax.cache.configuration.MutableConfiguration;
import javax.cache.integration.CacheLoaderException;
import javax.cache.integration.CacheWriterException;
import javax.cache.spi.CachingProvider;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The tier behind JCache: its loader and writer in a {@link MutableConfiguration} (read-through,
 * write-through) of every JCache provider on the class path, against a real Redis. ShmStore's own
 * provider joins the run by being on the class path; with none, the run is skipped, saying so.
 */
@ExtendWith(ShmDirExtension.class)
class TierJCacheTest {
    private static RedisServer redis;
    private static RedisCommands<String, String> other;

    @BeforeAll
    static void startRedis() {
        redis = RedisServer.start();
        other = redis.commands();
    }

    @AfterAll
    static void stopRedis() {
        redis.close();
    }

    static Stream<CachingProvider> providers() {
        List<CachingProvider> found = new ArrayList<>();
        Caching.getCachingProviders().forEach(found::add);
        if (found.isEmpty()) {
            Assumptions.abort("no JCache provider on the class path: the tier's loader and writer were not run"
                    + " behind a cache");
        }
        return found.stream();
    }

    private RedisTier<String, String> tier(String name) {
        return RedisTier.of(String.class, String.class).name(name).redis(redis.uri()).keyPrefix("j:")
                .commandTimeout(Duration.ofMillis(300)).open();
    }

    private static Cache<String, String> cache(CachingProvider provider, RedisTier<String, String> tier, String name) {
        CacheManager manager = provider.getCacheManager(provider.getDefaultURI(), TierJCacheTest.class.getClassLoader());
        manager.destroyCache(name);
        MutableConfiguration<String, String> config = new MutableConfiguration<String, String>()
                .setTypes(String.class, String.class)
                .setReadThrough(true).setCacheLoaderFactory(TierCacheLoader.factory(tier))
                .setWriteThrough(true).setCacheWriterFactory(TierCacheWriter.factory(tier));
        return manager.createCache(name, config);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("providers")
    void readThrough_loadsFromRedisThroughTheHostCopy(CachingProvider provider) {
        other.flushall();
        other.mset(Map.of("j:a", "1", "j:b", "2"));
        try (RedisTier<String, String> tier = tier("jc")) {
            RedisTierTest.awaitTrusted(tier);
            Cache<String, String> cache = cache(provider, tier, "read");
            assertThat(cache.get("a")).isEqualTo("1");
            assertThat(cache.getAll(Set.of("b", "missing"))).isEqualTo(Map.of("b", "2"));
            assertThat(cache.get("missing")).isNull();
            assertThat(tier.stats().hostRedisReads()).as("each key read from Redis once for the host").isEqualTo(3);
            assertThat(tier.get("a")).isEqualTo("1");
            assertThat(tier.stats().hostRedisReads()).isEqualTo(3);
            cache.getCacheManager().destroyCache("read");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("providers")
    void writeThrough_writesAndDeletesInRedis(CachingProvider provider) {
        other.flushall();
        try (RedisTier<String, String> tier = tier("jc")) {
            RedisTierTest.awaitTrusted(tier);
            Cache<String, String> cache = cache(provider, tier, "write");
            cache.put("w", "x");
            assertThat(other.get("j:w")).isEqualTo("x");
            cache.putAll(Map.of("p", "1", "q", "2"));
            assertThat(other.mget("j:p", "j:q").stream().map(kv -> kv.getValue()).toList()).containsExactly("1", "2");
            cache.remove("w");
            assertThat(other.exists("j:w")).isZero();
            cache.removeAll(Set.of("p", "q"));
            assertThat(other.exists("j:p", "j:q")).isZero();
            cache.getCacheManager().destroyCache("write");
        }
    }

    /**
     * Through {@link TierJCache#configuration}, another host's write reaches the cache: it holds nothing
     * of its own, and the tier's host copy is invalidated by Redis. A cache with its own copy (the plain
     * loader) keeps the old value, which is why that configuration exists.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("providers")
    void coherentConfiguration_seesAnotherHostsWrite(CachingProvider provider) throws InterruptedException {
        other.flushall();
        other.set("j:c", "1");
        try (RedisTier<String, String> tier = tier("jc")) {
            RedisTierTest.awaitTrusted(tier);
            CacheManager manager = provider.getCacheManager(provider.getDefaultURI(), TierJCacheTest.class.getClassLoader());
            manager.destroyCache("coherent");
            Cache<String, String> coherent = manager.createCache("coherent", TierJCache.configuration(tier, String.class,
                    String.class));
            Cache<String, String> ownCopy = cache(provider, tier, "own-copy");
            assertThat(coherent.get("c")).isEqualTo("1");
            assertThat(ownCopy.get("c")).isEqualTo("1");
            long reads = tier.stats().hostRedisReads();
            assertThat(coherent.get("c")).as("a second get is the host copy's hit").isEqualTo("1");
            assertThat(tier.stats().hostRedisReads()).isEqualTo(reads);
            other.set("j:c", "2"); // another host writes
            long deadline = System.nanoTime() + 5_000_000_000L;
            while (!"2".equals(coherent.get("c")) && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
            assertThat(coherent.get("c")).as("the coherent cache after another host's write").isEqualTo("2");
            assertThat(ownCopy.get("c")).as("a cache with its own copy still serves it").isEqualTo("1");
            coherent.put("c", "3");
            assertThat(other.get("j:c")).isEqualTo("3");
            manager.destroyCache("coherent");
            manager.destroyCache("own-copy");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("providers")
    void redisDown_isTheCacheContractsLoaderAndWriterException(CachingProvider provider) {
        int port;
        try {
            port = RedisServer.freePort();
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
        try (RedisTier<String, String> tier = RedisTier.of(String.class, String.class).name("down")
                .redis("redis://127.0.0.1:" + port).commandTimeout(Duration.ofMillis(200)).open()) {
            Cache<String, String> cache = cache(provider, tier, "down");
            assertThatThrownBy(() -> cache.get("k")).isInstanceOf(CacheLoaderException.class)
                    .hasStackTraceContaining("RedisUnavailableException").hasStackTraceContaining("127.0.0.1:" + port);
            assertThatThrownBy(() -> cache.put("k", "v")).isInstanceOf(CacheWriterException.class)
                    .hasStackTraceContaining("RedisUnavailableException");
            cache.getCacheManager().destroyCache("down");
        }
    }
}
