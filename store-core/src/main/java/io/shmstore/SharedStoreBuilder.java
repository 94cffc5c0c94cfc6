package io.shmstore;

import io.shmstore.internal.store.StoreImpl;
import io.shmstore.internal.store.StoreLayout;
import io.shmstore.internal.store.StoreRequest;
import io.shmstore.memory.Lifetime;
import io.shmstore.memory.SharedMemory;

import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.Objects;
import java.util.Set;

/**
 * Settings for a {@link SharedStore}; from {@link SharedStore#of(Class, Class)}. Each setting may be
 * given once, and is checked when given; the terminal calls check the settings against each other.
 * Sizing settings ({@code entries}, average sizes, {@code segments}, policies) apply when a store is
 * created; an opener gets the geometry the creator chose.
 *
 * <p>A codec may narrow the store's type: {@link #keyCodec} and {@link #valueCodec} take a codec of any
 * subtype of the builder's type and return the builder for that type, so a generic value type, which
 * has no class literal, comes from its codec:
 * <pre>{@code
 * SharedStore<String, Map<String, List<Long>>> store = SharedStore.of(String.class, Object.class)
 *         .name("series")
 *         .valueCodec(JsonCodec.of(new TypeReference<Map<String, List<Long>>>() {}))
 *         .createOrOpen();
 * }</pre>
 * The header then records the builder's class ({@code java.lang.Object}) and the codec's id, which
 * names the generic type ({@code json:java.util.Map<java.lang.String,java.util.List<java.lang.Long>>}).
 *
 * @param <K> the key type
 * @param <V> the value type
 */
public final class SharedStoreBuilder<K, V> {
    private static final long DEFAULT_ENTRIES = 1 << 16;
    /** How far a store may grow by default: eight times its {@code entries}. */
    private static final long DEFAULT_GROWTH = 8;
    private static final int DEFAULT_VALUE_SIZE = 64;
    private static final int MAX_AVERAGE_SIZE = 1 << 24;
    /** What the header's metadata field holds (FORMAT.md): its bytes less the 2-byte length. */
    private static final int MAX_METADATA_BYTES = StoreLayout.METADATA_CAPACITY - 2;

    private final Class<K> keyType;
    private final Class<V> valueType;
    private String name;
    private Path file;
    private long entries = -1;
    private long maxEntries = -1;
    private int averageKeySize = -1;
    private int averageValueSize = -1;
    private Codec<K> keyCodec;
    private Codec<V> valueCodec;
    private int segments = -1;
    private FullPolicy fullPolicy;
    private Duration expireAfterWrite;
    private Lifetime lifetime;
    private Set<PosixFilePermission> permissions;
    private Duration lockTimeout;
    private int changeFeedCapacity = -1;
    private final Set<String> trustedOwners = new LinkedHashSet<>();
    private String metadata;

    SharedStoreBuilder(Class<K> keyType, Class<V> valueType) {
        this.keyType = Objects.requireNonNull(keyType, "keyType");
        this.valueType = Objects.requireNonNull(valueType, "valueType");
    }

    /**
     * A memory-only store with this name (rules of {@link SharedMemory#named(String)}).
     *
     * @param value the name
     * @return this builder
     * @throws IllegalArgumentException naming the name when it breaks the rules
     * @throws IllegalStateException    when the store was already named or placed in a file
     */
    public SharedStoreBuilder<K, V> name(String value) {
        Objects.requireNonNull(value, "name");
        once(name == null && file == null, "the store was already named " + (name != null ? "\"" + name + "\"" : file));
        SharedMemory.named(value);
        this.name = value;
        return this;
    }

    /**
     * A store in this file, persistent until {@link SharedStore#destroy()}.
     *
     * @param value the file
     * @return this builder
     * @throws IllegalStateException when the store was already named or placed in a file
     */
    public SharedStoreBuilder<K, V> persistedTo(Path value) {
        Objects.requireNonNull(value, "file");
        once(name == null && file == null, "the store was already placed at " + (name != null ? "\"" + name + "\"" : file));
        this.file = value;
        return this;
    }

