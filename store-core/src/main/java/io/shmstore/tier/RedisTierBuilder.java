package io.shmstore.tier;

import io.shmstore.Codec;
import io.shmstore.Codecs;
import io.shmstore.FullPolicy;
import io.shmstore.SharedStore;
import io.shmstore.SharedStoreBuilder;
import io.shmstore.memory.SharedMemory;

import java.time.Duration;
import java.util.Objects;

/**
 * Settings for a {@link RedisTier}; from {@link RedisTier#of(Class, Class)}. Each setting may be given
 * once and is checked when given; {@link #open()} checks them against each other. The host's store is
 * created by the first process to open the tier and opened by the others (the sizing settings apply to
 * the creator); it evicts when full ({@link FullPolicy#EVICT}), as a cache does.
 */
public final class RedisTierBuilder<K, V> {
    private static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(2);
    private static final Duration DEFAULT_STALENESS = Duration.ofMillis(500);
    /** The host's store name plus the longest suffix the tier adds must still be a valid name. */
    private static final int MAX_NAME = 128 - ".tier-listener".length();
    /** The bytes a held copy adds to the value: epoch, expiry, presence. */
    private static final int HELD_OVERHEAD = 17;
    /** {@link SharedStoreBuilder}'s largest average key or value size. */
    private static final int MAX_SIZE = 1 << 24;

    private final Class<K> keyType;
    private final Class<V> valueType;
    private String name;
    private RedisTarget target;
    private String prefix;
    private Codec<K> keyCodec;
    private Codec<V> valueCodec;
    private long entries = -1;
    private int averageKeySize = -1;
    private int averageValueSize = -1;
    private Duration commandTimeout;
    private Duration maxStaleness;
    private UnavailablePolicy unavailable;

    RedisTierBuilder(Class<K> keyType, Class<V> valueType) {
        this.keyType = Objects.requireNonNull(keyType, "keyType");
        this.valueType = Objects.requireNonNull(valueType, "valueType");
    }

    /**
     * The host's store: every process of the host that opens a tier of this name shares one copy and
     * one listener. The rules of {@link SharedMemory#named(String)}, at most 114 characters.
     *
     * @param value the name
     * @return this builder
     */
    public RedisTierBuilder<K, V> name(String value) {
        Objects.requireNonNull(value, "name");
        once(name == null, "the tier was already named \"" + name + "\"");
        SharedMemory.named(value);
        if (value.length() > MAX_NAME) {
            throw new IllegalArgumentException("tier name \"" + value + "\" has " + value.length()
                    + " characters: at most " + MAX_NAME + ", so that its listener's mutex can be named after it");
        }
        this.name = value;
        return this;
    }

    /**
     * One Redis node, for example {@code redis://127.0.0.1:6379} (Lettuce's URI syntax: password, database, TLS).
     *
     * @param uri the node's URI
     * @return this builder
     */
    public RedisTierBuilder<K, V> redis(String uri) {
        once(target == null, "Redis was already set to " + target);
        this.target = RedisTarget.parse(false, uri);
        return this;
    }

    /**
     * A Redis Cluster, through one or more of its nodes; the listener tracks every primary.
     *
     * @param seedUris URIs of at least one node of the cluster, as for {@link #redis(String)}
     * @return this builder
     */
    public RedisTierBuilder<K, V> redisCluster(String... seedUris) {
        once(target == null, "Redis was already set to " + target);
        this.target = RedisTarget.parse(true, seedUris);
        return this;
    }

    /**
     * The prefix of every Redis key of this tier, and what the listener tracks: every change to a key
     * under it invalidates the host's copy. Default empty (every key of the database, which costs an
     * invalidation message for every write to Redis); at most 1,024 characters.
     *
     * @param value the prefix, possibly empty
     * @return this builder
     */
    public RedisTierBuilder<K, V> keyPrefix(String value) {
        Objects.requireNonNull(value, "keyPrefix");
        once(prefix == null, "keyPrefix was already set to \"" + prefix + "\"");
        if (value.length() > 1024) {
            throw new IllegalArgumentException("keyPrefix of " + value.length() + " characters is too long: at most 1024");
        }
        this.prefix = value;
        return this;
    }

