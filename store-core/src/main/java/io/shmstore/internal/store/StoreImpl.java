package io.shmstore.internal.store;

import io.shmstore.ChangeFeed;
import io.shmstore.ChangeType;
import io.shmstore.CodecException;
import io.shmstore.LockedEntry;
import io.shmstore.SharedStore;
import io.shmstore.StoreInspector;
import io.shmstore.StoreStats;
import io.shmstore.internal.sync.Lifecycle;
import io.shmstore.internal.sync.MemoryFaults;
import io.shmstore.internal.sync.NotReentrantException;
import io.shmstore.memory.SharedMemory;
import net.openhft.chronicle.bytes.Bytes;

import java.nio.file.Path;
import java.time.Duration;
import java.util.AbstractMap;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * The {@link SharedStore}: a typed {@code ConcurrentMap} over a {@link ByteStore}, through the key and
 * value codecs.
 *
 * <p>Design notes:
 * <ul>
 *   <li><b>Keys</b> are compared as their codec's bytes; a key's 64-bit hash picks the segment (bits
 *       32 and up) and the first slot (low bits).</li>
 *   <li><b>Scratch</b>: each thread encodes keys and values into, and copies entries out of, its own
 *       direct buffers ({@link Scratch}).</li>
 *   <li><b>Atomic operations</b> run under the key's segment lock, across processes; the user's
 *       function runs with it held. Keys and values are encoded again after the function returns,
 *       because the function may have used the scratch buffers.</li>
 *   <li><b>Uses</b>: every method that reaches the mapping is one use of the store's
 *       {@link Lifecycle}, so closing never unmaps under it.</li>
 * </ul>
 * Longer than most classes here because it carries the whole {@code ConcurrentMap} surface, each
 * method a few lines over the one write path.
 */
public final class StoreImpl<K, V> extends AbstractMap<K, V> implements SharedStore<K, V> {
    /** {@link #update} flags. Return the previous value (else the new one). */
    private static final int RETURN_OLD = 1;
    /**
     * The function ignores the previous value ({@code put}, {@code remove}): a previous value that no
     * longer decodes does not stop the write, which happens, and is then reported.
     */
    private static final int BLIND = 2;
    /**
     * The function returning the previous value object means "unchanged" (the built-in operations); a
     * user's function may have mutated it, so its result is written.
     */
    private static final int KEEP_IF_SAME = 4;
    /** The function runs the caller's code, which may use the store (other keys) and this thread's scratch. */
    private static final int USER_CODE = 8;

    private final StoreRequest<K, V> request;
    private final ByteStore bytes;
    private final Lifecycle life;
    private final Feed<K> feed;
    private final LongAdder hits = new LongAdder();
    private final LongAdder misses = new LongAdder();
    /** The store's expireAfterWrite, in ms (0: values written without an explicit time to live never expire). */
    private final long ttlMillis;

    private StoreImpl(StoreRequest<K, V> request, ByteStore bytes) {
        this.request = request;
        this.bytes = bytes;
        this.life = bytes.life();
        this.feed = new Feed<>(bytes.ring(), request.keyCodec());
        this.ttlMillis = bytes.config().ttlMillis();
    }

    public static <K, V> SharedStore<K, V> create(StoreRequest<K, V> r) {
        return new StoreImpl<>(r, ByteStore.create(r));
    }

    public static <K, V> SharedStore<K, V> open(StoreRequest<K, V> r, boolean readOnly) {
        return new StoreImpl<>(r, ByteStore.open(r, readOnly));
    }

    public static <K, V> SharedStore<K, V> createOrOpen(StoreRequest<K, V> r) {
        return new StoreImpl<>(r, ByteStore.createOrOpen(r));
    }

    /**
     * Any store untyped, for operator tools: keys and values as their raw bytes, over {@code mem} (the
     * mapping of {@code name} or {@code file}, opened by the caller), which it takes over.
     */
    public static StoreInspector inspect(String name, Path file, SharedMemory mem) {
        return Inspector.over(name, file, mem);
    }

    // ---------------------------------------------------------------- reading

    @Override
    public V get(Object key) {
        K k = castKey(key);
        if (k == null) {
            return null;
        }
        int use = life.enter();
        try {
            return lookup(k, null);
        } finally {
            life.exit(use);
        }
    }

    /** The use's bookkeeping stays out of {@link #lookup}, which keeps the read path small to inline. */
    @Override
    public V getUsing(K key, V reuse) {
        int use = life.enter();
        try {
            return lookup(key, reuse);
        } finally {
            life.exit(use);
        }
    }

