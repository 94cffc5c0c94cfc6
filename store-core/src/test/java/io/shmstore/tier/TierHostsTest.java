package io.shmstore.tier;

import io.lettuce.core.api.sync.RedisCommands;
import io.shmstore.testing.ChildJvm;
import io.shmstore.testing.RedisServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two "hosts" on one machine, each an shm directory of its own with two or three JVMs sharing its
 * tier, both against one real Redis: invalidation across hosts and its delay, one Redis read for a
 * miss storm, the listener SIGKILLed, and Redis killed and restarted under readers.
 */
class TierHostsTest {
    private static final Duration CHILD = Duration.ofSeconds(60);
    private static final String TIER = "hosts";
    /** The tier's default maxStaleness: the bound on a copy replaced on another host, whatever fails. */
    private static final long BOUND_MILLIS = 500;
    private static RedisServer redis;
    private final List<ChildJvm> children = new ArrayList<>();
    private Path hostA;
    private Path hostB;
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
    void hosts() throws IOException {
        Path base = Files.isWritable(Path.of("/dev/shm")) ? Path.of("/dev/shm") : Path.of(System.getProperty("java.io.tmpdir"));
        hostA = Files.createTempDirectory(base, "shmstore-hostA-");
        hostB = Files.createTempDirectory(base, "shmstore-hostB-");
        if (!redis.isAlive()) {
            redis.restart();
        }
        other = redis.commands();
        other.flushall();
    }

