package io.shmstore;

import java.util.concurrent.ConcurrentMap;

/**
 * A typed key-value map over one named mapping, shared by every process that opens it.
 *
 * <pre>{@code
 * try (SharedStore<String, Long> counts = SharedStore.of(String.class, Long.class)
 *         .name("counts").entries(100_000).averageKeySize(16)
 *         .createOrOpen()) {
 *     counts.merge("clicks", 1L, Long::sum);          // atomic across processes
 * }
 * }</pre>
 *
 * <ul>
 *   <li>The whole {@link ConcurrentMap} contract; {@code compute}, {@code computeIfAbsent},
 *       {@code merge}, {@code putIfAbsent}, {@code replace} and {@code remove(k, v)} are atomic per key
 *       across processes (the key's segment lock is held while the function runs, so a function must
 *       not write to a key of the same segment: such a write throws {@link IllegalStateException} saying
 *       so). Iterators are weakly consistent, segment by segment.</li>
 *   <li>Reads take no lock and never write to shared memory; writers that die at any instant leave
 *       every entry old or new, and the next writer repairs the segment online.</li>
 *   <li>Keys and values are never null ({@link NullPointerException}).</li>
 *   <li>After {@link #close()} every method throws {@link IllegalStateException}.</li>
 * </ul>
 *
 * @param <K> key type
 * @param <V> value type
 */
public interface SharedStore<K, V> extends ConcurrentMap<K, V>, AutoCloseable {

    /**
     * Starts building a store with these key and value types. For a generic type, pass its raw class (or
     * {@code Object.class}) and narrow it with the codec ({@link SharedStoreBuilder#valueCodec}).
     *
     * @param <K>       the key type
     * @param <V>       the value type
     * @param keyType   the keys' class
     * @param valueType the values' class
     * @return a builder; set a name or a file, then create or open
     */
    static <K, V> SharedStoreBuilder<K, V> of(Class<K> keyType, Class<V> valueType) {
        return new SharedStoreBuilder<>(keyType, valueType);
    }

    /**
     * The value for {@code key}, read into {@code reuse} when the value codec can reuse objects (the
     * bytes and {@code BytesMarshallable} codecs do): with such a codec a hit allocates nothing.
     *
     * @param key   the key
     * @param reuse an object the codec may fill, or null
     * @return the value (possibly {@code reuse} itself), or null when absent
     */
    V getUsing(K key, V reuse);

    /**
     * Puts {@code value} under {@code key} to expire {@code timeToLive} from now, whatever the store's
     * {@code expireAfterWrite}: each entry carries its own expiry. An expired entry reads as absent and
     * is purged when its segment needs room.
     *
     * @param key        the key
     * @param value      the value
     * @param timeToLive how long the entry lives, at least 1 ms (shorter rounds up)
     * @return the previous value, or null
     * @throws IllegalArgumentException naming the duration when it is not positive
     */
    V put(K key, V value, java.time.Duration timeToLive);

    /**
     * Runs {@code fn} on the key's entry with the key's segment lock held, so atomically across
     * processes, and makes the change it asks for through the {@link LockedEntry} when it returns: a
     * value with its own expiry, a new expiry for the present value, or a removal. What {@code compute}
     * does, with expiry and without decoding a value that is not asked for. The function must not use
     * this store (the lock is not reentrant) and should be quick: writers of the segment, in every
     * process, wait for it.
     *
     * @param <R> what the function returns
     * @param key the key, not null; it need not be stored
     * @param fn  the function, called once with the entry, which is valid only until it returns
     * @return what {@code fn} returned
     */
    <R> R withLock(K key, java.util.function.Function<? super LockedEntry<K, V>, ? extends R> fn);

    /**
     * Walks every structure, segment by segment under its lock (so a segment whose writer died is
     * repaired first), and returns one line per problem found: empty when the store is sound.
     *
     * @return the problems found, one line each
     * @throws ReadOnlyStoreException on a read-only store, which cannot take the locks
     */
    java.util.List<String> verify();

    /**
     * The store's change feed: every put, remove, expiry, eviction and clear, numbered.
     *
     * @return the feed
     */
    ChangeFeed<K> changes();

    /**
     * Counts and sizes, read now; {@link StoreStats} says which are this process's and which the store's.
     *
     * @return the statistics
     */
    StoreStats stats();

    /**
     * The metadata its creator recorded ({@link SharedStoreBuilder#metadata}).
     *
     * @return the metadata, empty when none
     */
    String metadata();

    /**
     * The store's name (or file path for a file-backed store).
     *
     * @return the name
     */
    String name();

    /**
     * Whether this handle is read-only.
     *
     * @return true when opened with {@code openReadOnly()}: every write throws {@link ReadOnlyStoreException}
     */
    boolean isReadOnly();

    /** Removes the store's name now, whatever its lifetime, and closes this handle. */
    void destroy();

    /** Detaches this process; idempotent. */
    @Override
    void close();
}
