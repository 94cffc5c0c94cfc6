package io.shmstore.tier;

import io.shmstore.SharedStore;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.atomic.LongAdder;

import static io.shmstore.tier.TierLayout.*;

/**
 * One host's shared near cache of Redis: every process of the host that opens the same name shares
 * one copy of the hot keys in a {@link SharedStore}, fetched from Redis by the first process that
 * misses, written through to Redis, and invalidated by Redis itself (server-assisted client-side
 * caching, {@code CLIENT TRACKING ... BCAST}) through one listening process per host.
 *
 * <pre>{@code
 * try (RedisTier<String, Quote> quotes = RedisTier.of(String.class, Quote.class)
 *         .name("quotes")                              // the host's store: the same name in every process
 *         .redis("redis://10.0.0.5:6379")              // or redisCluster("redis://a:7000", "redis://b:7000")
 *         .keyPrefix("quotes:")                        // Redis keys "quotes:<key>", tracked by prefix
 *         .valueCodec(JsonCodec.of(Quote.class))
 *         .open()) {
 *     Quote q = quotes.get("EURUSD");                   // host copy, or Redis once for the whole host
 *     quotes.put("EURUSD", q, Duration.ofMinutes(5));   // Redis SET PX, and the host's copy
 * }
 * }</pre>
 *
 * <ul>
 *   <li><b>Reads</b> serve the host's copy while it can be trusted: fetched under the current epoch of
 *       the host's invalidation stream, within that stream's lease, before its Redis expiry. Otherwise
 *       the key is fetched ({@code GET} and {@code PTTL}, pipelined) under the key's segment lock
 *       ({@code compute}), so of many processes that miss the same key at once one asks Redis and the
 *       others find its copy; a key Redis does not have is held as absent too.</li>
 *   <li><b>Writes</b> go to Redis first, then to the host's copy, under the key's lock; a write that
 *       throws left the host's copy as it was (Redis may have applied it if the answer was lost, and its
 *       invalidation then removes the copy). The write's own invalidation comes back through the
 *       stream and drops the copy again: Redis sends one per change and cannot say whose, so keeping it
 *       could keep a value that another host overwrote in the same instant.</li>
 *   <li><b>Staleness.</b> A write acknowledged to its writer on any host is no longer served on this
 *       host once Redis's push arrives (typically well under a millisecond on one machine, see
 *       BENCHMARKS.md), and in every case after {@link RedisTierBuilder#maxStaleness} (the lease),
 *       whatever fails: connections, the listener process, Redis itself.</li>
 *   <li><b>Failures.</b> While no stream is live (Redis down or restarting, listener dead and not yet
 *       replaced, lease run out) nothing held is served: reads go to Redis, uncached, and when Redis is
 *       unreachable they throw {@link RedisUnavailableException}, or serve the held copy under
 *       {@link UnavailablePolicy#SERVE_HOST_COPY}. When a stream is live again, under a new epoch,
 *       every copy from before the break is fetched anew on its next read.</li>
 * </ul>
 *
 * <p>Thread-safe. Keys and values are never null ({@link NullPointerException}).
 *
 * @param <K> key type
 * @param <V> value type
 */
public final class RedisTier<K, V> implements AutoCloseable {
    private final String name;
    private final Class<K> keyType;
    private final SharedStore<K, Held<V>> host;
    private final TierState state;
    private final RedisAccess redis;
    private final RedisKeys<K, V> keys;
    private final InvalidationListener<K> listener;
    private final UnavailablePolicy unavailable;
    private final LongAdder hits = new LongAdder();
    private final LongAdder misses = new LongAdder();
    private final LongAdder fills = new LongAdder();
    private final LongAdder staleReads = new LongAdder();
    private boolean closed;

    RedisTier(String name, Class<K> keyType, SharedStore<K, Held<V>> host, TierState state, RedisAccess redis, RedisKeys<K, V> keys,
              UnavailablePolicy unavailable, Duration maxStaleness) {
        this.name = name;
        this.keyType = keyType;
        this.host = host;
        this.state = state;
        this.redis = redis;
        this.keys = keys;
        this.unavailable = unavailable;
        this.listener = new InvalidationListener<>(name, host, state, keys, redis, maxStaleness);
        listener.start();
    }

