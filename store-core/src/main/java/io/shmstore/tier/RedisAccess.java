package io.shmstore.tier;

import io.lettuce.core.AbstractRedisClient;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.RedisException;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SetArgs;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulConnection;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.cluster.ClusterClientOptions;
import io.lettuce.core.cluster.ClusterTopologyRefreshOptions;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import io.lettuce.core.cluster.models.partitions.RedisClusterNode;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.protocol.ProtocolVersion;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.DefaultClientResources;
import io.netty.resolver.DefaultAddressResolverGroup;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * This process's commands to Redis (one node or a cluster) through Lettuce, on byte arrays, with the
 * tier's errors: {@link RedisUnavailableException} when Redis cannot be reached in time,
 * {@link RedisTierException} when it answers with an error.
 *
 * <p>The connection is made on first use, so a tier opens while Redis is down; Lettuce reconnects it
 * in the background after a break. While a single node is down commands fail at once (no queueing that
 * would make a read wait for the whole timeout); on a cluster they wait up to the timeout, since its
 * node connections open on first use. Commands of one call are pipelined.
 */
final class RedisAccess implements AutoCloseable {
    /** Between two failed attempts to connect, callers fail at once rather than each trying again. */
    private static final long RECONNECT_PAUSE_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

    /** Redis's answer to a read: the value (null when absent) and its time to live in ms (-1 for none). */
    record Fetched(byte[] value, long pttl) {
    }

    private final RedisTarget target;
    private final Duration timeout;
    private final ClientResources resources;
    private final AbstractRedisClient client;
    private volatile StatefulConnection<byte[], byte[]> connection;
    private volatile RedisClusterAsyncCommands<byte[], byte[]> commands;
    private long lastFailedConnect;
    private RuntimeException lastConnectFailure;

    RedisAccess(RedisTarget target, Duration timeout) {
        this.target = target;
        this.timeout = timeout;
        // the JDK's resolver (hosts file, then the system's DNS), not Netty's DNS client, which asks the
        // configured name servers even for a literal address and waits out their timeout where none answers
        this.resources = DefaultClientResources.builder().ioThreadPoolSize(2).computationThreadPoolSize(2)
                .addressResolverGroup(DefaultAddressResolverGroup.INSTANCE).build();
        SocketOptions socket = SocketOptions.builder().connectTimeout(timeout).build();
        TimeoutOptions timeouts = TimeoutOptions.enabled(timeout);
        if (target.cluster()) {
            RedisClusterClient c = RedisClusterClient.create(resources, target.uris());
            // a cluster connection opens its node connections on first use, and rejecting commands while one
            // is not connected yet would fail them: they wait (up to the timeout) instead
            c.setOptions(ClusterClientOptions.builder()
                    .protocolVersion(ProtocolVersion.RESP3)
                    .socketOptions(socket).timeoutOptions(timeouts)
                    .topologyRefreshOptions(ClusterTopologyRefreshOptions.builder()
                            .enablePeriodicRefresh(Duration.ofSeconds(1))
                            .build())
                    .build());
            this.client = c;
        } else {
            RedisClient c = RedisClient.create(resources);
            c.setOptions(ClientOptions.builder()
                    .protocolVersion(ProtocolVersion.RESP3)
                    .socketOptions(socket).timeoutOptions(timeouts)
                    .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                    .build());
            this.client = c;
        }
    }

    ClientResources resources() {
        return resources;
    }

    RedisTarget target() {
        return target;
    }

    Duration timeout() {
        return timeout;
    }

    /** GET and PTTL, pipelined. */
    Fetched get(byte[] key, Object what) {
        RedisClusterAsyncCommands<byte[], byte[]> c = commands("GET", what);
        CompletionStage<byte[]> value = c.get(key);
        CompletionStage<Long> pttl = c.pttl(key);
        byte[] v = await(value, "GET", what);
        Long ttl = await(pttl, "PTTL", what);
        return new Fetched(v, v == null ? -2 : ttl == null ? -1 : ttl);
    }