    /**
     * How many entries to size for (1 to 2^40); default 65,536.
     *
     * @param value the entries
     * @return this builder
     * @throws IllegalArgumentException naming the value when it is out of range
     */
    public SharedStoreBuilder<K, V> entries(long value) {
        once(entries == -1, "entries was already set to " + entries);
        if (value < 1 || value > 1L << 40) {
            throw new IllegalArgumentException("entries " + value + " is out of range: use 1 to " + (1L << 40));
        }
        this.entries = value;
        return this;
    }

    /**
     * Average serialized key size in bytes (1 to 16 MiB); by default 8 for {@code Long}, 4 for
     * {@code Integer}, else 16.
     *
     * @param bytes the average size
     * @return this builder
     * @throws IllegalArgumentException naming the size when it is out of range
     */
    public SharedStoreBuilder<K, V> averageKeySize(int bytes) {
        once(averageKeySize == -1, "averageKeySize was already set to " + averageKeySize);
        this.averageKeySize = checkSize("averageKeySize", bytes);
        return this;
    }

    /**
     * Average serialized value size in bytes (1 to 16 MiB); default 64.
     *
     * @param bytes the average size
     * @return this builder
     * @throws IllegalArgumentException naming the size when it is out of range
     */
    public SharedStoreBuilder<K, V> averageValueSize(int bytes) {
        once(averageValueSize == -1, "averageValueSize was already set to " + averageValueSize);
        this.averageValueSize = checkSize("averageValueSize", bytes);
        return this;
    }

    /**
     * How keys become bytes; by default the built-in codec of the key class ({@link Codecs}). The codec's
     * {@link Codec#id() id} goes into the store's header: every process must use a codec of the same id.
     * A codec of a subtype of {@code K} narrows the builder to that type (see the class comment).
     *
     * @param <K2>  the codec's type, {@code K} or a subtype of it
     * @param codec the key codec
     * @return this builder, for keys of the codec's type
     * @throws IllegalStateException naming the codec already set
     */
    public <K2 extends K> SharedStoreBuilder<K2, V> keyCodec(Codec<K2> codec) {
        Objects.requireNonNull(codec, "keyCodec");
        once(keyCodec == null, "keyCodec was already set to " + (keyCodec == null ? "" : keyCodec.id()));
        SharedStoreBuilder<K2, V> narrowed = narrowKeys();
        narrowed.keyCodec = codec;
        return narrowed;
    }

    /**
     * How values become bytes; by default the built-in codec of the value class ({@link Codecs}), and
     * {@code io.shmstore.codec.JsonCodec} or {@code SmileCodec} (module store-codec) for records and beans.
     * The codec's {@link Codec#id() id} goes into the store's header: every process must use a codec of the
     * same id. A codec of a subtype of {@code V}, such as a generic type from a Jackson
     * {@code TypeReference}, narrows the builder to that type (see the class comment).
     *
     * @param <V2>  the codec's type, {@code V} or a subtype of it
     * @param codec the value codec
     * @return this builder, for values of the codec's type
     * @throws IllegalStateException naming the codec already set
     */
    public <V2 extends V> SharedStoreBuilder<K, V2> valueCodec(Codec<V2> codec) {
        Objects.requireNonNull(codec, "valueCodec");
        once(valueCodec == null, "valueCodec was already set to " + (valueCodec == null ? "" : valueCodec.id()));
        SharedStoreBuilder<K, V2> narrowed = narrowValues();
        narrowed.valueCodec = codec;
        return narrowed;
    }

    /**
     * The same builder for a narrower key type. Sound because nothing of type {@code K} is held but the
     * key codec, which is unset when this is called and set right after, and the key class, which stays
     * the class the store was declared with.
     */
    @SuppressWarnings("unchecked")
    private <K2 extends K> SharedStoreBuilder<K2, V> narrowKeys() {
        return (SharedStoreBuilder<K2, V>) this;
    }

    /** As {@link #narrowKeys()}, for values. */
    @SuppressWarnings("unchecked")
    private <V2 extends V> SharedStoreBuilder<K, V2> narrowValues() {
        return (SharedStoreBuilder<K, V2>) this;
    }