    /**
     * How keys become bytes, in the host's store and in Redis; by default the built-in codec for the type.
     *
     * @param codec the key codec
     * @return this builder
     */
    public RedisTierBuilder<K, V> keyCodec(Codec<K> codec) {
        Objects.requireNonNull(codec, "keyCodec");
        once(keyCodec == null, "keyCodec was already set to " + (keyCodec == null ? "" : keyCodec.id()));
        this.keyCodec = codec;
        return this;
    }

    /**
     * How values become bytes, in the host's store and in Redis; by default the built-in codec for the type.
     *
     * @param codec the value codec
     * @return this builder
     */
    public RedisTierBuilder<K, V> valueCodec(Codec<V> codec) {
        Objects.requireNonNull(codec, "valueCodec");
        once(valueCodec == null, "valueCodec was already set to " + (valueCodec == null ? "" : valueCodec.id()));
        this.valueCodec = codec;
        return this;
    }

    /**
     * How many keys the host's store is sized for ({@link SharedStoreBuilder#entries}); default 65,536.
     *
     * @param value the entries, 1 to 2^40
     * @return this builder
     */
    public RedisTierBuilder<K, V> entries(long value) {
        once(entries == -1, "entries was already set to " + entries);
        if (value < 1 || value > 1L << 40) {
            throw new IllegalArgumentException("entries " + value + " is out of range: use 1 to " + (1L << 40));
        }
        this.entries = value;
        return this;
    }

    /**
     * {@link SharedStoreBuilder#averageKeySize}.
     *
     * @param bytes the average size, 1 to 16 MiB
     * @return this builder
     */
    public RedisTierBuilder<K, V> averageKeySize(int bytes) {
        once(averageKeySize == -1, "averageKeySize was already set to " + averageKeySize);
        this.averageKeySize = checkSize("averageKeySize", bytes);
        return this;
    }

    /**
     * {@link SharedStoreBuilder#averageValueSize}, of the value as its codec writes it. The tier holds
     * each value with 17 bytes of its own, within the store's limit of 16 MiB.
     *
     * @param bytes the average size, 1 to 16 MiB less 17 bytes
     * @return this builder
     */
    public RedisTierBuilder<K, V> averageValueSize(int bytes) {
        once(averageValueSize == -1, "averageValueSize was already set to " + averageValueSize);
        if (bytes < 1 || bytes > MAX_SIZE - HELD_OVERHEAD) {
            throw new IllegalArgumentException("averageValueSize " + bytes + " is out of range: use 1 to "
                    + (MAX_SIZE - HELD_OVERHEAD) + " bytes (the tier holds each value with " + HELD_OVERHEAD
                    + " bytes of its own, and a store's average is at most " + MAX_SIZE + ")");
        }
        this.averageValueSize = bytes;
        return this;
    }

    /**
     * How long a Redis command (and a connection attempt) may take before Redis counts as unavailable;
     * from 1 ms to 1 minute, default 2 s. A miss holds its key's segment lock for up to this long.
     *
     * @param value the timeout
     * @return this builder
     */
    public RedisTierBuilder<K, V> commandTimeout(Duration value) {
        Objects.requireNonNull(value, "commandTimeout");
        once(commandTimeout == null, "commandTimeout was already set to " + commandTimeout);
        this.commandTimeout = checkDuration("commandTimeout", value, Duration.ofMillis(1), Duration.ofMinutes(1));
        return this;
    }

    /**
     * The longest a host may serve a copy that another host's acknowledged write has replaced, whatever
     * fails (the lease of the invalidation stream); from 10 ms to 1 minute, default 500 ms. The listener
     * pings Redis five times per period; normally a change arrives long before.
     *
     * @param value the lease
     * @return this builder
     */
    public RedisTierBuilder<K, V> maxStaleness(Duration value) {
        Objects.requireNonNull(value, "maxStaleness");
        once(maxStaleness == null, "maxStaleness was already set to " + maxStaleness);
        this.maxStaleness = checkDuration("maxStaleness", value, Duration.ofMillis(10), Duration.ofMinutes(1));
        return this;
    }