    /** SET, with PX when {@code ttlMillis} is positive. */
    void set(byte[] key, byte[] value, long ttlMillis, Object what) {
        RedisClusterAsyncCommands<byte[], byte[]> c = commands("SET", what);
        await(ttlMillis > 0 ? c.set(key, value, SetArgs.Builder.px(ttlMillis)) : c.set(key, value), "SET", what);
    }

    /** DEL; true when Redis had the key. */
    boolean del(byte[] key, Object what) {
        Long n = await(commands("DEL", what).del(key), "DEL", what);
        return n != null && n > 0;
    }

    /**
     * The nodes whose writes the listener must track: the one node, or every upstream node of the
     * cluster as the client's topology (refreshed every second) knows them.
     */
    List<RedisURI> upstreamNodes() {
        if (!(client instanceof RedisClusterClient cluster)) {
            return target.uris();
        }
        commands("CLUSTER NODES", "the cluster topology");
        Set<RedisURI> out = new LinkedHashSet<>();
        for (RedisClusterNode node : cluster.getPartitions()) {
            if (node.is(RedisClusterNode.NodeFlag.UPSTREAM) && node.getUri() != null && !node.getSlots().isEmpty()) {
                RedisURI seed = target.uris().get(0);
                // the seed's credentials, TLS and database, at the node's address
                out.add(RedisURI.builder(seed).withHost(node.getUri().getHost()).withPort(node.getUri().getPort())
                        .withTimeout(timeout).build());
            }
        }
        return new ArrayList<>(out);
    }

    private RedisClusterAsyncCommands<byte[], byte[]> commands(String op, Object what) {
        RedisClusterAsyncCommands<byte[], byte[]> c = commands;
        if (c != null) {
            return c;
        }
        synchronized (this) {
            if (commands != null) {
                return commands;
            }
            if (lastConnectFailure != null && System.nanoTime() - lastFailedConnect < RECONNECT_PAUSE_NANOS) {
                throw unavailable(op, what, lastConnectFailure);
            }
            try {
                if (client instanceof RedisClusterClient cluster) {
                    StatefulRedisClusterConnection<byte[], byte[]> conn = cluster.connect(ByteArrayCodec.INSTANCE);
                    connection = conn;
                    commands = conn.async();
                } else {
                    StatefulRedisConnection<byte[], byte[]> conn = ((RedisClient) client).connect(ByteArrayCodec.INSTANCE,
                            target.uris().get(0));
                    connection = conn;
                    commands = conn.async();
                }
                lastConnectFailure = null;
                return commands;
            } catch (RedisException e) {
                lastFailedConnect = System.nanoTime();
                lastConnectFailure = e;
                throw unavailable(op, what, e);
            }
        }
    }

    private <T> T await(CompletionStage<T> stage, String op, Object what) {
        try {
            return stage.toCompletableFuture().get(timeout.toNanos() + TimeUnit.MILLISECONDS.toNanos(50), TimeUnit.NANOSECONDS);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RedisCommandExecutionException refused) {
                throw new RedisTierException("Redis at " + target + " refused " + op + " of " + what + ": "
                        + refused.getMessage(), refused);
            }
            throw unavailable(op, what, cause);
        } catch (TimeoutException e) {
            throw unavailable(op, what, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw unavailable(op, what, e);
        }
    }

    RedisUnavailableException unavailable(String op, Object what, Throwable cause) {
        return new RedisUnavailableException("Redis at " + target + " is unavailable for " + op + " of " + what + " ("
                + cause + ", timeout " + timeout.toMillis() + " ms); the host's copy could not be used instead",
                cause);
    }

    @Override
    public void close() {
        StatefulConnection<byte[], byte[]> c = connection;
        if (c != null) {
            c.close();
        }
        client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
        resources.shutdown(0, 100, TimeUnit.MILLISECONDS);
    }
}