    /**
     * The most entries the store may grow to, at least {@code entries}; default eight times
     * {@code entries}. A store reserves what {@code entries} of the average sizes need, grows online as
     * more (or larger) entries come, in every process, and past this (or when the file system is full)
     * applies its {@link #fullPolicy}. {@code maxEntries(entries)} turns growth off. An opener that asks
     * for more entries than an existing store was created to grow to is refused, saying so.
     *
     * @param value the most entries, 1 to 2^43
     * @return this builder
     * @throws IllegalArgumentException naming the value when it is out of range
     */
    public SharedStoreBuilder<K, V> maxEntries(long value) {
        once(maxEntries == -1, "maxEntries was already set to " + maxEntries);
        if (value < 1 || value > 1L << 43) {
            throw new IllegalArgumentException("maxEntries " + value + " is out of range: use 1 to " + (1L << 43));
        }
        this.maxEntries = value;
        return this;
    }

    /**
     * Number of segments, a power of two from 1 to 1,024; by default from {@code entries}. Each segment
     * has its own lock: more segments, fewer writers waiting for each other.
     *
     * @param value the number of segments
     * @return this builder
     * @throws IllegalArgumentException naming the value when it is not such a power of two
     */
    public SharedStoreBuilder<K, V> segments(int value) {
        once(segments == -1, "segments was already set to " + segments);
        if (value < 1 || value > 1 << 10 || Integer.bitCount(value) != 1) {
            throw new IllegalArgumentException("segments " + value + " must be a power of two from 1 to 1024");
        }
        this.segments = value;
        return this;
    }

    /**
     * What a full store does: {@link FullPolicy#REJECT} (the default) throws {@link StoreFullException}
     * saying what is full and what to raise; {@link FullPolicy#EVICT} makes room by evicting entries
     * (expired ones first, then the oldest-written of a sample), as a cache does.
     *
     * @param value the policy
     * @return this builder
     * @throws IllegalStateException naming the policy already set
     */
    public SharedStoreBuilder<K, V> fullPolicy(FullPolicy value) {
        Objects.requireNonNull(value, "fullPolicy");
        once(fullPolicy == null, "fullPolicy was already set to " + fullPolicy);
        this.fullPolicy = value;
        return this;
    }

    /**
     * Entries become invisible this long after they were written, and their space is reclaimed. From
     * 1 ms to {@code Long.MAX_VALUE} ms (292 million years): the header counts it in milliseconds, so a
     * longer duration is refused rather than cut short. Entries that should never expire need no
     * expiry: leave it unset.
     *
     * @param value how long an entry lives after it is written
     * @return this builder
     * @throws IllegalArgumentException naming the duration when it is out of range
     */
    public SharedStoreBuilder<K, V> expireAfterWrite(Duration value) {
        Objects.requireNonNull(value, "expireAfterWrite");
        once(expireAfterWrite == null, "expireAfterWrite was already set to " + expireAfterWrite);
        if (value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException("expireAfterWrite " + value + " must be at least 1 ms");
        }
        long millis;
        try {
            millis = value.toMillis();
        } catch (ArithmeticException tooLong) {
            throw new IllegalArgumentException("expireAfterWrite " + value + " is too long to count in milliseconds:"
                    + " use at most " + Long.MAX_VALUE + " ms, or leave it unset so that entries never expire", tooLong);
        }
        if (millis < 1) {
            throw new IllegalArgumentException("expireAfterWrite " + value + " must be at least 1 ms");
        }
        this.expireAfterWrite = value;
        return this;
    }

    /**
     * When the store's name goes away: {@link Lifetime#UNTIL_LAST_CLOSE} (the default for memory-only
     * stores) when the last process closes it, {@link Lifetime#PERSISTENT} (the default for file-backed
     * stores) only on {@link SharedStore#destroy()}.
     *
     * @param value the lifetime
     * @return this builder
     * @throws IllegalStateException naming the lifetime already set
     */
    public SharedStoreBuilder<K, V> lifetime(Lifetime value) {
        Objects.requireNonNull(value, "lifetime");
        once(lifetime == null, "lifetime was already set to " + lifetime);
        this.lifetime = value;
        return this;
    }

