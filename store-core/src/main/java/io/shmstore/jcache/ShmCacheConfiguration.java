package io.shmstore.jcache;

import io.shmstore.Codec;
import io.shmstore.FullPolicy;
import io.shmstore.memory.Lifetime;

import javax.cache.configuration.CompleteConfiguration;
import javax.cache.configuration.Configuration;
import javax.cache.configuration.MutableConfiguration;
import java.util.Objects;

/**
 * A JCache configuration with ShmStore's own settings: how many entries the cache's store is sized for
 * and may grow to, the average key and value sizes, what happens when it is full (by default a cache
 * evicts: {@link FullPolicy#EVICT}), how long the store lives, and codecs that replace Java
 * serialization. Everything else is {@link MutableConfiguration}'s; a plain {@code MutableConfiguration}
 * gets the defaults below.
 *
 * <p>The types, the expiry policy and the sizing are recorded in the store's header when the first
 * process creates the cache: another process that creates it with different ones is refused with a
 * {@link javax.cache.CacheException} naming both configurations.
 *
 * @param <K> key type
 * @param <V> value type
 */
public final class ShmCacheConfiguration<K, V> extends MutableConfiguration<K, V> {
    private static final long serialVersionUID = 1L;
    /** Entries a cache's store is sized for unless told. */
    public static final long DEFAULT_ENTRIES = 16_384;
    /** Serialized keys of about this many bytes unless told. */
    public static final int DEFAULT_KEY_SIZE = 32;
    /** Serialized values of about this many bytes unless told. */
    public static final int DEFAULT_VALUE_SIZE = 256;

    /** Entries the store is sized for. */
    private long entries = DEFAULT_ENTRIES;
    /** The most entries the store may grow to; -1 for the store's default. */
    private long maxEntries = -1;
    /** Average serialized key size, bytes. */
    private int averageKeySize = DEFAULT_KEY_SIZE;
    /** Average serialized value size, bytes. */
    private int averageValueSize = DEFAULT_VALUE_SIZE;
    /** What a full store does. */
    private FullPolicy fullPolicy = FullPolicy.EVICT;
    /** How long the store lives; null for the cache manager location's default. */
    private Lifetime lifetime;
    /** Codecs are process-local objects, like the factories' products: not serialized. */
    private transient Codec<K> keyCodec;
    private transient Codec<V> valueCodec;

    /** A configuration with the defaults: {@link MutableConfiguration}'s, and ShmStore's as the setters say. */
    public ShmCacheConfiguration() {
    }

    /**
     * A copy of {@code configuration}, with ShmStore's settings too when it is one of these.
     *
     * @param configuration the configuration to copy
     */
    public ShmCacheConfiguration(CompleteConfiguration<K, V> configuration) {
        super(configuration);
        if (configuration instanceof ShmCacheConfiguration<K, V> shm) {
            entries = shm.entries;
            maxEntries = shm.maxEntries;
            averageKeySize = shm.averageKeySize;
            averageValueSize = shm.averageValueSize;
            fullPolicy = shm.fullPolicy;
            lifetime = shm.lifetime;
            keyCodec = shm.keyCodec;
            valueCodec = shm.valueCodec;
        }
    }

    /** The configuration a cache is made from: a copy of any JCache configuration. */
    static <K, V> ShmCacheConfiguration<K, V> from(Configuration<K, V> configuration) {
        Objects.requireNonNull(configuration, "configuration");
        if (configuration instanceof CompleteConfiguration<K, V> complete) {
            return new ShmCacheConfiguration<>(complete);
        }
        ShmCacheConfiguration<K, V> c = new ShmCacheConfiguration<>();
        c.setTypes(configuration.getKeyType(), configuration.getValueType());
        c.setStoreByValue(configuration.isStoreByValue());
        return c;
    }

    /**
     * Entries the store is sized for (1 to 2^40); default {@value #DEFAULT_ENTRIES}.
     *
     * @param value the entries
     * @return this configuration
     */
    public ShmCacheConfiguration<K, V> setEntries(long value) {
        if (value < 1 || value > 1L << 40) {
            throw new IllegalArgumentException("entries " + value + " is out of range: use 1 to " + (1L << 40));
        }
        this.entries = value;
        return this;
    }

    /**
     * Entries the store is sized for.
     *
     * @return the entries, {@value #DEFAULT_ENTRIES} unless set
     */
    public long getEntries() {
        return entries;
    }