    private V lookup(K key, V reuse) {
        bytes.checkNotCut();
        Scratch s = Scratch.forThread();
        long hash = encodeKey(s, key);
        if (bytes.read(s.key, hash, s.entry)) {
            hits.increment();
            return decode(s.entry, reuse, key);
        }
        misses.increment();
        return null;
    }

    @Override
    public boolean containsKey(Object key) {
        K k = castKey(key);
        if (k == null) {
            return false;
        }
        int use = life.enter();
        try {
            bytes.checkNotCut();
            Scratch s = Scratch.forThread();
            return bytes.read(s.key, encodeKey(s, k), s.entry);
        } finally {
            life.exit(use);
        }
    }

    @Override
    public int size() {
        return bytes.size();
    }

    @Override
    public boolean isEmpty() {
        return size() == 0;
    }

    // ---------------------------------------------------------------- writing

    @Override
    public V put(K key, V value) {
        Objects.requireNonNull(value, "value");
        return update(key, (k, old) -> value, RETURN_OLD | BLIND | KEEP_IF_SAME);
    }

    @Override
    public V put(K key, V value, Duration timeToLive) {
        Objects.requireNonNull(value, "value");
        Objects.requireNonNull(timeToLive, "timeToLive");
        if (timeToLive.isNegative() || timeToLive.isZero()) {
            throw new IllegalArgumentException("timeToLive " + timeToLive + " must be positive");
        }
        long millis;
        try {
            // entries expire on the millisecond: less than one rounds up to one, never down to "never"
            millis = Math.max(1, timeToLive.toMillis());
        } catch (ArithmeticException tooLong) {
            millis = Long.MAX_VALUE;
        }
        return update(key, (k, old) -> value, RETURN_OLD | BLIND | KEEP_IF_SAME, millis);
    }

    @Override
    public V putIfAbsent(K key, V value) {
        Objects.requireNonNull(value, "value");
        return update(key, (k, old) -> old == null ? value : old, RETURN_OLD | KEEP_IF_SAME);
    }

    @Override
    public V remove(Object key) {
        K k = castKey(key);
        if (k == null) {
            Objects.requireNonNull(key, "key");
            life.checkOpen();
            bytes.checkWritable();
            return null;
        }
        return update(k, (kk, old) -> null, RETURN_OLD | BLIND | KEEP_IF_SAME);
    }

    @Override
    public boolean remove(Object key, Object value) {
        Objects.requireNonNull(value, "value");
        K k = castKey(key);
        if (k == null) {
            Objects.requireNonNull(key, "key");
            return false;
        }
        boolean[] done = new boolean[1];
        update(k, (kk, old) -> {
            done[0] = old != null && Objects.deepEquals(old, value);
            return done[0] ? null : old;
        }, KEEP_IF_SAME);
        return done[0];
    }

    @Override
    public boolean replace(K key, V oldValue, V newValue) {
        Objects.requireNonNull(oldValue, "oldValue");
        Objects.requireNonNull(newValue, "newValue");
        boolean[] done = new boolean[1];
        update(key, (k, old) -> {
            done[0] = old != null && Objects.deepEquals(old, oldValue);
            return done[0] ? newValue : old;
        }, KEEP_IF_SAME);
        return done[0];
    }

    @Override
    public V replace(K key, V value) {
        Objects.requireNonNull(value, "value");
        return update(key, (k, old) -> old == null ? null : value, RETURN_OLD | KEEP_IF_SAME);
    }

    @Override
    public V compute(K key, BiFunction<? super K, ? super V, ? extends V> fn) {
        Objects.requireNonNull(fn, "remappingFunction");
        return update(key, fn, USER_CODE);
    }

    @Override
    public V computeIfAbsent(K key, Function<? super K, ? extends V> fn) {
        Objects.requireNonNull(fn, "mappingFunction");
        return update(key, (k, old) -> old != null ? old : fn.apply(k), KEEP_IF_SAME | USER_CODE);
    }

    @Override
    public V computeIfPresent(K key, BiFunction<? super K, ? super V, ? extends V> fn) {
        Objects.requireNonNull(fn, "remappingFunction");
        return update(key, (k, old) -> old == null ? null : fn.apply(k, old), USER_CODE);
    }