    /**
     * Who may open a created store; default owner-only.
     *
     * @param value the permissions of the store's file
     * @return this builder
     * @throws IllegalArgumentException naming the permissions when they are not read-write pairs
     */
    public SharedStoreBuilder<K, V> permissions(Set<PosixFilePermission> value) {
        Objects.requireNonNull(value, "permissions");
        once(permissions == null, "permissions were already set to "
                + (permissions == null ? "" : PosixFilePermissions.toString(permissions)));
        this.permissions = Set.copyOf(SharedMemory.checkPermissions(value));
        return this;
    }

    /**
     * Who may open a created store, as {@code ls} shows it: {@code "rw-r-----"}; default owner-only.
     *
     * @param rwx the permissions, nine characters
     * @return this builder
     * @throws IllegalArgumentException naming the string when it is not such permissions
     */
    public SharedStoreBuilder<K, V> permissions(String rwx) {
        // through SharedMemory's parser: the JDK's own says only "Invalid mode", not which string
        return permissions(SharedMemory.parsePermissions(rwx));
    }

    /**
     * Also opens an existing store that {@code user} owns, as {@link SharedMemory.Builder#trustOwner}
     * does for a mapping: without it, a store owned by anyone but this process's user or root is refused
     * with {@link UntrustedOwnerException}, since another user may have created the name first to read
     * what this process writes or to feed it forged data. Once per user; it applies to every open,
     * {@link #createOrOpen} and {@link #openReadOnly} included.
     *
     * @param user a user name, or a numeric uid as {@code chown} takes one; on Windows an account name
     *             or a SID string
     * @return this builder
     */
    public SharedStoreBuilder<K, V> trustOwner(String user) {
        SharedMemory.checkOwner(user);
        once(!trustedOwners.contains(user), "owner \"" + user + "\" was already trusted");
        trustedOwners.add(user);
        return this;
    }

    /**
     * Records the change feed's ring holds, a power of two from 64 to 2^24; by default the power of two
     * at or above {@code entries}, from 1,024 to 1,048,576.
     *
     * @param records the ring's size in records
     * @return this builder
     * @throws IllegalArgumentException naming the size when it is not such a power of two
     */
    public SharedStoreBuilder<K, V> changeFeedCapacity(int records) {
        once(changeFeedCapacity == -1, "changeFeedCapacity was already set to " + changeFeedCapacity);
        if (records < 64 || records > 1 << 24 || Integer.bitCount(records) != 1) {
            throw new IllegalArgumentException("changeFeedCapacity " + records + " must be a power of two from 64 to "
                    + (1 << 24));
        }
        this.changeFeedCapacity = records;
        return this;
    }

    /**
     * Text recorded in the header of a store this creates, and checked by this when it opens one: an
     * existing store created with other metadata (or none) is refused with
     * {@link IncompatibleStoreException} naming both. An application records what its processes must
     * agree on beyond the key and value types (a schema version, a cache's configuration). An opener
     * that sets none opens any store; {@link SharedStore#metadata()} reads it. Up to 3,070 UTF-8 bytes.
     *
     * @param text the metadata
     * @return this builder
     * @throws IllegalArgumentException naming the length when it is longer than a header holds
     * @throws IllegalStateException    when it was set already
     */
    public SharedStoreBuilder<K, V> metadata(String text) {
        Objects.requireNonNull(text, "metadata");
        once(metadata == null, "metadata was already set to \"" + metadata + "\"");
        int bytes = text.getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
        if (bytes > MAX_METADATA_BYTES) {
            throw new IllegalArgumentException("metadata of " + bytes + " UTF-8 bytes is too long: a store header holds "
                    + MAX_METADATA_BYTES);
        }
        this.metadata = text;
        return this;
    }

    /**
     * How long a writer waits for a segment held by a live process; default 10 s.
     *
     * @param value the timeout, zero for no wait
     * @return this builder
     * @throws IllegalArgumentException naming the duration when it is negative
     */
    public SharedStoreBuilder<K, V> lockTimeout(Duration value) {
        Objects.requireNonNull(value, "lockTimeout");
        once(lockTimeout == null, "lockTimeout was already set to " + lockTimeout);
        if (value.isNegative()) {
            throw new IllegalArgumentException("lockTimeout " + value + " is negative");
        }
        this.lockTimeout = value;
        return this;
    }