    /**
     * Starts building a tier with these key and value types.
     *
     * @param <K>       the key type
     * @param <V>       the value type
     * @param keyType   the keys' class
     * @param valueType the values' class
     * @return a builder; set a name and Redis, then open
     */
    public static <K, V> RedisTierBuilder<K, V> of(Class<K> keyType, Class<V> valueType) {
        return new RedisTierBuilder<>(keyType, valueType);
    }

    /**
     * The value Redis has for {@code key}, from the host's copy when it can be trusted, else from
     * Redis (once for the host), or null when Redis has none.
     *
     * @param key the key, not null
     * @return the value, or null when Redis has none
     * @throws RedisUnavailableException when Redis is needed and cannot be reached, and the policy does
     *                                   not serve the host's copy (or there is none)
     * @throws RedisTierException        when Redis answers with an error (a key of another type)
     */
    public V get(K key) {
        Objects.requireNonNull(key, "key");
        Held<V> held = host.get(key);
        long epoch = state.trustedEpoch();
        long now = System.currentTimeMillis();
        if (held != null && epoch >= 0 && held.servableAt(epoch, now)) {
            hits.increment();
            return held.value();
        }
        misses.increment();
        try {
            return epoch >= 0 ? fill(key) : fetch(key).value();
        } catch (RedisUnavailableException e) {
            return hostCopyOr(key, e);
        }
    }

    /** Fetches under the key's lock, unless another process filled it meanwhile. */
    private V fill(K key) {
        Object[] result = new Object[1];
        host.compute(key, (k, current) -> {
            long epoch = state.trustedEpoch();
            long now = System.currentTimeMillis();
            if (current != null && epoch >= 0 && current.servableAt(epoch, now)) {
                result[0] = current.value();
                return current;
            }
            Held<V> fetched = fetch(k);
            result[0] = fetched.value();
            // the stream broke during the fetch: hand the value out, but hold nothing new
            return epoch >= 0 && state.trustedEpoch() == epoch ? new Held<>(epoch, fetched.expiresAt(), fetched.value())
                    : current;
        });
        @SuppressWarnings("unchecked")
        V value = (V) result[0];
        return value;
    }

    /** Redis's value and expiry for {@code key}, stamped with no epoch. */
    private Held<V> fetch(K key) {
        long now = System.currentTimeMillis();
        RedisAccess.Fetched f = redis.get(keys.key(key), describe(key));
        state.redisRead();
        fills.increment();
        long expiresAt = f.pttl() > 0 ? now + f.pttl() : Long.MAX_VALUE;
        if (f.value() == null) {
            return new Held<>(-1, expiresAt, null);
        }
        try {
            return new Held<>(-1, expiresAt, keys.fromRedisValue(f.value()));
        } catch (RuntimeException e) {
            throw new RedisTierException("the value of " + describe(key) + " in Redis (" + f.value().length
                    + " bytes) cannot be read by codec " + keys.valueCodecId() + ": " + e.getMessage()
                    + "; was it written by another program?", e);
        }
    }

    private V hostCopyOr(K key, RedisUnavailableException e) {
        if (unavailable == UnavailablePolicy.SERVE_HOST_COPY) {
            Held<V> held = host.get(key);
            if (held != null && System.currentTimeMillis() < held.expiresAt()) {
                staleReads.increment();
                return held.value();
            }
        }
        throw e;
    }

    /**
     * Writes {@code value} to Redis ({@code SET}), then to the host's copy.
     *
     * @param key   the key, not null
     * @param value the value, not null; it replaces any expiry the key had in Redis
     * @throws RedisUnavailableException when Redis cannot be reached: the write did not happen, or its
     *                                   answer was lost (then the stream removes the host's copy)
     */
    public void put(K key, V value) {
        write(key, value, 0);
    }

