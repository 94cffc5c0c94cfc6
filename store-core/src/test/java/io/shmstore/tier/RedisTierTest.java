package io.shmstore.tier;

import io.lettuce.core.SetArgs;
import io.lettuce.core.api.sync.RedisCommands;
import io.shmstore.testing.RedisServer;
import io.shmstore.testing.ShmDirExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.function.BooleanSupplier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * One process against a real Redis: read-through, write-through, invalidation by Redis, expiry, the
 * break and what follows it, and bad settings. "Another host" is this test's own Redis connection.
 */
@ExtendWith(ShmDirExtension.class)
class RedisTierTest {
    static final Duration WAIT = Duration.ofSeconds(10);
    private static RedisServer redis;
    private RedisCommands<String, String> other;

    @BeforeAll
    static void startRedis() {
        redis = RedisServer.start();
    }

    @AfterAll
    static void stopRedis() {
        redis.close();
    }

    @BeforeEach
    void cleanRedis() {
        if (!redis.isAlive()) {
            redis.restart();
        }
        other = redis.commands();
        other.flushall();
    }

    private RedisTier<String, String> tier(String name) {
        return RedisTier.of(String.class, String.class).name(name).redis(redis.uri()).keyPrefix("t:")
                .commandTimeout(Duration.ofMillis(500)).open();
    }

    static void await(String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within " + WAIT + ": " + what);
            }
            try {
                Thread.sleep(2);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }

    static void awaitTrusted(RedisTier<?, ?> tier) {
        await("the tier's invalidation stream is live", tier::isTrusted);
    }

    @Test
    void get_missFetchesOnceThenServesTheHostCopy() {
        other.set("t:a", "1");
        try (RedisTier<String, String> tier = tier("rt")) {
            awaitTrusted(tier);
            long gets = redis.calls("get");
            assertThat(tier.get("a")).isEqualTo("1");
            for (int i = 0; i < 100; i++) {
                assertThat(tier.get("a")).isEqualTo("1");
            }
            assertThat(redis.calls("get") - gets).isEqualTo(1);
            TierStats stats = tier.stats();
            assertThat(stats.hits()).isEqualTo(100);
            assertThat(stats.misses()).isEqualTo(1);
            assertThat(stats.hostRedisReads()).isEqualTo(1);
            assertThat(stats.listening()).isTrue();
        }
    }

    @Test
    void get_keyRedisDoesNotHaveIsHeldAsAbsentUntilSomeoneWritesIt() {
        try (RedisTier<String, String> tier = tier("rt")) {
            awaitTrusted(tier);
            long gets = redis.calls("get");
            assertThat(tier.get("nobody")).isNull();
            assertThat(tier.get("nobody")).isNull();
            assertThat(redis.calls("get") - gets).isEqualTo(1);
            other.set("t:nobody", "now");
            await("the write of another host is seen", () -> "now".equals(tier.get("nobody")));
        }
    }

    @Test
    void put_writesRedisAndTheHostCopy() {
        try (RedisTier<String, String> tier = tier("rt")) {
            awaitTrusted(tier);
            tier.put("w", "written");
            assertThat(other.get("t:w")).isEqualTo("written");
            assertThat(other.pttl("t:w")).isEqualTo(-1);
            assertThat(tier.get("w")).isEqualTo("written");
            assertThat(tier.remove("w")).isTrue();
            assertThat(other.exists("t:w")).isZero();
            assertThat(tier.get("w")).isNull();
            assertThat(tier.remove("w")).isFalse();
        }
    }

    @Test
    void writeByAnotherHost_removesTheHostCopy() {
        other.set("t:k", "old");
        try (RedisTier<String, String> tier = tier("rt")) {
            awaitTrusted(tier);
            assertThat(tier.get("k")).isEqualTo("old");
            other.set("t:k", "new");
            await("the host copy is invalidated", () -> "new".equals(tier.get("k")));
            other.del("t:k");
            await("the delete is seen", () -> tier.get("k") == null);
            assertThat(tier.stats().invalidations()).isGreaterThanOrEqualTo(2);
        }
    }

    @Test
    void keysOutsideThePrefixAreNeitherTrackedNorTouched() {
        try (RedisTier<String, String> tier = tier("rt")) {
            awaitTrusted(tier);
            tier.put("in", "1");
            other.set("elsewhere:in", "2");
            assertThat(tier.get("in")).isEqualTo("1");
            assertThat(other.get("elsewhere:in")).isEqualTo("2");
        }
    }