    /**
     * What a read does when Redis is needed and unreachable; default {@link UnavailablePolicy#FAIL}.
     *
     * @param value the policy
     * @return this builder
     */
    public RedisTierBuilder<K, V> onUnavailable(UnavailablePolicy value) {
        Objects.requireNonNull(value, "onUnavailable");
        once(unavailable == null, "onUnavailable was already set to " + unavailable);
        this.unavailable = value;
        return this;
    }

    /**
     * Creates or opens the host's store and joins the host's election for the listener. Redis need not
     * be up: the tier connects on first use, and serves nothing from the host until a listener has a
     * live stream.
     *
     * @return the tier, open; the caller closes it
     * @throws IllegalStateException when {@code name} or Redis is not set, or no codec is known for a type
     */
    public RedisTier<K, V> open() {
        if (name == null) {
            throw new IllegalStateException("name(...) must be set: the host's store that every process shares");
        }
        if (target == null) {
            throw new IllegalStateException("redis(...) or redisCluster(...) must be set");
        }
        Codec<K> kc = keyCodec != null ? keyCodec : Codecs.defaultFor(keyType);
        Codec<V> vc = valueCodec != null ? valueCodec : Codecs.defaultFor(valueType);
        if (kc == null) {
            throw new IllegalStateException("no built-in codec for keys of " + keyType.getName() + ": set keyCodec(...)");
        }
        if (vc == null) {
            throw new IllegalStateException("no built-in codec for values of " + valueType.getName()
                    + ": set valueCodec(...), for example JsonCodec.of(" + valueType.getSimpleName() + ".class)");
        }
        Duration timeout = commandTimeout != null ? commandTimeout : DEFAULT_TIMEOUT;
        @SuppressWarnings({"unchecked", "rawtypes"})
        Class<Held<V>> heldType = (Class) Held.class;
        SharedStoreBuilder<K, Held<V>> b = SharedStore.of(keyType, heldType).name(name).keyCodec(kc)
                .valueCodec(new HeldCodec<>(vc)).fullPolicy(FullPolicy.EVICT)
                // a miss holds the key's lock across one Redis round trip: others wait for it, not fail
                .lockTimeout(timeout.multipliedBy(3).plusSeconds(10));
        if (entries > 0) {
            b.entries(entries);
        }
        if (averageKeySize > 0) {
            b.averageKeySize(averageKeySize);
        }
        b.averageValueSize((averageValueSize > 0 ? averageValueSize : 64) + HELD_OVERHEAD);
        SharedStore<K, Held<V>> host = b.createOrOpen();
        TierState state = null;
        RedisAccess redis = null;
        try {
            state = TierState.createOrOpen(name);
            redis = new RedisAccess(target, timeout);
            return new RedisTier<>(name, keyType, host, state, redis, new RedisKeys<>(prefix != null ? prefix : "", kc, vc),
                    unavailable != null ? unavailable : UnavailablePolicy.FAIL,
                    maxStaleness != null ? maxStaleness : DEFAULT_STALENESS);
        } catch (RuntimeException | Error e) {
            if (redis != null) {
                redis.close();
            }
            if (state != null) {
                state.close();
            }
            host.close();
            throw e;
        }
    }

    private static Duration checkDuration(String what, Duration value, Duration min, Duration max) {
        if (value.compareTo(min) < 0 || value.compareTo(max) > 0) {
            throw new IllegalArgumentException(what + " " + value + " is out of range: use " + min + " to " + max);
        }
        return value;
    }

    private static int checkSize(String what, int bytes) {
        if (bytes < 1 || bytes > MAX_SIZE) {
            throw new IllegalArgumentException(what + " " + bytes + " is out of range: use 1 to " + MAX_SIZE + " bytes");
        }
        return bytes;
    }

    private static void once(boolean unset, String message) {
        if (!unset) {
            throw new IllegalStateException(message);
        }
    }
}