    /**
     * Writes {@code value} to Redis to expire {@code timeToLive} from now ({@code SET ... PX}), then to
     * the host's copy, which expires with it.
     *
     * @param key        the key, not null
     * @param value      the value, not null
     * @param timeToLive how long the key lives in Redis, at least 1 ms (Redis counts milliseconds)
     * @throws IllegalArgumentException naming the duration when it is under a millisecond
     */
    public void put(K key, V value, Duration timeToLive) {
        Objects.requireNonNull(timeToLive, "timeToLive");
        long millis;
        try {
            millis = timeToLive.toMillis();
        } catch (ArithmeticException tooLong) {
            millis = Long.MAX_VALUE;
        }
        if (timeToLive.isNegative() || millis < 1) {
            throw new IllegalArgumentException("timeToLive " + timeToLive + " must be at least 1 ms: Redis counts"
                    + " expiry in milliseconds");
        }
        write(key, value, millis);
    }

    private void write(K key, V value, long ttlMillis) {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(value, "value");
        byte[] redisKey = keys.key(key);
        byte[] redisValue = keys.value(value);
        host.compute(key, (k, current) -> {
            long epoch = state.trustedEpoch();
            long now = System.currentTimeMillis();
            redis.set(redisKey, redisValue, ttlMillis, describe(k));
            state.redisWrite();
            return epoch >= 0 ? new Held<>(epoch, ttlMillis > 0 ? now + ttlMillis : Long.MAX_VALUE, value) : null;
        });
    }

    /**
     * Deletes {@code key} in Redis ({@code DEL}), then holds it as absent on the host.
     *
     * @param key the key, not null
     * @return true when Redis had the key
     */
    public boolean remove(K key) {
        Objects.requireNonNull(key, "key");
        byte[] redisKey = keys.key(key);
        boolean[] existed = new boolean[1];
        host.compute(key, (k, current) -> {
            long epoch = state.trustedEpoch();
            existed[0] = redis.del(redisKey, describe(k));
            state.redisWrite();
            return epoch >= 0 ? new Held<>(epoch, Long.MAX_VALUE, null) : null;
        });
        return existed[0];
    }

    /**
     * Whether this process is the host's listener now.
     *
     * @return true when this process holds the host's invalidation stream
     */
    public boolean isListener() {
        return listener.isListening();
    }

    /**
     * Whether the host's copies may be served now: a listener holds a live stream within its lease.
     *
     * @return true when they may
     */
    public boolean isTrusted() {
        return state.trustedEpoch() >= 0;
    }

    /**
     * The host store's name, shared by every process of the host that uses this tier.
     *
     * @return the name
     */
    public String name() {
        return name;
    }

    /**
     * Counts of this process's reads and the host's Redis traffic and invalidations, read now.
     *
     * @return the statistics
     */
    public TierStats stats() {
        return new TierStats(hits.sum(), misses.sum(), fills.sum(), staleReads.sum(),
                state.read(REDIS_READS_OFFSET), state.read(REDIS_WRITES_OFFSET), state.read(INVALIDATIONS_OFFSET),
                state.read(TAKEOVERS_OFFSET), state.read(ABANDONED_TAKEOVERS_OFFSET), state.read(LISTENER_PID_OFFSET),
                listener.isListening(), isTrusted(), state.epoch());
    }

    /**
     * When the listener last applied an invalidation, in {@code System.nanoTime()} of this host; 0 before.
     *
     * @return the time in nanoseconds, or 0 when none was applied yet
     */
    public long lastInvalidationNanos() {
        return state.read(LAST_INVALIDATION_OFFSET);
    }

    /**
     * {@code key} as this tier's key type, for callers that get keys as {@code Object} (JCache's writer).
     *
     * @throws ClassCastException naming both types
     */
    K castKey(Object key) {
        Objects.requireNonNull(key, "key");
        if (!keyType.isInstance(key)) {
            throw new ClassCastException("key " + key + " is a " + key.getClass().getName() + ", not a "
                    + keyType.getName() + " as tier \"" + name + "\" takes");
        }
        return keyType.cast(key);
    }

    private String describe(K key) {
        return "key " + key + " of tier \"" + name + "\"";
    }

    /**
     * Stops listening (another process of the host takes over), closes the Redis connections and
     * detaches from the host's store; idempotent.
     */
    @Override
    public void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
        }
        listener.close();
        redis.close();
        state.close();
        host.close();
    }

    @Override
    public String toString() {
        return "RedisTier[" + name + " over " + redis.target() + ", prefix \"" + keys.prefix() + "\"]";
    }
}