    @Test
    void expiry_followsRedisTimeToLive() throws InterruptedException {
        other.set("t:short", "v", SetArgs.Builder.px(300));
        try (RedisTier<String, String> tier = tier("rt")) {
            awaitTrusted(tier);
            assertThat(tier.get("short")).isEqualTo("v");
            tier.put("mine", "m", Duration.ofMillis(300));
            long pttl = other.pttl("t:mine");
            assertThat(pttl).isBetween(1L, 300L);
            assertThat(tier.get("mine")).isEqualTo("m");
            Thread.sleep(350);
            assertThat(tier.get("short")).isNull();
            assertThat(tier.get("mine")).isNull();
        }
    }

    @Test
    void flushAll_dropsEveryHostCopy() {
        other.set("t:f", "before");
        try (RedisTier<String, String> tier = tier("rt")) {
            awaitTrusted(tier);
            assertThat(tier.get("f")).isEqualTo("before");
            long epoch = tier.stats().epoch();
            other.flushall();
            await("a new stream after FLUSHALL", () -> tier.isTrusted() && tier.stats().epoch() != epoch);
            assertThat(tier.get("f")).isNull();
        }
    }

    @Test
    void longKeys_travelThroughTheKeyCodecBothWays() {
        io.lettuce.core.RedisClient client = io.lettuce.core.RedisClient.create(redis.uri());
        try (RedisTier<Long, String> tier = RedisTier.of(Long.class, String.class).name("longs").redis(redis.uri())
                .keyPrefix("L:").open();
             io.lettuce.core.api.StatefulRedisConnection<byte[], byte[]> raw =
                     client.connect(io.lettuce.core.codec.ByteArrayCodec.INSTANCE)) {
            awaitTrusted(tier);
            tier.put(42L, "answer");
            byte[] redisKey = {'L', ':', 42, 0, 0, 0, 0, 0, 0, 0};
            assertThat(raw.sync().get(redisKey)).isEqualTo("answer".getBytes(StandardCharsets.UTF_8));
            assertThat(tier.get(42L)).isEqualTo("answer");
            raw.sync().set(redisKey, "changed".getBytes(StandardCharsets.UTF_8));
            await("the change under a binary key is seen", () -> "changed".equals(tier.get(42L)));
        } finally {
            client.shutdown();
        }
    }

    @Test
    void valueThatTheCodecCannotRead_isATypedErrorNamingKeyAndCodec() {
        other.set("t:n", "not a long");
        try (RedisTier<String, Long> tier = RedisTier.of(String.class, Long.class).name("lv").redis(redis.uri())
                .keyPrefix("t:").open()) {
            awaitTrusted(tier);
            assertThatThrownBy(() -> tier.get("n")).isInstanceOf(RedisTierException.class)
                    .hasMessageContaining("key n").hasMessageContaining("long-le64");
        }
    }

    @Test
    void redisRestartedWithDataChangedUnseen_nothingHeldBeforeTheBreakIsServed() {
        other.set("t:r", "v1");
        Path snapshot = RedisServer.snapshotOf(Map.of("t:r", "v2"));
        try (RedisTier<String, String> tier = tier("rt")) {
            awaitTrusted(tier);
            assertThat(tier.get("r")).isEqualTo("v1");
            redis.kill();
            await("the break is known", () -> !tier.isTrusted());
            assertThatThrownBy(() -> tier.get("r")).isInstanceOf(RedisUnavailableException.class)
                    .hasMessageContaining("127.0.0.1:" + redis.port()).hasMessageContaining("key r");
            assertThatThrownBy(() -> tier.put("r", "x")).isInstanceOf(RedisUnavailableException.class);
            redis.restart(snapshot);
            // v2 came with no invalidation: only the new epoch keeps v1 from being served
            await("Redis is back", () -> {
                try {
                    return "v2".equals(tier.get("r"));
                } catch (RedisUnavailableException notYet) {
                    return false;
                }
            });
            awaitTrusted(tier);
            assertThat(tier.get("r")).isEqualTo("v2");
        }
    }

    @Test
    void serveHostCopy_servesWhatTheHostHeldWhileRedisIsDown() {
        other.set("t:s", "held");
        try (RedisTier<String, String> tier = RedisTier.of(String.class, String.class).name("stale").redis(redis.uri())
                .keyPrefix("t:").commandTimeout(Duration.ofMillis(300)).onUnavailable(UnavailablePolicy.SERVE_HOST_COPY)
                .open()) {
            awaitTrusted(tier);
            assertThat(tier.get("s")).isEqualTo("held");
            redis.kill();
            await("the break is known", () -> !tier.isTrusted());
            assertThat(tier.get("s")).isEqualTo("held");
            assertThat(tier.stats().staleReads()).isEqualTo(1);
            assertThatThrownBy(() -> tier.get("never-held")).isInstanceOf(RedisUnavailableException.class);
            assertThatThrownBy(() -> tier.put("s", "x")).isInstanceOf(RedisUnavailableException.class);
        }
    }