    @Override
    public V merge(K key, V value, BiFunction<? super V, ? super V, ? extends V> fn) {
        Objects.requireNonNull(value, "value");
        Objects.requireNonNull(fn, "remappingFunction");
        return update(key, (k, old) -> old == null ? value : fn.apply(old, value), USER_CODE);
    }

    /**
     * The one write path: under the key's segment lock, reads the current value, applies {@code fn},
     * and stores its result (null removes); {@code flags} are {@link #RETURN_OLD}, {@link #BLIND},
     * {@link #KEEP_IF_SAME}, {@link #USER_CODE}. The segment either publishes the change and nothing
     * after that can fail, or the change does not happen ({@link Segment}).
     */
    private V update(K key, BiFunction<? super K, ? super V, ? extends V> fn, int flags) {
        return update(key, fn, flags, ttlMillis);
    }

    /** @param ttl how long a value written now lives, in ms; 0 for ever */
    private V update(K key, BiFunction<? super K, ? super V, ? extends V> fn, int flags, long ttl) {
        Objects.requireNonNull(key, "key");
        int use = life.enter();
        try {
            bytes.checkNotCut();
            bytes.checkWritable();
            return updateLocked(key, fn, flags, ttl, Scratch.forThread());
        } catch (InternalError e) {
            throw bytes.fault(e);
        } finally {
            life.exit(use);
        }
    }

    private V updateLocked(K key, BiFunction<? super K, ? super V, ? extends V> fn, int flags, long ttl, Scratch s) {
        long hash = encodeKey(s, key);
        Segment seg = bytes.segmentFor(hash);
        long now = System.currentTimeMillis();
        CodecException unreadable = null;
        V old;
        V next;
        try {
            bytes.lock(seg);
        } catch (NotReentrantException e) {
            throw new IllegalStateException("store \"" + name() + "\": a write to key " + key + " from inside a function"
                    + " passed to compute, computeIfAbsent, computeIfPresent or merge of a key in the same segment: the"
                    + " segment's lock is held while the function runs, and the write would wait for it. Return the"
                    + " value from the function instead, or make the write after the call returns", e);
        }
        try {
            try {
                old = readLocked(seg, s, hash, now, key);
            } catch (CodecException e) {
                if ((flags & BLIND) == 0) {
                    throw e;
                }
                unreadable = e;
                old = null;
            }
            next = fn.apply(key, old);
            if ((flags & KEEP_IF_SAME) == 0 || next != old || old == null) {
                if ((flags & USER_CODE) != 0) {
                    encodeKey(s, key);
                }
                if (next == null) {
                    int i = seg.locate(s.key.addressForRead(0), (int) s.key.writePosition(), hash);
                    if (i >= 0) {
                        seg.remove(i, seg.expiredAt(i, now) ? ChangeType.EXPIRE : ChangeType.REMOVE);
                    }
                } else {
                    encode(s.value, next, key);
                    seg.put(hash, s.key, s.value, now, ttl == 0 ? Long.MAX_VALUE : saturatedAdd(now, ttl));
                }
            }
            MemoryFaults.raisePending();
        } catch (InternalError e) {
            throw bytes.fault(e);
        } finally {
            bytes.unlock(seg);
        }
        if (unreadable != null) {
            throw new CodecException("the write for key " + key + " in store \"" + name() + "\" was done, but the"
                    + " previous value, which it would return, could not be read: " + unreadable.getMessage(), unreadable);
        }
        return (flags & RETURN_OLD) != 0 ? old : next;
    }

    @Override
    public <R> R withLock(K key, Function<? super LockedEntry<K, V>, ? extends R> fn) {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(fn, "fn");
        int use = life.enter();
        try {
            bytes.checkNotCut();
            bytes.checkWritable();
            Scratch s = Scratch.forThread();
            long hash = encodeKey(s, key);
            Segment seg = bytes.segmentFor(hash);
            bytes.lock(seg);
            try {
                LockedEntryImpl<K, V> entry = new LockedEntryImpl<>(this, seg, s, key, hash, System.currentTimeMillis());
                R result;
                try {
                    result = fn.apply(entry);
                } catch (RuntimeException | Error e) {
                    entry.discard();
                    throw e;
                }
                entry.apply();
                MemoryFaults.raisePending();
                return result;
            } finally {
                bytes.unlock(seg);
            }
        } catch (InternalError e) {
            throw bytes.fault(e);
        } finally {
            life.exit(use);
        }
    }

    /** When a value written at {@code now} without its own time to live expires: the store's default. */
    long expiryFrom(long now) {
        return ttlMillis == 0 ? Long.MAX_VALUE : saturatedAdd(now, ttlMillis);
    }

