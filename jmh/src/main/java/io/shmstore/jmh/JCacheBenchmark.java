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
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * A JCache {@code get} that hits, one thread, in one run: ShmStore's provider (the cache shared by the
 * host's processes), Caffeine's and Ehcache 3's (each in this process, on its heap), and ShmStore's own
 * {@link SharedStore#get} under the JCache cache (what the adapter adds). Every cache is JCache's
 * default {@code MutableConfiguration} with String keys and values: store-by-value, eternal, statistics
 * off. String values are immutable, so Caffeine hands back the stored reference and Ehcache copies;
 * ShmStore always decodes from shared memory, where other processes can read it too.
 *
 * <p>{@code keys} entries of {@code valueSize}-character values; each call reads a random key.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Threads(1)
public class JCacheBenchmark {
    private static final String CACHE = "jcache-benchmark";

    /** {@code shmstore}, {@code caffeine}, {@code ehcache}: the JCache provider; {@code shmstore-store}: no JCache. */
    @Param({"shmstore", "shmstore-store", "caffeine", "ehcache"})
    public String impl;

    @Param({"10000"})
    public int keys;

    @Param({"100"})
    public int valueSize;

    private Path shmDir;
    private CachingProvider provider;
    private CacheManager manager;
    private Cache<String, String> cache;
    private SharedStore<String, String> store;
    private String[] names;

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        shmDir = Files.createTempDirectory(Path.of(Files.isDirectory(Path.of("/dev/shm")) ? "/dev/shm" : System.getProperty("java.io.tmpdir")),
                "shmstore-jcache-bench-");
        System.setProperty("shmstore.dir", shmDir.toString());
        provider = Caching.getCachingProvider(switch (impl) {
            case "shmstore", "shmstore-store" -> "io.shmstore.jcache.ShmCachingProvider";
            case "caffeine" -> "com.github.benmanes.caffeine.jcache.spi.CaffeineCachingProvider";
            case "ehcache" -> "org.ehcache.jsr107.EhcacheCachingProvider";
            default -> throw new IllegalArgumentException("impl " + impl);
        });
        manager = provider.getCacheManager();
        cache = manager.createCache(CACHE, new MutableConfiguration<String, String>().setTypes(String.class, String.class));
        names = new String[keys];
        String value = "v".repeat(valueSize);
        for (int i = 0; i < keys; i++) {
            names[i] = "key-" + i;
            cache.put(names[i], value);
        }
        if (impl.equals("shmstore-store")) {
            @SuppressWarnings("unchecked")
            SharedStore<String, String> s = cache.unwrap(SharedStore.class);
            store = s;
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() throws Exception {
        manager.destroyCache(CACHE);
        provider.close();
        try (var files = Files.list(shmDir)) {
            for (Path f : (Iterable<Path>) files::iterator) {
                Files.deleteIfExists(f);
            }
        }
        Files.deleteIfExists(shmDir);
    }

    @Benchmark
    public String getHit() {
        String key = names[ThreadLocalRandom.current().nextInt(keys)];
        return store != null ? store.get(key) : cache.get(key);
    }
}