    @Test
    void hungRedis_stopsServingTheHostCopyWithinMaxStaleness() {
        other.set("t:h", "v");
        try (RedisTier<String, String> tier = RedisTier.of(String.class, String.class).name("hung").redis(redis.uri())
                .keyPrefix("t:").commandTimeout(Duration.ofMillis(300)).maxStaleness(Duration.ofMillis(200)).open()) {
            awaitTrusted(tier);
            assertThat(tier.get("h")).isEqualTo("v");
            redis.pause();
            try {
                long stopped = System.nanoTime();
                await("the lease runs out", () -> !tier.isTrusted());
                long untrustedAfterMillis = (System.nanoTime() - stopped) / 1_000_000;
                assertThat(untrustedAfterMillis).isLessThan(200 + 150);
                assertThatThrownBy(() -> tier.get("h")).isInstanceOf(RedisUnavailableException.class);
            } finally {
                redis.resume();
            }
            awaitTrusted(tier);
            assertThat(tier.get("h")).isEqualTo("v");
        }
    }

    @Test
    void unreachableRedis_isATypedErrorNamingIt() throws Exception {
        int port = RedisServer.freePort();
        try (RedisTier<String, String> tier = RedisTier.of(String.class, String.class).name("nowhere")
                .redis("redis://127.0.0.1:" + port).commandTimeout(Duration.ofMillis(200)).open()) {
            assertThat(tier.isTrusted()).isFalse();
            assertThatThrownBy(() -> tier.get("k")).isInstanceOf(RedisUnavailableException.class)
                    .hasMessageContaining("127.0.0.1:" + port).hasMessageContaining("GET of key k");
            assertThatThrownBy(() -> tier.put("k", "v")).isInstanceOf(RedisUnavailableException.class)
                    .hasMessageContaining("SET");
        }
    }

    @Test
    void redisError_isATypedErrorNamingTheKey() {
        other.lpush("t:list", "x");
        try (RedisTier<String, String> tier = tier("rt")) {
            awaitTrusted(tier);
            assertThatThrownBy(() -> tier.get("list")).isInstanceOf(RedisTierException.class)
                    .isNotInstanceOf(RedisUnavailableException.class).hasMessageContaining("key list")
                    .hasMessageContaining("WRONGTYPE");
        }
    }

    @Test
    void badSettings_areRefusedNamingTheValue() {
        RedisTierBuilder<String, String> b = RedisTier.of(String.class, String.class);
        assertThatThrownBy(() -> b.redis("http://x:1")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("http://x:1");
        assertThatThrownBy(() -> b.redis("redis://")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("redis://");
        assertThatThrownBy(() -> b.redisCluster()).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("no Redis URI");
        assertThatThrownBy(() -> b.maxStaleness(Duration.ofMillis(1))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("PT0.001S");
        assertThatThrownBy(() -> b.commandTimeout(Duration.ZERO)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("PT0S");
        assertThatThrownBy(() -> b.name("../x")).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("../x");
        assertThatThrownBy(() -> b.name("n".repeat(120))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("120 characters");
        assertThatThrownBy(b::open).isInstanceOf(IllegalStateException.class).hasMessageContaining("name");
        // within the store's 16 MiB but not with the tier's own 17 bytes: refused here, naming the value given
        assertThatThrownBy(() -> b.averageValueSize((1 << 24) - 10)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("averageValueSize 16777206").hasMessageContaining("1 to 16777199");
        assertThatThrownBy(() -> b.averageValueSize((1 << 24) + 1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("averageValueSize 16777217").hasMessageContaining("1 to 16777199");
        assertThatThrownBy(() -> b.averageValueSize(0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("averageValueSize 0");
        b.redis(redis.uri());
        assertThatThrownBy(() -> b.redis(redis.uri())).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("127.0.0.1:" + redis.port());
        try (RedisTier<String, String> tier = b.name("bad").open()) {
            assertThatThrownBy(() -> tier.put("k", "v", Duration.ZERO)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("PT0S");
            assertThatThrownBy(() -> tier.get(null)).isInstanceOf(NullPointerException.class);
        }
        assertThatThrownBy(() -> RedisTier.of(String.class, Object.class).name("o").redis(redis.uri()).open())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("java.lang.Object");
    }
}
