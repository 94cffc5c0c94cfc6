package io.shmstore.jmh;

import io.shmstore.SharedStore;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

import javax.cache.Cache;
import javax.cache.CacheManager;
import javax.cache.Caching;
import javax.cache.configuration.MutableConfiguration;
import javax.cache.spi.CachingProvider;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * A JCache {@code get} that hits, one thread, in one run: ShmStore's provider (the cache shared by the
 * host's processes), Caffeine's and Ehcache 3's (each in this process, on its heap); and
 * {@link #sharedStoreGetHit} reads the same ShmStore cache's entries through {@link SharedStore#get}
 * itself, which is what the adapter adds to. Every cache is JCache's default
 * {@code MutableConfiguration} with String keys and values: store-by-value, eternal, statistics off.
 * String values are immutable, so Caffeine hands back the stored reference and Ehcache copies; ShmStore
 * decodes every value from shared memory, where other processes can read it too.
 *
 * <p>{@value #KEYS} entries of 100-character values; each call reads a random key.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Threads(1)
public class JCacheBenchmark {
    static final int KEYS = 10_000;
    private static final String CACHE = "jcache-benchmark";

    /** A provider's cache, filled; made and removed by the states below. */
    abstract static class Filled {
        private Path shmDir;
        private CachingProvider provider;
        private CacheManager manager;
        Cache<String, String> cache;
        private final String[] names = new String[KEYS];

        void fill(String impl) throws IOException {
            shmDir = Files.createTempDirectory(Files.isDirectory(Path.of("/dev/shm")) ? Path.of("/dev/shm")
                    : Path.of(System.getProperty("java.io.tmpdir")), "shmstore-jcache-bench-");
            System.setProperty("shmstore.dir", shmDir.toString());
            provider = Caching.getCachingProvider(switch (impl) {
                case "shmstore" -> "io.shmstore.jcache.ShmCachingProvider";
                case "caffeine" -> "com.github.benmanes.caffeine.jcache.spi.CaffeineCachingProvider";
                case "ehcache" -> "org.ehcache.jsr107.EhcacheCachingProvider";
                default -> throw new IllegalArgumentException("impl " + impl);
            });
            manager = provider.getCacheManager();
            cache = manager.createCache(CACHE, new MutableConfiguration<String, String>().setTypes(String.class, String.class));
            String value = "v".repeat(100);
            for (int i = 0; i < KEYS; i++) {
                names[i] = "key-" + i;
                cache.put(names[i], value);
            }
        }

        String key() {
            return names[ThreadLocalRandom.current().nextInt(KEYS)];
        }

        void empty() throws IOException {
            manager.destroyCache(CACHE);
            provider.close();
            try (var files = Files.list(shmDir)) {
                for (Path f : (Iterable<Path>) files::iterator) {
                    Files.deleteIfExists(f);
                }
            }
            Files.deleteIfExists(shmDir);
        }
    }

    /** One provider's cache. */
    @State(Scope.Benchmark)
    public static class Caches extends Filled {
        /** The JCache provider: {@code shmstore}, {@code caffeine}, {@code ehcache}. */
        @Param({"shmstore", "caffeine", "ehcache"})
        public String impl;

        @Setup(Level.Trial)
        public void setUp() throws IOException {
            fill(impl);
        }

        @TearDown(Level.Trial)
        public void tearDown() throws IOException {
            empty();
        }
    }

    /** ShmStore's cache, read through the store under it. */
    @State(Scope.Benchmark)
    public static class Store extends Filled {
        SharedStore<String, String> store;

        @Setup(Level.Trial)
        public void setUp() throws IOException {
            fill("shmstore");
            @SuppressWarnings("unchecked")
            SharedStore<String, String> s = cache.unwrap(SharedStore.class);
            store = s;
        }

        @TearDown(Level.Trial)
        public void tearDown() throws IOException {
            empty();
        }
    }

    @Benchmark
    public String getHit(Caches c) {
        return c.cache.get(c.key());
    }

    @Benchmark
    public String sharedStoreGetHit(Store s) {
        return s.store.get(s.key());
    }
}