    /**
     * Creates the store.
     *
     * @return the new store, open
     * @throws StoreExistsException when the name is taken
     */
    public SharedStore<K, V> create() {
        return StoreImpl.create(request());
    }

    /**
     * Opens an existing store for reading and writing.
     *
     * @return the store, open
     * @throws StoreNotFoundException      when there is none
     * @throws IncompatibleStoreException naming both sides when its types, codecs or format differ
     */
    public SharedStore<K, V> open() {
        return StoreImpl.open(request(), false);
    }

    /**
     * Opens an existing store on a read-only mapping; every write throws {@link ReadOnlyStoreException}.
     *
     * @return the store, open for reading
     * @throws StoreNotFoundException      when there is none
     * @throws IncompatibleStoreException naming both sides when its types, codecs or format differ
     */
    public SharedStore<K, V> openReadOnly() {
        return StoreImpl.open(request(), true);
    }

    /**
     * Creates the store, or opens it if it exists (exactly one of racing processes creates it).
     *
     * @return the store, open
     * @throws IncompatibleStoreException naming both sides when an existing store's types, codecs or
     *                                    format differ
     */
    public SharedStore<K, V> createOrOpen() {
        return StoreImpl.createOrOpen(request());
    }

    private StoreRequest<K, V> request() {
        if (name == null && file == null) {
            throw new IllegalStateException("name(...) or persistedTo(...) must be set");
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
        checkFixedSize("averageKeySize", averageKeySize, keyType, kc);
        checkFixedSize("averageValueSize", averageValueSize, valueType, vc);
        long n = entries > 0 ? entries : maxEntries > 0 ? Math.min(DEFAULT_ENTRIES, maxEntries) : DEFAULT_ENTRIES;
        if (maxEntries > 0 && maxEntries < n) {
            throw new IllegalStateException("maxEntries " + maxEntries + " is less than entries " + n
                    + ": the store would start larger than it may grow");
        }
        if (segments > n) {
            throw new IllegalStateException("segments " + segments + " is more than entries " + n
                    + ": each segment would hold less than one entry");
        }
        int avgKey = averageKeySize > 0 ? averageKeySize : defaultSize(keyType, 16);
        int avgValue = averageValueSize > 0 ? averageValueSize : defaultSize(valueType, DEFAULT_VALUE_SIZE);
        return new StoreRequest<>(name, file, keyType, valueType, kc, vc, n, entries > 0,
                maxEntries > 0 ? maxEntries : Math.min(1L << 43, n * DEFAULT_GROWTH), maxEntries > 0,
                avgKey, avgValue, Math.max(segments, 0), fullPolicy != null ? fullPolicy : FullPolicy.REJECT,
                expireAfterWrite != null ? expireAfterWrite.toMillis() : 0, lifetime, permissions,
                lockTimeout != null ? lockTimeout : Duration.ofSeconds(10), Math.max(changeFeedCapacity, 0),
                trustedOwners, metadata);
    }

    /** A fixed-size built-in codec makes an average size a contradiction unless it is that size. */
    private static void checkFixedSize(String what, int given, Class<?> type, Codec<?> codec) {
        int fixed = codec == Codecs.longs() ? 8 : codec == Codecs.ints() ? 4 : -1;
        if (given > 0 && fixed > 0 && given != fixed) {
            throw new IllegalStateException(what + " " + given + " contradicts the " + fixed + "-byte encoding of "
                    + type.getName() + " by codec " + codec.id());
        }
    }

    private static int defaultSize(Class<?> type, int otherwise) {
        if (type == Long.class) {
            return 8;
        }
        if (type == Integer.class) {
            return 4;
        }
        return otherwise;
    }

    private static int checkSize(String what, int bytes) {
        if (bytes < 1 || bytes > MAX_AVERAGE_SIZE) {
            throw new IllegalArgumentException(what + " " + bytes + " is out of range: use 1 to " + MAX_AVERAGE_SIZE + " bytes");
        }
        return bytes;
    }

    private static void once(boolean unset, String message) {
        if (!unset) {
            throw new IllegalStateException(message);
        }
    }
}
