package io.shmstore.tier;

import io.shmstore.testing.RedisServer;
import io.shmstore.testing.ShmDirExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static io.shmstore.tier.RedisTierTest.await;
import static io.shmstore.tier.RedisTierTest.awaitTrusted;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The tier over a real three-primary Redis Cluster on loopback ports: keys in every node's slots are
 * read through, written through and invalidated by the node that owns them; two hosts are two tiers of
 * different names (each its own store, state and listener). Losing a primary is a break.
 */
@ExtendWith(ShmDirExtension.class)
class RedisClusterTierTest {
    private static final List<RedisServer> nodes = new ArrayList<>();

    @BeforeAll
    static void startCluster() throws IOException, InterruptedException {
        for (int i = 0; i < 3; i++) {
            nodes.add(RedisServer.start(List.of("--cluster-enabled", "yes", "--cluster-config-file", "nodes.conf",
                    "--cluster-node-timeout", "2000")));
        }
        List<String> cmd = new ArrayList<>(List.of(RedisServer.executable().replace("redis-server", "redis-cli"),
                "--cluster", "create"));
        nodes.forEach(n -> cmd.add("127.0.0.1:" + n.port()));
        cmd.addAll(List.of("--cluster-replicas", "0", "--cluster-yes"));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor()).as("redis-cli --cluster create: %s", out).isZero();
        for (RedisServer n : nodes) {
            await("cluster state ok on " + n.port(), () -> n.commands().clusterInfo().contains("cluster_state:ok"));
        }
    }

    @AfterAll
    static void stopCluster() {
        nodes.forEach(RedisServer::close);
    }

    private static String[] seeds() {
        return nodes.stream().map(RedisServer::uri).toArray(String[]::new);
    }

    private static RedisTier<String, String> host(String name) {
        return RedisTier.of(String.class, String.class).name(name).redisCluster(seeds()[0]).keyPrefix("c:")
                .commandTimeout(Duration.ofMillis(500)).open();
    }

    @Test
    void keysOnEveryPrimary_areReadWrittenAndInvalidatedAcrossHosts() {
        try (RedisTier<String, String> a = host("clusterA"); RedisTier<String, String> b = host("clusterB")) {
            awaitTrusted(a);
            awaitTrusted(b);
            int keys = 30;
            for (int i = 0; i < keys; i++) {
                b.put("k" + i, "v" + i);
            }
            List<Long> perNode = nodes.stream().map(n -> n.commands().dbsize()).toList();
            assertThat(perNode).as("keys on every primary").allMatch(n -> n > 0);
            for (int i = 0; i < keys; i++) {
                assertThat(a.get("k" + i)).isEqualTo("v" + i);
            }
            long reads = a.stats().hostRedisReads();
            for (int i = 0; i < keys; i++) {
                assertThat(a.get("k" + i)).isEqualTo("v" + i);
            }
            assertThat(a.stats().hostRedisReads()).as("second pass from the host copy").isEqualTo(reads);
            for (int i = 0; i < keys; i++) {
                b.put("k" + i, "w" + i);
            }
            for (int i = 0; i < keys; i++) {
                String key = "k" + i;
                String expected = "w" + i;
                await(key + " invalidated on host A", () -> expected.equals(a.get(key)));
            }
        }
    }

    @Test
    void aPrimaryKilled_isABreak() {
        try (RedisTier<String, String> a = host("clusterKill")) {
            awaitTrusted(a);
            a.put("x", "1");
            assertThat(a.get("x")).isEqualTo("1");
            RedisServer victim = nodes.get(2);
            victim.kill();
            try {
                await("the host distrusts its copies", () -> !a.isTrusted());
            } finally {
                victim.restart();
            }
        }
    }
}