    /**
     * The most entries the store may grow to, at least {@link #getEntries()}; by default eight times
     * that. Past it the cache evicts (or, with {@link FullPolicy#REJECT}, refuses the put).
     *
     * @param value the most entries, 1 to 2^43
     * @return this configuration
     */
    public ShmCacheConfiguration<K, V> setMaxEntries(long value) {
        if (value < 1 || value > 1L << 43) {
            throw new IllegalArgumentException("maxEntries " + value + " is out of range: use 1 to " + (1L << 43));
        }
        this.maxEntries = value;
        return this;
    }

    /**
     * The most entries the store may grow to.
     *
     * @return the most entries, or -1 when left to the store's default
     */
    public long getMaxEntries() {
        return maxEntries;
    }

    /**
     * Average serialized key size, bytes (1 to 16 MiB); default {@value #DEFAULT_KEY_SIZE}.
     *
     * @param bytes the average size
     * @return this configuration
     */
    public ShmCacheConfiguration<K, V> setAverageKeySize(int bytes) {
        this.averageKeySize = checkSize("averageKeySize", bytes);
        return this;
    }

    /**
     * Average serialized key size.
     *
     * @return the size in bytes, {@value #DEFAULT_KEY_SIZE} unless set
     */
    public int getAverageKeySize() {
        return averageKeySize;
    }

    /**
     * Average serialized value size, bytes (1 to 16 MiB); default {@value #DEFAULT_VALUE_SIZE}.
     *
     * @param bytes the average size
     * @return this configuration
     */
    public ShmCacheConfiguration<K, V> setAverageValueSize(int bytes) {
        this.averageValueSize = checkSize("averageValueSize", bytes);
        return this;
    }

    /**
     * Average serialized value size.
     *
     * @return the size in bytes, {@value #DEFAULT_VALUE_SIZE} unless set
     */
    public int getAverageValueSize() {
        return averageValueSize;
    }

    /**
     * What a full store does; default {@link FullPolicy#EVICT}, as a cache should.
     *
     * @param value the policy
     * @return this configuration
     */
    public ShmCacheConfiguration<K, V> setFullPolicy(FullPolicy value) {
        this.fullPolicy = Objects.requireNonNull(value, "fullPolicy");
        return this;
    }

    /**
     * What a full store does.
     *
     * @return the policy, {@link FullPolicy#EVICT} unless set
     */
    public FullPolicy getFullPolicy() {
        return fullPolicy;
    }

    /**
     * How long the store lives: by default {@link Lifetime#UNTIL_LAST_CLOSE} for a cache in the shm
     * directory (it goes when the last process closes it) and {@link Lifetime#PERSISTENT} for one in a
     * directory a {@code file:} URI names (it stays until {@code destroyCache}).
     *
     * @param value the lifetime
     * @return this configuration
     */
    public ShmCacheConfiguration<K, V> setLifetime(Lifetime value) {
        this.lifetime = Objects.requireNonNull(value, "lifetime");
        return this;
    }

    /**
     * How long the store lives.
     *
     * @return the lifetime set, or null for the cache manager location's default
     */
    public Lifetime getLifetime() {
        return lifetime;
    }

    /**
     * Keys through this codec instead of Java serialization (every process must use the same codec:
     * its id is part of the store's header).
     *
     * @param codec the key codec
     * @return this configuration
     */
    public ShmCacheConfiguration<K, V> setKeyCodec(Codec<K> codec) {
        this.keyCodec = Objects.requireNonNull(codec, "keyCodec");
        return this;
    }

    /**
     * How keys are serialized.
     *
     * @return the key codec set, or null for Java serialization
     */
    public Codec<K> getKeyCodec() {
        return keyCodec;
    }

    /**
     * Values through this codec instead of Java serialization.
     *
     * @param codec the value codec
     * @return this configuration
     */
    public ShmCacheConfiguration<K, V> setValueCodec(Codec<V> codec) {
        this.valueCodec = Objects.requireNonNull(codec, "valueCodec");
        return this;
    }

    /**
     * How values are serialized.
     *
     * @return the value codec set, or null for Java serialization
     */
    public Codec<V> getValueCodec() {
        return valueCodec;
    }

    private static int checkSize(String what, int bytes) {
        if (bytes < 1 || bytes > 1 << 24) {
            throw new IllegalArgumentException(what + " " + bytes + " is out of range: use 1 to " + (1 << 24) + " bytes");
        }
        return bytes;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ShmCacheConfiguration<?, ?> other && super.equals(o) && entries == other.entries
                && maxEntries == other.maxEntries && averageKeySize == other.averageKeySize
                && averageValueSize == other.averageValueSize && fullPolicy == other.fullPolicy
                && lifetime == other.lifetime && Objects.equals(keyCodec, other.keyCodec)
                && Objects.equals(valueCodec, other.valueCodec);
    }

    @Override
    public int hashCode() {
        return super.hashCode() * 31 + Long.hashCode(entries);
    }
}