    @AfterEach
    void stopChildren() throws IOException {
        children.forEach(ChildJvm::close);
        for (Path dir : new Path[]{hostA, hostB}) {
            try (Stream<Path> walk = Files.walk(dir)) {
                walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    private ChildJvm process(Path host) {
        ChildJvm child = ChildJvm.start(ChildJvm.command(TierChild.class, List.of("-Dshmstore.dir=" + host),
                redis.uri(), TIER, "h:"), "TierChild on " + host.getFileName());
        children.add(child);
        child.expect("READY", CHILD);
        return child;
    }

    private static String[] stats(ChildJvm c) {
        c.send("stats");
        return c.expect("STATS", CHILD).split(" ");
    }

    private static void awaitTrusted(ChildJvm c) {
        long deadline = System.nanoTime() + CHILD.toNanos();
        while (!Boolean.parseBoolean(stats(c)[1])) {
            assertThat(System.nanoTime()).as("host of child %d trusted", c.pid()).isLessThan(deadline);
            sleep(20);
        }
    }

    private static String get(ChildJvm c, String key) {
        c.send("get " + key);
        return c.expect("VALUE " + key, CHILD);
    }

    @Test
    void writeOnHostA_isNotServedOnHostBAfterTheBound() {
        ChildJvm a1 = process(hostA);
        ChildJvm b1 = process(hostB);
        ChildJvm b2 = process(hostB);
        awaitTrusted(a1);
        awaitTrusted(b1);
        other.set("h:k", "v0");
        assertThat(get(b1, "k")).isEqualTo("v0");
        assertThat(get(b2, "k")).isEqualTo("v0");
        int rounds = 30;
        long[] delays = new long[rounds];
        for (int i = 1; i <= rounds; i++) {
            // B1 reads in a loop from before the write: from the host's copy until the invalidation lands
            b1.send("await k v" + i + " 5000");
            sleep(5);
            a1.send("put k v" + i);
            long acknowledged = Long.parseLong(a1.expect("PUT k", CHILD));
            String seen = b1.expect("", CHILD);
            assertThat(seen).as("round %d", i).startsWith("SAW");
            delays[i - 1] = Long.parseLong(seen.split(" ")[2]) - acknowledged;
        }
        assertThat(get(b2, "k")).isEqualTo("v" + rounds);
        Arrays.sort(delays);
        System.out.printf("invalidation delay host A write acknowledged -> host B reads the new value, %d rounds:"
                + " p50 %.3f ms, max %.3f ms (negative: B read it before A's write returned)%n", rounds,
                delays[rounds / 2] / 1e6, delays[rounds - 1] / 1e6);
        assertThat(delays[rounds - 1]).isLessThan(BOUND_MILLIS * 1_000_000);
    }

    @Test
    void missStormOfThreeProcesses_causesOneRedisGetPerKey() {
        List<ChildJvm> host = List.of(process(hostA), process(hostA), process(hostA));
        awaitTrusted(host.get(0));
        for (int key = 0; key < 5; key++) {
            other.set("h:storm" + key, "s" + key);
            long before = redis.calls("get");
            long at = System.nanoTime() + 300_000_000L;
            String storm = "storm storm" + key + " " + at;
            host.forEach(c -> c.send(storm));
            for (ChildJvm c : host) {
                assertThat(c.expect("VALUE storm" + key, CHILD)).isEqualTo("s" + key);
            }
            assertThat(redis.calls("get") - before).as("GETs for storm%d", key).isEqualTo(1);
        }
        assertThat(Long.parseLong(stats(host.get(1))[4])).as("the host's Redis reads").isEqualTo(5);
    }

    @Test
    void listenerSigkilled_anotherProcessTakesOverAndNothingHeldBeforeIsServed() {
        ChildJvm a1 = process(hostA);
        ChildJvm a2 = process(hostA);
        awaitTrusted(a1);
        other.set("h:x", "v1");
        assertThat(get(a1, "x")).isEqualTo("v1");
        assertThat(get(a2, "x")).isEqualTo("v1");
        ChildJvm listener = Boolean.parseBoolean(stats(a1)[0]) ? a1 : a2;
        ChildJvm survivor = listener == a1 ? a2 : a1;
        assertThat(Boolean.parseBoolean(stats(survivor)[0])).as("exactly one listener").isFalse();
        long epochBefore = Long.parseLong(stats(survivor)[5]);
        long killed = System.nanoTime();
        listener.kill();
        other.set("h:x", "v2");
        String[] s;
        do {
            s = stats(survivor);
            assertThat(System.nanoTime() - killed).as("takeover").isLessThan(CHILD.toNanos());
        } while (!Boolean.parseBoolean(s[0]) || !Boolean.parseBoolean(s[1]));
        System.out.printf("listener SIGKILLed: the survivor listens with a live stream after %.1f ms%n",
                (System.nanoTime() - killed) / 1e6);
        assertThat(Long.parseLong(s[2])).as("takeovers after a dead listener").isEqualTo(1);
        assertThat(Long.parseLong(s[5])).as("epoch").isGreaterThan(epochBefore);
        assertThat(get(survivor, "x")).isEqualTo("v2");
    }

    @Test
    void redisKilledAndRestartedWithChangesNoOneWasToldOf_noStaleReadAfterTheBreakIsKnown() {
        ChildJvm a1 = process(hostA);
        ChildJvm a2 = process(hostA);
        ChildJvm b1 = process(hostB);
        awaitTrusted(a1);
        awaitTrusted(b1);
        other.set("h:r", "v1");
        Path snapshot = RedisServer.snapshotOf(Map.of("h:r", "v2"));
        for (ChildJvm c : List.of(a1, a2, b1)) {
            assertThat(get(c, "r")).isEqualTo("v1");
            c.send("watch r v1");
        }
        sleep(200);
        redis.kill();
        sleep(500);
        redis.restart(snapshot);
        for (ChildJvm c : List.of(a1, a2, b1)) {
            c.send("await r v2 20000");
            assertThat(c.expect("", CHILD)).startsWith("SAW r");
        }
        for (ChildJvm c : List.of(a1, a2, b1)) {
            c.send("stop");
            String[] w = c.expect("WATCHED", CHILD).split(" ");
            System.out.printf("child %d during the Redis restart: %s reads, %s unavailable, break seen %s%n", c.pid(),
                    w[0], w[2], w[3]);
            assertThat(Boolean.parseBoolean(w[3])).as("the break was seen").isTrue();
            assertThat(Long.parseLong(w[1])).as("reads of the old value after the break was known").isZero();
            assertThat(w[4]).isEqualTo("v2");
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