    private static long saturatedAdd(long a, long b) {
        long sum = a + b;
        return ((a ^ sum) & (b ^ sum)) < 0 ? Long.MAX_VALUE - 1 : Math.min(sum, Long.MAX_VALUE - 1);
    }

    /** The key's current value, with the segment lock held; null when absent or expired. */
    private V readLocked(Segment seg, Scratch s, long hash, long now, K key) {
        int i = seg.locate(s.key.addressForRead(0), (int) s.key.writePosition(), hash);
        if (i < 0 || seg.expiredAt(i, now)) {
            return null;
        }
        seg.copyAt(i, s.entry);
        return decode(s.entry, null, key);
    }

    @Override
    public void clear() {
        bytes.clear();
    }

    @Override
    public ChangeFeed<K> changes() {
        life.checkOpen();
        return feed;
    }

    // ---------------------------------------------------------------- iteration

    @Override
    public Set<Entry<K, V>> entrySet() {
        life.checkOpen();
        return new StoreEntries<>(this, bytes);
    }

    /** An entry of a snapshot copy ({@link EntryLayout}), decoded; for iteration. */
    Entry<K, V> decodeEntry(Bytes<?> copy) {
        long shape = SegmentReader.shapeOf(copy.addressForRead(0));
        int headerLength = EntryValidator.headerLength(shape);
        int keyLength = EntryValidator.keyLength(shape);
        copy.readPositionRemaining(headerLength, keyLength);
        K key = request.keyCodec().read(copy, null);
        copy.readPositionRemaining(headerLength + (long) keyLength, EntryValidator.valueLength(shape));
        return new StoreEntry(key, decode(copy, null, key));
    }

    /** An entry of an iteration; {@code setValue} writes through to the store. */
    private final class StoreEntry extends SimpleEntry<K, V> {
        private static final long serialVersionUID = 1L;

        StoreEntry(K key, V value) {
            super(key, value);
        }

        @Override
        public V setValue(V value) {
            Objects.requireNonNull(value, "value");
            put(getKey(), value);
            return super.setValue(value);
        }
    }

    // ---------------------------------------------------------------- the rest of the API

    @Override
    public StoreStats stats() {
        return bytes.stats(hits.sum(), misses.sum());
    }

    @Override
    public List<String> verify() {
        return bytes.verify();
    }

    @Override
    public String metadata() {
        return bytes.use(bytes::metadata);
    }

    @Override
    public String name() {
        return request.displayName();
    }

    @Override
    public boolean isReadOnly() {
        return bytes.readOnly();
    }

    /** See {@link ByteStore#close()}: safe while other threads use the store. */
    @Override
    public void close() {
        bytes.close();
    }

    @Override
    public void destroy() {
        bytes.destroy();
    }

    /** As {@link AbstractMap#toString()} (every entry) while open, as ConcurrentHashMap does. */
    @Override
    public String toString() {
        return life.isClosed() ? "SharedStore[" + name() + ", closed]" : super.toString();
    }

    // ---------------------------------------------------------------- codecs

    long encodeKey(Scratch s, K key) {
        Objects.requireNonNull(key, "key");
        s.key.clear();
        request.keyCodec().write(s.key, key);
        return Hashing.keyHash(s.key.addressForRead(0), s.key.writePosition());
    }

    /** Reads a value; a codec's failure becomes a {@link CodecException} naming the key and codec. */
    V decode(Bytes<?> in, V reuse, K key) {
        try {
            return request.valueCodec().read(in, reuse);
        } catch (RuntimeException e) {
            throw new CodecException("cannot read the value of key " + key + " in store \"" + name()
                    + "\" with codec " + request.valueCodec().id() + " (the stored bytes are left as they are): "
                    + e.getMessage(), e);
        }
    }

    /** Writes a value into {@code out}; a codec's failure becomes a {@link CodecException}. */
    void encode(Bytes<?> out, V value, K key) {
        out.clear();
        try {
            request.valueCodec().write(out, value);
        } catch (RuntimeException e) {
            throw new CodecException("cannot write the value for key " + key + " in store \"" + name()
                    + "\" with codec " + request.valueCodec().id() + ": " + e.getMessage(), e);
        }
    }

    private K castKey(Object key) {
        Objects.requireNonNull(key, "key");
        return request.keyType().isInstance(key) ? request.keyType().cast(key) : null;
    }
}
