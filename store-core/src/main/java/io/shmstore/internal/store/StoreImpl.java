package io.shmstore.internal.store;

import io.shmstore.ChangeFeed;
import io.shmstore.ChangeType;
import io.shmstore.CodecException;
import io.shmstore.ReadOnlyStoreException;
import io.shmstore.SharedStore;
import io.shmstore.StoreCorruptedException;
import io.shmstore.StoreException;
import io.shmstore.StoreExistsException;
import io.shmstore.StoreNotFoundException;
import io.shmstore.StoreInspector;
import io.shmstore.StoreStats;
import io.shmstore.FullPolicy;
import io.shmstore.internal.memory.Lifecycle;
import io.shmstore.internal.memory.MemoryFaults;
import io.shmstore.internal.memory.ViewBytesStore;
import io.shmstore.memory.Access;
import io.shmstore.memory.MemoryView;
import io.shmstore.memory.NamedMutex;
import io.shmstore.memory.SharedMemory;
import net.openhft.chronicle.bytes.Bytes;

import java.nio.file.Path;
import java.time.Duration;
import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The {@link SharedStore} over one mapping: a header ({@link StoreLayout}) and segments
 * ({@link Segment}).
 *
 * <p>Design notes:
 * <ul>
 *   <li><b>Keys</b> are compared as their codec's bytes; a key's 64-bit hash picks the segment (bits
 *       32 and up) and the first slot (low bits).</li>
 *   <li><b>Scratch</b>: each thread encodes keys and values into, and copies entries out of, its own
 *       direct {@code Bytes}, shared by all stores, so a hit through {@link #getUsing} allocates
 *       nothing when the codec reuses objects.</li>
 *   <li><b>Atomic operations</b> run under the key's segment lock, across processes; the user's
 *       function runs with it held. Keys and values are encoded again after the function returns,
 *       because the function may have used the scratch buffers.</li>
 *   <li><b>Through the memory layer only</b>: the store maps a {@link MemoryView} and takes its
 *       segments' locks with {@link MemoryView#lockAt}; it never sees a platform backend.</li>
 * </ul>
 * Longer than most classes: it carries the whole ConcurrentMap surface (each method a few lines over
 * the one write path), iteration and the untyped inspector; split, one contract would be scattered.
 */
public final class StoreImpl<K, V> extends AbstractMap<K, V> implements SharedStore<K, V> {
    private static final int CREATE_OR_OPEN_ATTEMPTS = 50;
    /** How long {@link #close()} waits for the operations in flight before leaving the unmap to them. */
    static final long CLOSE_WAIT_NANOS = 1_000_000_000L;
    private static final ThreadLocal<Scratch> SCRATCH = ThreadLocal.withInitial(Scratch::new);
    private static final int SCRATCH_TABLE_SIZE = 256;
    /** Threads' scratch by thread id modulo the size; see {@link #scratch()}. */
    private static final Scratch[] SCRATCH_BY_THREAD = new Scratch[SCRATCH_TABLE_SIZE];

    private final StoreRequest<K, V> request;
    private final SharedMemory memory;
    private final MemoryView view;
    private final StoreConfig config;
    private final Segment[] segments;
    private final NamedMutex[] locks;
    private final NamedMutex feedLock;
    private final ChangeRing<K> feed;
    private final boolean readOnly;
    private final LongAdder hits = new LongAdder();
    private final LongAdder misses = new LongAdder();
    /** Counts the operations in flight, so that closing never unmaps under one (see {@link Lifecycle}). */
    private final Lifecycle life;

    /** Per-thread buffers: the encoded key, the encoded value, and a copied entry. */
    private static final class Scratch {
        final Thread owner = Thread.currentThread();
        final Bytes<Void> key = confined(Bytes.allocateElasticDirect(64));
        final Bytes<Void> value = confined(Bytes.allocateElasticDirect(256));
        final Bytes<Void> entry = confined(Bytes.allocateElasticDirect(256));

        /** A thread-local buffer is used by one thread by construction; Chronicle need not check. */
        private static Bytes<Void> confined(Bytes<Void> b) {
            b.singleThreadedCheckDisabled(true);
            return b;
        }
    }

    /**
     * This thread's scratch buffers. {@code ThreadLocal.get} misses its first probe whenever another
     * thread local shares the slot (Chronicle and applications keep many) and then walks the map,
     * touching entries that a random-access workload has evicted: {@code -prof stack} put a tenth of a
     * {@code get} there, and a one-thread {@code put} measured about 5% faster without it. A table
     * indexed by thread id finds the buffers with one load and one compare. The table is read and
     * written without synchronisation: a thread only ever accepts a {@code Scratch} whose final
     * {@code owner} is itself, which final-field semantics make safe to read through a race; a thread
     * whose slot a live thread holds keeps using its {@code ThreadLocal}. A dead thread's buffers stay
     * reachable until another thread takes its slot: at most 256 small sets.
     */
    private static Scratch scratch() {
        Thread t = Thread.currentThread();
        int i = (int) t.getId() & (SCRATCH_TABLE_SIZE - 1);
        Scratch s = SCRATCH_BY_THREAD[i];
        return s != null && s.owner == t ? s : scratchSlow(i, s);
    }

    private static Scratch scratchSlow(int i, Scratch held) {
        Scratch mine = SCRATCH.get();
        if (held == null || !held.owner.isAlive()) {
            SCRATCH_BY_THREAD[i] = mine;
        }
        return mine;
    }

    private StoreImpl(StoreRequest<K, V> request, SharedMemory memory, MemoryView view, StoreConfig config,
                      boolean readOnly) {
        this.request = request;
        this.memory = memory;
        this.view = view;
        this.config = config;
        this.readOnly = readOnly;
        this.life = Lifecycle.striped("store \"" + request.displayName() + "\"");
        // every access to the view is an operation counted by life: the last one may unmap at once
        ((ViewBytesStore) view.bytes()).unmapOnRelease();
        this.segments = new Segment[config.segments()];
        this.locks = new NamedMutex[config.segments()];
        long base = view.bytes().addressForRead(0);
        this.feedLock = view.lockAt(config.feedOffset() + FeedLayout.LOCK_OFFSET);
        this.feed = new ChangeRing<>(request.displayName(), view, config.feedOffset(), config.feedCapacity(),
                config.recordSize(), feedLock, !readOnly, request.keyCodec(), request.lockTimeout(), life);
        try {
            for (int s = 0; s < segments.length; s++) {
                long offset = StoreLayout.segmentOffset(config.segmentArea(), config.stride(), s);
                locks[s] = view.lockAt(offset + SegmentLayout.LOCK_OFFSET);
                segments[s] = new Segment(s, base + offset, config, locks[s], request.lockTimeout(), feed);
            }
        } catch (RuntimeException e) {
            closeLocks();
            throw e;
        }
    }

    // ---------------------------------------------------------------- opening

    public static <K, V> SharedStore<K, V> create(StoreRequest<K, V> r) {
        StoreConfig config = r.sizing();
        return attach(r, creating(r, config).create(), false);
    }

    public static <K, V> SharedStore<K, V> open(StoreRequest<K, V> r, boolean readOnly) {
        Access access = readOnly ? Access.READ_ONLY : Access.READ_WRITE;
        return attach(r, r.memory().open(access), readOnly);
    }

    public static <K, V> SharedStore<K, V> createOrOpen(StoreRequest<K, V> r) {
        StoreConfig config = r.sizing();
        // open first: creating builds and reserves the whole store before it can find the name taken
        for (int attempt = 0; attempt < CREATE_OR_OPEN_ATTEMPTS; attempt++) {
            try {
                return open(r, false);
            } catch (StoreNotFoundException absent) {
                try {
                    return attach(r, creating(r, config).create(), false);
                } catch (StoreExistsException createdMeanwhile) {
                    // another process created it between our open and our create: open it
                }
            }
        }
        throw new StoreException("could not create or open store \"" + r.displayName() + "\": it kept being removed");
    }

    private static SharedMemory.Builder creating(StoreRequest<?, ?> r, StoreConfig config) {
        SharedMemory.Builder b = r.memory();
        b.size(config.length());
        if (r.permissions() != null) {
            b.permissions(r.permissions());
        }
        if (r.lifetime() != null) {
            b.lifetime(r.lifetime());
        }
        return b.initializer(view -> StoreHeader.write(view.bytes().addressForWrite(0), config, r.keyDescription(),
                r.valueDescription()));
    }

    private static <K, V> StoreImpl<K, V> attach(StoreRequest<K, V> r, SharedMemory mem, boolean readOnly) {
        return attach(r, mem, readOnly, true);
    }

    private static <K, V> StoreImpl<K, V> attach(StoreRequest<K, V> r, SharedMemory mem, boolean readOnly,
                                                 boolean checkTypes) {
        MemoryView view = null;
        try {
            view = mem.map(0, mem.size(), readOnly ? Access.READ_ONLY : Access.READ_WRITE);
            long a = view.bytes().addressForRead(0);
            StoreConfig config = StoreHeader.read(a, view.length(), r.displayName());
            if (checkTypes) {
                StoreHeader.checkTypes(a, r.displayName(), r.keyDescription(), r.valueDescription());
            }
            return new StoreImpl<>(r, mem, view, config, readOnly);
        } catch (RuntimeException e) {
            if (view != null) {
                view.close();
            }
            mem.close();
            throw e;
        }
    }

    /**
     * Any store untyped, for operator tools: keys and values as their raw bytes, over {@code mem} (the
     * mapping of {@code name} or {@code file}, opened by the caller), which it takes over.
     */
    public static StoreInspector inspect(String name, Path file, SharedMemory mem) {
        StoreRequest<byte[], byte[]> r = new StoreRequest<>(name, file, byte[].class, byte[].class, RawCodec.INSTANCE,
                RawCodec.INSTANCE, 1, 1, 1, 0, FullPolicy.REJECT, 0, null, null, Duration.ofSeconds(10), 0, Set.of());
        StoreImpl<byte[], byte[]> store = attach(r, mem, mem.access() == Access.READ_ONLY, false);
        long a = store.view.bytes().addressForRead(0);
        String keys = StoreHeader.readText(a + StoreLayout.KEY_DESCRIPTION_OFFSET);
        String values = StoreHeader.readText(a + StoreLayout.VALUE_DESCRIPTION_OFFSET);
        return new Inspector(store, keys, values);
    }

    /** The untyped face of a store opened with raw codecs. */
    private static final class Inspector implements StoreInspector {
        private final StoreImpl<byte[], byte[]> store;
        private final String keys;
        private final String values;

        Inspector(StoreImpl<byte[], byte[]> store, String keys, String values) {
            this.store = store;
            this.keys = keys;
            this.values = values;
        }

        @Override
        public String name() {
            return store.name();
        }

        @Override
        public String keyDescription() {
            return keys;
        }

        @Override
        public String valueDescription() {
            return values;
        }

        @Override
        public StoreStats stats() {
            return store.stats();
        }

        @Override
        public int size() {
            return store.size();
        }

        @Override
        public List<String> verify() {
            return store.verify();
        }

        @Override
        public void forEach(RawEntryVisitor visitor) {
            store.life.checkOpen();
            Bytes<Void> scratch = scratch().entry;
            for (Segment seg : store.segments) {
                List<byte[][]> copies = new ArrayList<>();
                store.use(() -> {
                    snapshot(seg, scratch, copies);
                    return null;
                });
                for (byte[][] kv : copies) {
                    if (!visitor.visit(kv[0], kv[1])) {
                        return;
                    }
                }
            }
        }

        private void snapshot(Segment seg, Bytes<Void> scratch, List<byte[][]> copies) {
            seg.snapshot(scratch, System.currentTimeMillis(), copy -> {
                int kl = copy.readInt(EntryLayout.KEY_LENGTH_OFFSET);
                int vl = copy.readInt(EntryLayout.VALUE_LENGTH_OFFSET);
                byte[] k = new byte[kl];
                byte[] v = new byte[vl];
                copy.read(EntryLayout.HEADER_LENGTH, k, 0, kl);
                copy.read(EntryLayout.HEADER_LENGTH + (long) kl, v, 0, vl);
                copies.add(new byte[][]{k, v});
            });
        }

        @Override
        public ChangeFeed<byte[]> changes() {
            return store.changes();
        }

        @Override
        public void destroy() {
            store.destroy();
        }

        @Override
        public void close() {
            store.close();
        }
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
        Scratch s = scratch();
        long hash = encodeKey(s, key);
        if (read(s, hash)) {
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
            Scratch s = scratch();
            return read(s, encodeKey(s, k));
        } finally {
            life.exit(use);
        }
    }

    /** Copies the live entry for the key encoded in {@code s} into {@code s.entry}; false when absent. */
    private boolean read(Scratch s, long hash) {
        try {
            boolean found = segmentFor(hash).read(s.key, hash, s.entry, now());
            MemoryFaults.raisePending();
            return found;
        } catch (InternalError e) {
            throw fault(e);
        }
    }

    @Override
    public int size() {
        return use(this::count);
    }

    private int count() {
        if (config.ttlMillis() > 0) {
            // the counts include expired entries not yet purged: count the unexpired ones, undecoded
            long[] live = {0};
            long now = now();
            Bytes<Void> scratch = scratch().entry;
            for (Segment seg : segments) {
                seg.snapshot(scratch, now, copy -> live[0]++);
            }
            return (int) Math.min(Integer.MAX_VALUE, live[0]);
        }
        long n = 0;
        for (Segment seg : segments) {
            n += seg.count();
        }
        return (int) Math.min(Integer.MAX_VALUE, n);
    }

    @Override
    public boolean isEmpty() {
        return size() == 0;
    }

    // ---------------------------------------------------------------- writing

    @Override
    public V put(K key, V value) {
        Objects.requireNonNull(value, "value");
        return update(key, (k, old) -> value, true, true, true);
    }

    @Override
    public V putIfAbsent(K key, V value) {
        Objects.requireNonNull(value, "value");
        return update(key, (k, old) -> old == null ? value : old, true, false, true);
    }

    @Override
    public V remove(Object key) {
        K k = castKey(key);
        if (k == null) {
            Objects.requireNonNull(key, "key");
            life.checkOpen();
            checkWritable();
            return null;
        }
        return update(k, (kk, old) -> null, true, true, true);
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
        }, false, false, true);
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
        }, false, false, true);
        return done[0];
    }

    @Override
    public V replace(K key, V value) {
        Objects.requireNonNull(value, "value");
        return update(key, (k, old) -> old == null ? null : value, true, false, true);
    }

    @Override
    public V compute(K key, BiFunction<? super K, ? super V, ? extends V> fn) {
        Objects.requireNonNull(fn, "remappingFunction");
        return update(key, fn, false, false, false, true);
    }

    @Override
    public V computeIfAbsent(K key, Function<? super K, ? extends V> fn) {
        Objects.requireNonNull(fn, "mappingFunction");
        return update(key, (k, old) -> old != null ? old : fn.apply(k), false, false, true, true);
    }

    @Override
    public V computeIfPresent(K key, BiFunction<? super K, ? super V, ? extends V> fn) {
        Objects.requireNonNull(fn, "remappingFunction");
        return update(key, (k, old) -> old == null ? null : fn.apply(k, old), false, false, false, true);
    }

    @Override
    public V merge(K key, V value, BiFunction<? super V, ? super V, ? extends V> fn) {
        Objects.requireNonNull(value, "value");
        Objects.requireNonNull(fn, "remappingFunction");
        return update(key, (k, old) -> old == null ? value : fn.apply(old, value), false, false, false, true);
    }

    /**
     * The one write path: under the key's segment lock, reads the current value, applies {@code fn},
     * and stores its result (null removes). Writes only when the value object changed.
     *
     * @param returnOld   return the previous value (else the new one)
     * @param blindWrite  {@code fn} ignores the previous value ({@code put}, {@code remove}): a previous
     *                    value that no longer decodes does not stop the write, which happens, and is
     *                    then reported
     * @param keepIfSame  {@code fn} returning the previous value object means "unchanged" (the built-in
     *                    operations); a user's function may have mutated it, so its result is written
     */
    private V update(K key, BiFunction<? super K, ? super V, ? extends V> fn, boolean returnOld, boolean blindWrite,
                     boolean keepIfSame) {
        return update(key, fn, returnOld, blindWrite, keepIfSame, false);
    }

    /** @param userCode {@code fn} runs the caller's code, which may use the store (other keys) */
    private V update(K key, BiFunction<? super K, ? super V, ? extends V> fn, boolean returnOld, boolean blindWrite,
                     boolean keepIfSame, boolean userCode) {
        Objects.requireNonNull(key, "key");
        int use = life.enter();
        try {
            checkWritable();
            return update(key, fn, returnOld, blindWrite, keepIfSame, userCode, scratch());
        } finally {
            life.exit(use);
        }
    }

    private V update(K key, BiFunction<? super K, ? super V, ? extends V> fn, boolean returnOld, boolean blindWrite,
                     boolean keepIfSame, boolean userCode, Scratch s) {
        long hash = encodeKey(s, key);
        Segment seg = segmentFor(hash);
        long now = System.currentTimeMillis();
        CodecException unreadable = null;
        V old;
        V next;
        try {
            seg.lock();
        } catch (InternalError e) {
            throw fault(e);
        }
        try {
            try {
                old = readLocked(seg, s, hash, now, key);
            } catch (CodecException e) {
                if (!blindWrite) {
                    throw e;
                }
                unreadable = e;
                old = null;
            }
            next = fn.apply(key, old);
            if (!keepIfSame || next != old || old == null) {
                if (userCode) {
                    // the user's function may have used this thread's scratch buffers
                    encodeKey(s, key);
                }
                if (next == null) {
                    int i = seg.locate(s.key.addressForRead(0), (int) s.key.writePosition(), hash);
                    if (i >= 0) {
                        seg.remove(i, seg.expiredAt(i, now) ? ChangeType.EXPIRE : ChangeType.REMOVE);
                    }
                } else {
                    encode(s.value, next, key);
                    seg.put(hash, s.key, s.value, now);
                }
            }
            MemoryFaults.raisePending();
        } catch (InternalError e) {
            throw fault(e);
        } finally {
            unlock(seg);
        }
        if (unreadable != null) {
            throw new CodecException("the write for key " + key + " in store \"" + name() + "\" was done, but the"
                    + " previous value, which it would return, could not be read: " + unreadable.getMessage(), unreadable);
        }
        return returnOld ? old : next;
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
        use(() -> {
            checkWritable();
            for (Segment seg : segments) {
                seg.lock();
                try {
                    seg.clear();
                } finally {
                    unlock(seg);
                }
            }
            feed.record(ChangeType.CLEAR, 0, -1, 0, -1);
            return null;
        });
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
        return new AbstractSet<>() {
            @Override
            public Iterator<Entry<K, V>> iterator() {
                return new EntryIterator();
            }

            @Override
            public int size() {
                return StoreImpl.this.size();
            }

            @Override
            public boolean contains(Object o) {
                if (!(o instanceof Map.Entry<?, ?> e)) {
                    return false;
                }
                V v = get(e.getKey());
                return v != null && Objects.deepEquals(v, e.getValue());
            }

            @Override
            public boolean remove(Object o) {
                return o instanceof Map.Entry<?, ?> e && StoreImpl.this.remove(e.getKey(), e.getValue());
            }

            @Override
            public void clear() {
                StoreImpl.this.clear();
            }
        };
    }

    /** Weakly consistent: each segment is read as one consistent snapshot when the iterator reaches it. */
    private final class EntryIterator implements Iterator<Entry<K, V>> {
        private int segment;
        private final List<Entry<K, V>> batch = new ArrayList<>();
        private int position;
        private Entry<K, V> last;

        @Override
        public boolean hasNext() {
            int use = life.enter();
            try {
                while (position >= batch.size() && segment < segments.length) {
                    batch.clear();
                    position = 0;
                    Bytes<Void> scratch = scratch().entry;
                    try {
                        segments[segment++].snapshot(scratch, System.currentTimeMillis(), copy -> batch.add(decodeEntry(copy)));
                        MemoryFaults.raisePending();
                    } catch (InternalError e) {
                        throw fault(e);
                    }
                }
                return position < batch.size();
            } finally {
                life.exit(use);
            }
        }

        @Override
        public Entry<K, V> next() {
            if (!hasNext()) {
                throw new NoSuchElementException();
            }
            last = batch.get(position++);
            return last;
        }

        @Override
        public void remove() {
            if (last == null) {
                throw new IllegalStateException("next() has not been called, or remove() was already called");
            }
            StoreImpl.this.remove(last.getKey());
            last = null;
        }
    }

    private Entry<K, V> decodeEntry(Bytes<?> copy) {
        int kl = copy.readInt(EntryLayout.KEY_LENGTH_OFFSET);
        int vl = copy.readInt(EntryLayout.VALUE_LENGTH_OFFSET);
        copy.readPositionRemaining(EntryLayout.HEADER_LENGTH, kl);
        K key = request.keyCodec().read(copy, null);
        copy.readPositionRemaining(EntryLayout.HEADER_LENGTH + (long) kl, vl);
        V value = decode(copy, null, key);
        return new StoreEntry(key, value);
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
        return use(this::readStats);
    }

    private StoreStats readStats() {
        long entries = 0;
        long used = 0;
        long recoveries = 0;
        long evictions = 0;
        long expirations = 0;
        double[] load = new double[segments.length];
        for (int i = 0; i < segments.length; i++) {
            Segment seg = segments[i];
            entries += seg.count();
            used += (long) seg.usedChunks() * config.chunkSize();
            load[i] = (double) seg.usedChunks() / config.chunks();
            recoveries += seg.recoveries();
            evictions += seg.evictions();
            expirations += seg.expirations();
        }
        return new StoreStats(entries, config.entries(), used, (long) config.chunks() * config.chunkSize() * segments.length,
                load, hits.sum(), misses.sum(), recoveries, evictions, expirations);
    }

    @Override
    public List<String> verify() {
        List<String> problems = new ArrayList<>();
        use(() -> {
            checkWritable();
            for (Segment seg : segments) {
                seg.lock();
                try {
                    seg.verify(problems);
                } finally {
                    unlock(seg);
                }
            }
            feed.verify(problems);
            return null;
        });
        return problems;
    }

    @Override
    public String name() {
        return request.displayName();
    }

    @Override
    public boolean isReadOnly() {
        return readOnly;
    }

    /**
     * Closes the store. Operations in flight on other threads finish (a cursor's {@code await} returns
     * false); every call that starts later throws {@link IllegalStateException}. The handle detaches
     * from the named mapping now; the mapping itself is unmapped when the last operation in flight
     * ends, which this method waits for up to {@link #CLOSE_WAIT_NANOS}. A writer never leaves a
     * segment lock held: it releases it before its operation ends. Idempotent.
     */
    @Override
    public void close() {
        shutdown(false);
    }

    /** Removes the store's name now, then closes as {@link #close()} does. */
    @Override
    public void destroy() {
        life.checkOpen();
        shutdown(true);
    }

    private void shutdown(boolean destroy) {
        if (!life.close(this::unmap)) {
            return;
        }
        try {
            feed.wakeSleepers();
            if (destroy) {
                memory.destroy();
            } else {
                memory.close();
            }
            MemoryFaults.raisePending();
        } catch (InternalError e) {
            throw fault(e);
        } finally {
            try {
                life.awaitQuiet(CLOSE_WAIT_NANOS);
                MemoryFaults.raisePending();
            } catch (InternalError e) {
                throw fault(e);
            }
        }
    }

    /** After the last operation: the segment locks, then the view they reserve. */
    private void unmap() {
        closeLocks();
        view.close();
    }

    private void closeLocks() {
        if (feedLock != null) {
            feedLock.close();
        }
        for (NamedMutex m : locks) {
            if (m != null) {
                m.close();
            }
        }
    }

    /** As {@link AbstractMap#toString()} (every entry) while open, as ConcurrentHashMap does. */
    @Override
    public String toString() {
        return life.isClosed() ? "SharedStore[" + name() + ", closed]" : super.toString();
    }

    // ---------------------------------------------------------------- helpers

    /**
     * Releases a segment lock in a {@code finally}: a memory fault there (the file was cut while the
     * lock was held) must not replace the exception that is already on its way.
     */
    private void unlock(Segment seg) {
        try {
            seg.unlock();
        } catch (InternalError e) {
            if (!MemoryFaults.isFault(e)) {
                throw e;
            }
        }
    }

    /**
     * Runs an operation on the mapping as one use of the store ({@link Lifecycle}), raising a fault of
     * its accesses here and as the typed exception. The hot paths (lookups through {@link #read}, the
     * write path, iteration) write the same out, where a capturing lambda would allocate.
     */
    private <T> T use(Supplier<T> op) {
        int use = life.enter();
        try {
            T result = op.get();
            MemoryFaults.raisePending();
            return result;
        } catch (InternalError e) {
            throw fault(e);
        } finally {
            life.exit(use);
        }
    }

    /** A SIGBUS on the mapping (its file was truncated while open) as the typed exception. */
    private StoreCorruptedException fault(InternalError e) {
        return MemoryFaults.corrupted(e, "store \"" + name() + "\"");
    }

    /** The clock for expiry; not read at all by a store without expiry. */
    private long now() {
        return config.ttlMillis() > 0 ? System.currentTimeMillis() : 0;
    }

    private long encodeKey(Scratch s, K key) {
        Objects.requireNonNull(key, "key");
        s.key.clear();
        request.keyCodec().write(s.key, key);
        return Hashing.hash(0x6B65_795F_6861_7368L, s.key.addressForRead(0), s.key.writePosition());
    }

    private Segment segmentFor(long hash) {
        return segments[(int) (hash >>> 32) & (segments.length - 1)];
    }

    /** Reads a value; a codec's failure becomes a {@link CodecException} naming the key and codec. */
    private V decode(Bytes<?> in, V reuse, K key) {
        try {
            return request.valueCodec().read(in, reuse);
        } catch (RuntimeException e) {
            throw new CodecException("cannot read the value of key " + key + " in store \"" + name()
                    + "\" with codec " + request.valueCodec().id() + " (the stored bytes are left as they are): "
                    + e.getMessage(), e);
        }
    }

    /** Writes a value into {@code out}; a codec's failure becomes a {@link CodecException}. */
    private void encode(Bytes<?> out, V value, K key) {
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

    private void checkWritable() {
        if (readOnly) {
            throw new ReadOnlyStoreException("store \"" + name() + "\" was opened read-only");
        }
    }
}
