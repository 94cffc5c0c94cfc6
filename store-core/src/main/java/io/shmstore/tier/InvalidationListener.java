package io.shmstore.tier;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisChannelHandler;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisConnectionStateListener;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.TrackingArgs;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.push.PushMessage;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.protocol.ProtocolVersion;
import io.shmstore.LockTimeoutException;
import io.shmstore.SharedStore;
import io.shmstore.memory.NamedMutex;
import io.shmstore.memory.Ownership;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The host's one listener to Redis's invalidations, and this process's candidacy for that role.
 *
 * <p>Design notes:
 * <ul>
 *   <li><b>Election.</b> Every process that opens the tier runs a candidate thread that waits on the
 *       named mutex {@code <store>.tier-listener}. The thread that gets it is the host's listener and
 *       holds it until its tier closes; then it releases it and another candidate's {@code acquire}
 *       returns {@code ACQUIRED}. When the listening process dies, the mutex's owner check reports it
 *       within about 10 ms and another candidate's {@code acquire} returns {@code ABANDONED}: it takes
 *       over the same way. Taking over always starts by making the epoch odd, so nothing held under
 *       the dead listener's stream is served again ({@link TierState}).</li>
 *   <li><b>Stream.</b> The listener opens one RESP3 connection to each upstream node (the one node,
 *       or every primary of the cluster) and turns on {@code CLIENT TRACKING ON BCAST PREFIX p} there:
 *       Redis pushes the name of every key under the prefix that any client changes, deletes, or that
 *       expires or is evicted. The keys go to an applier thread that removes them from the host's
 *       store, in order. (Not on Lettuce's event loop: a removal may wait for a segment lock that a
 *       filling process holds across a Redis round trip, possibly on that same event loop.)</li>
 *   <li><b>Lease.</b> Every heartbeat the listener sends {@code PING} on each tracking connection;
 *       Redis writes an invalidation into the stream before it answers a later command, so when every
 *       {@code PONG} is back and the applier has reached it, every write acknowledged before the
 *       {@code PING} was sent has been applied to the host. The applier then raises the lease to
 *       {@code sent + maxStaleness}. A hung listener, stream or applier stops the renewals and the
 *       host stops serving within {@code maxStaleness}, whatever the failure.</li>
 *   <li><b>Breaks.</b> A closed connection (Lettuce's disconnect event, at once), a failed or late
 *       {@code PING}, a {@code FLUSHALL} (an invalidation without keys), or a change of the cluster's
 *       primaries makes the epoch odd; the listener then reconnects with a back-off and starts a new
 *       even epoch. Copies stamped with an older epoch are never served again: they are replaced on the
 *       next read, evicted, or removed by later invalidations.</li>
 * </ul>
 */
final class InvalidationListener<K> implements AutoCloseable {
    private static final Object FLUSH = new Object();
    private static final Object STOP = new Object();
    private static final long MAX_BACKOFF_NANOS = TimeUnit.SECONDS.toNanos(1);

    /** A lease renewal, applied in order after the invalidations received before its PONG. */
    private record Renewal(long epoch, long deadline) {
    }

    private final SharedStore<K, ?> host;
    private final TierState state;
    private final RedisKeys<K, ?> keys;
    private final RedisAccess redis;
    private final long leaseNanos;
    private final long heartbeatNanos;
    private final NamedMutex mutex;
    private final RedisClient client;
    private final Thread candidate;
    private final BlockingQueue<Object> applying = new LinkedBlockingQueue<>();
    private final Object wake = new Object();
    private volatile boolean closed;
    private volatile boolean listening;
    private volatile List<StatefulRedisConnection<byte[], byte[]>> session = List.of();
    private volatile Throwable lastFailure;

    InvalidationListener(String storeName, SharedStore<K, ?> host, TierState state, RedisKeys<K, ?> keys,
                         RedisAccess redis, Duration maxStaleness) {
        this.host = host;
        this.state = state;
        this.keys = keys;
        this.redis = redis;
        this.leaseNanos = maxStaleness.toNanos();
        this.heartbeatNanos = Math.max(TimeUnit.MILLISECONDS.toNanos(5), leaseNanos / 5);
        this.mutex = NamedMutex.createOrOpen(TierLayout.listenerMutexName(storeName));
        this.client = RedisClient.create(redis.resources());
        client.setOptions(ClientOptions.builder()
                .protocolVersion(ProtocolVersion.RESP3)
                .autoReconnect(false)
                .socketOptions(SocketOptions.builder().connectTimeout(redis.timeout()).build())
                .build());
        client.addListener(new RedisConnectionStateListener() {
            @Override
            public void onRedisDisconnected(RedisChannelHandler<?, ?> connection) {
                if (session.contains(connection)) {
                    breakKnown();
                }
            }
        });
        this.candidate = new Thread(this::run, "shmstore-tier-candidate-" + storeName);
        candidate.setDaemon(true);
    }

    void start() {
        candidate.start();
    }

    /** True while this process is the host's listener. */
    boolean isListening() {
        return listening;
    }

    /** The last reason the stream broke or could not be set up, for diagnostics; null if none. */
    Throwable lastFailure() {
        return lastFailure;
    }

    private void run() {
        while (!closed) {
            Ownership won;
            try {
                won = mutex.acquire(Duration.ofSeconds(5));
            } catch (LockTimeoutException stillHeld) {
                continue;
            } catch (IllegalStateException handleClosed) {
                return;
            }
            try {
                if (!closed) {
                    serve(won == Ownership.ABANDONED);
                }
            } finally {
                state.untrust();
                listening = false;
                mutex.release();
            }
        }
    }

    private void serve(boolean abandoned) {
        listening = true;
        state.listener(ProcessHandle.current().pid(), abandoned);
        Thread applier = new Thread(this::apply, "shmstore-tier-invalidator");
        applier.setDaemon(true);
        applier.start();
        long backoff = TimeUnit.MILLISECONDS.toNanos(20);
        try {
            while (!closed) {
                long odd = state.untrust();
                try {
                    List<RedisURI> nodes = redis.upstreamNodes();
                    long since = System.nanoTime();
                    connect(nodes);
                    if (!state.trust(odd, since, leaseNanos)) {
                        continue;
                    }
                    backoff = TimeUnit.MILLISECONDS.toNanos(20);
                    heartbeat(odd + 1, nodes);
                } catch (RuntimeException e) {
                    lastFailure = e;
                } finally {
                    state.untrust();
                    disconnect();
                }
                pause(backoff);
                backoff = Math.min(MAX_BACKOFF_NANOS, backoff * 2);
            }
        } finally {
            applying.add(STOP);
            try {
                applier.join(TimeUnit.SECONDS.toMillis(10));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private void connect(List<RedisURI> nodes) {
        List<StatefulRedisConnection<byte[], byte[]>> conns = new ArrayList<>();
        session = conns;
        TrackingArgs tracking = keys.prefix().isEmpty()
                ? TrackingArgs.Builder.enabled().bcast()
                : TrackingArgs.Builder.enabled().bcast().prefixes(keys.prefix());
        for (RedisURI node : nodes) {
            StatefulRedisConnection<byte[], byte[]> c = client.connect(ByteArrayCodec.INSTANCE, node);
            conns.add(c);
            c.addListener(this::onPush);
            c.setTimeout(redis.timeout());
            c.sync().clientTracking(tracking);
        }
        session = List.copyOf(conns);
    }

    /** Renews the lease while every connection answers and the epoch and nodes stay the same. */
    private void heartbeat(long epoch, List<RedisURI> nodes) {
        long wait = Math.min(redis.timeout().toNanos(), leaseNanos);
        while (!closed && state.epoch() == epoch) {
            long sent = System.nanoTime();
            List<CompletableFuture<String>> pongs = new ArrayList<>();
            for (StatefulRedisConnection<byte[], byte[]> c : session) {
                pongs.add(c.async().ping().toCompletableFuture());
            }
            try {
                CompletableFuture.allOf(pongs.toArray(new CompletableFuture<?>[0])).get(wait, TimeUnit.NANOSECONDS);
            } catch (Exception e) {
                lastFailure = e;
                return;
            }
            applying.add(new Renewal(epoch, sent + leaseNanos));
            if (redis.target().cluster() && !redis.upstreamNodes().equals(nodes)) {
                lastFailure = new IllegalStateException("the cluster's primaries changed");
                return;
            }
            pause(heartbeatNanos - (System.nanoTime() - sent));
        }
    }

    private void onPush(PushMessage message) {
        if (!"invalidate".equals(message.getType())) {
            return;
        }
        List<Object> content = message.getContent(InvalidationListener::bytesOf);
        Object names = content.size() > 1 ? content.get(1) : null;
        applying.add(names instanceof List<?> list ? list : FLUSH);
    }

    private static Object bytesOf(ByteBuffer buffer) {
        byte[] out = new byte[buffer.remaining()];
        buffer.get(out);
        return out;
    }

    /** The applier: removes invalidated keys from the host's store, in the stream's order. */
    private void apply() {
        try {
            while (true) {
                Object item = applying.take();
                if (item == STOP) {
                    return;
                }
                try {
                    if (item instanceof Renewal r) {
                        state.renew(r.epoch(), r.deadline());
                    } else if (item == FLUSH) {
                        breakKnown();
                    } else {
                        invalidate((List<?>) item, host::remove);
                    }
                } catch (RuntimeException e) {
                    // a removal that failed leaves a copy that may be stale: nothing is trusted until a new stream
                    lastFailure = e;
                    breakKnown();
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void invalidate(List<?> names, Consumer<K> remove) {
        int n = 0;
        for (Object name : names) {
            if (name instanceof byte[] redisKey) {
                K key = keys.fromRedis(redisKey);
                if (key != null) {
                    remove.accept(key);
                    n++;
                }
            }
        }
        state.invalidated(n);
    }

    private void breakKnown() {
        state.untrust();
        synchronized (wake) {
            wake.notifyAll();
        }
    }

    private void pause(long nanos) {
        if (nanos <= 0) {
            return;
        }
        synchronized (wake) {
            if (closed) {
                return;
            }
            try {
                TimeUnit.NANOSECONDS.timedWait(wake, nanos);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private void disconnect() {
        List<StatefulRedisConnection<byte[], byte[]>> old = session;
        session = List.of();
        for (StatefulRedisConnection<byte[], byte[]> c : old) {
            c.closeAsync();
        }
    }

    @Override
    public void close() {
        closed = true;
        synchronized (wake) {
            wake.notifyAll();
        }
        mutex.close();
        try {
            candidate.join(TimeUnit.SECONDS.toMillis(15));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
    }
}
