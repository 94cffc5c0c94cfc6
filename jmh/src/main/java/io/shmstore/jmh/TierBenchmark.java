package io.shmstore.jmh;

import io.lettuce.core.RedisClient;
import io.lettuce.core.TrackingArgs;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.support.caching.CacheAccessor;
import io.lettuce.core.support.caching.CacheFrontend;
import io.lettuce.core.support.caching.ClientSideCaching;
import io.shmstore.tier.RedisTier;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * A hit through the Redis tier (the host's shared copy) against a Redis {@code GET} round trip on
 * loopback and a hit in Lettuce's own client-side cache (a per-process map invalidated by the same
 * server-assisted tracking), in one run, against a {@code redis-server} this benchmark starts on a
 * free loopback port ({@code redis-server} on the PATH). Redis requests saved per process count are
 * measured by {@code shmstore tier-demo} (BENCHMARKS.md).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class TierBenchmark {
    private static final String KEY = "quote-EURUSD";

    private Process redis;
    private Path dir;
    private Path shm;
    private RedisClient client;
    private StatefulRedisConnection<String, String> connection;
    private StatefulRedisConnection<String, String> tracked;
    private RedisCommands<String, String> commands;
    private CacheFrontend<String, String> lettuceCache;
    private RedisTier<String, String> tier;

    @Setup(Level.Trial)
    public void setUp() throws IOException, InterruptedException {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        dir = Files.createTempDirectory("shmstore-jmh-redis-");
        redis = new ProcessBuilder("redis-server", "--port", Integer.toString(port), "--bind", "127.0.0.1", "--save", "",
                "--appendonly", "no", "--dir", dir.toString()).redirectErrorStream(true)
                .redirectOutput(dir.resolve("redis.log").toFile()).start();
        String uri = "redis://127.0.0.1:" + port;
        client = RedisClient.create(uri);
        for (int attempt = 0; connection == null; attempt++) {
            try {
                connection = client.connect();
            } catch (RuntimeException notYet) {
                if (attempt > 200) {
                    throw notYet;
                }
                Thread.sleep(25);
            }
        }
        commands = connection.sync();
        commands.set(KEY, "{\"bid\":1.0842,\"ask\":1.0843,\"time\":1700000000000}");
        tracked = client.connect();
        lettuceCache = ClientSideCaching.enable(CacheAccessor.forMap(new ConcurrentHashMap<>()), tracked,
                TrackingArgs.Builder.enabled());
        shm = Scratch.freshShmDir();
        tier = RedisTier.of(String.class, String.class).name("bench-tier").redis(uri).open();
        while (!tier.isTrusted()) {
            Thread.sleep(5);
        }
        if (tier.get(KEY) == null || lettuceCache.get(KEY) == null) {
            throw new IllegalStateException("the benchmark key is missing");
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException, InterruptedException {
        tier.close();
        lettuceCache.close();
        connection.close();
        client.shutdown();
        redis.destroyForcibly().waitFor();
        Scratch.delete(dir);
        Scratch.delete(shm);
    }

    /** The host's shared copy: what every process of the host reads after the first miss. */
    @Benchmark
    public String tierHit() {
        return tier.get(KEY);
    }

    /** Lettuce's per-process client-side cache: a map lookup, each process with its own copy. */
    @Benchmark
    public String lettuceClientSideCacheHit() {
        return lettuceCache.get(KEY);
    }

    /** A GET round trip to Redis on loopback: what a read costs with no near cache. */
    @Benchmark
    public String redisGet() {
        return commands.get(KEY);
    }
}
