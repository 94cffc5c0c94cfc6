package io.shmstore.jcache;

import io.shmstore.Codec;
import io.shmstore.Codecs;
import io.shmstore.IncompatibleStoreException;
import io.shmstore.LockedEntry;
import io.shmstore.SharedStore;
import io.shmstore.SharedStoreBuilder;
import io.shmstore.StoreException;

import javax.cache.Cache;
import javax.cache.CacheException;
import javax.cache.CacheManager;
import javax.cache.configuration.CacheEntryListenerConfiguration;
import javax.cache.configuration.CompleteConfiguration;
import javax.cache.configuration.Configuration;
import javax.cache.configuration.Factory;
import javax.cache.event.EventType;
import javax.cache.expiry.ExpiryPolicy;
import javax.cache.integration.CacheLoader;
import javax.cache.integration.CacheLoaderException;
import javax.cache.integration.CacheWriter;
import javax.cache.integration.CacheWriterException;
import javax.cache.integration.CompletionListener;
import javax.cache.processor.EntryProcessor;
import javax.cache.processor.EntryProcessorException;
import javax.cache.processor.EntryProcessorResult;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/**
 * A JCache {@link Cache} over a {@link SharedStore}: every process that opens the same cache manager
 * URI and cache name shares its entries. {@link #unwrap(Class) unwrap(SharedStore.class)} gives the store.
 *
 * <p>Design notes:
 * <ul>
 *   <li><b>Reads</b> ({@code get}, {@code getAll}, the iterator) are the store's lock-free reads. A hit
 *       asks the expiry policy for an access expiry, and only when it gives one is the entry rewritten
 *       with it (under the key's lock): a policy without access expiry, JCache's default, never writes on
 *       a read.</li>
 *   <li><b>Writes</b> run in {@link SharedStore#withLock}, atomic across processes: the entry as stored,
 *       the expiry policy's verdict (created or updated), the write-through writer (a writer that throws
 *       leaves the entry as it was), and one change made when the function returns. Entry processors run
 *       there too, so {@code invoke} is atomic across processes.</li>
 *   <li><b>Expiry</b> is the store's, per entry: an expired entry reads as absent in every process. A
 *       locked operation that finds one reports it to expiry listeners and removes it; so does a read that
 *       misses, while an expiry listener is registered.</li>
 *   <li><b>Events</b> are built inside the locked function (which knows the old value) and delivered
 *       after it returned: synchronous listeners before the operation returns, asynchronous ones on their
 *       own threads; none when the change did not happen.</li>
 *   <li><b>Statistics</b> count this process's operations; evictions are the store's count, by any
 *       process.</li>
 * </ul>
 * Longer than most classes here because it carries the whole {@link Cache} interface, whose methods
 * differ in small ways (what they count, call, load and report) that are clearest side by side.
 */
public final class ShmCache<K, V> implements Cache<K, V> {
    private final ShmCacheManager manager;
    private final String name;
    private final ShmCacheConfiguration<K, V> configuration;
    private final SharedStore<K, V> store;
    private final Class<K> keyType;
    private final Class<V> valueType;
    /** Values are Java-serialized: one that is not Serializable is refused before the lock is taken. */
    private final boolean serializedValues;
    private final Expiries expiries;
    /** The configured loader, for {@code loadAll}; reads load through it only when {@link #readThrough}. */
    private final CacheLoader<K, V> loader;
    private final boolean readThrough;
    private final CacheWriter<K, V> writer;
    private final Listeners<K, V> listeners;
    private final CacheStatistics statistics;
    private volatile boolean closed;

    private ShmCache(ShmCacheManager manager, String name, ShmCacheConfiguration<K, V> configuration,
                     SharedStore<K, V> store, boolean serializedValues, ExpiryPolicy expiry, CacheLoader<K, V> loader,
                     CacheWriter<K, V> writer) {
        this.manager = manager;
        this.name = name;
        this.configuration = configuration;
        this.store = store;
        this.keyType = configuration.getKeyType();
        this.valueType = configuration.getValueType();
        this.serializedValues = serializedValues;
        this.expiries = new Expiries(expiry);
        this.loader = loader;
        this.readThrough = configuration.isReadThrough() && loader != null;
        this.writer = writer;
        this.statistics = new CacheStatistics(() -> store.stats().evictions());
        statistics.enable(configuration.isStatisticsEnabled());
        this.listeners = new Listeners<>(this);
    }

    /**
     * Opens (or creates) the store of cache {@code name} where {@code manager}'s URI says, checking the
     * configuration against the one its creator recorded.
     */
    static <K, V> ShmCache<K, V> open(ShmCacheManager manager, String name, ShmCacheConfiguration<K, V> c) {
        if (!c.isStoreByValue()) {
            throw new UnsupportedOperationException("cache \"" + name + "\": store-by-reference is not supported;"
                    + " ShmStore shares entries between processes, so it stores by value");
        }
        ClassLoader classLoader = manager.getClassLoader();
        Codec<K> keyCodec = c.getKeyCodec() != null ? c.getKeyCodec() : serializing("keys", name, c.getKeyType(), classLoader);
        Codec<V> valueCodec = c.getValueCodec() != null ? c.getValueCodec()
                : serializing("values", name, c.getValueType(), classLoader);
        ExpiryPolicy expiry = c.getExpiryPolicyFactory().create();
        CacheLoader<K, V> loader = create(c.getCacheLoaderFactory());
        // a writer of supertypes writes these keys and values: seen as one of exactly them
        @SuppressWarnings("unchecked")
        CacheWriter<K, V> writer = c.isWriteThrough() ? (CacheWriter<K, V>) create(c.getCacheWriterFactory()) : null;
        SharedStoreBuilder<K, V> b = SharedStore.of(c.getKeyType(), c.getValueType()).keyCodec(keyCodec)
                .valueCodec(valueCodec).entries(c.getEntries()).averageKeySize(c.getAverageKeySize())
                .averageValueSize(c.getAverageValueSize()).fullPolicy(c.getFullPolicy())
                .metadata(CacheDescription.of(name, c, expiry));
        if (c.getMaxEntries() > 0) {
            b.maxEntries(c.getMaxEntries());
        }
        manager.location().place(b, name, c.getLifetime());
        SharedStore<K, V> store;
        try {
            store = b.createOrOpen();
        } catch (IncompatibleStoreException e) {
            Closeables.close(expiry);
            Closeables.close(loader);
            Closeables.close(writer);
            throw new CacheException("cache \"" + name + "\" of cache manager " + manager.getURI() + " exists with"
                    + " another configuration: " + e.getMessage(), e);
        }
        ShmCache<K, V> cache = new ShmCache<>(manager, name, c, store, c.getValueCodec() == null, expiry, loader, writer);
        for (CacheEntryListenerConfiguration<K, V> l : c.getCacheEntryListenerConfigurations()) {
            cache.listeners.register(l);
        }
        return cache;
    }

    private static <T> Codec<T> serializing(String what, String cacheName, Class<T> type, ClassLoader loader) {
        try {
            return Codecs.serializable(type, loader);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("cache \"" + cacheName + "\" cannot hold " + what + " of " + type.getName()
                    + ": " + e.getMessage() + " (ShmCacheConfiguration.set" + (what.equals("keys") ? "Key" : "Value")
                    + "Codec)", e);
        }
    }

    private static <T> T create(Factory<T> factory) {
        return factory == null ? null : factory.create();
    }

    SharedStore<K, V> store() {
        return store;
    }

    CompleteConfiguration<K, V> configuration() {
        return configuration;
    }

    CacheStatistics statistics() {
        return statistics;
    }

    // ---------------------------------------------------------------- reading

    @Override
    public V get(K key) {
        checkOpen();
        Objects.requireNonNull(key, "key");
        long start = statistics.start();
        V value = read(key);
        if (value != null) {
            accessed(key);
            statistics.lookedUp(1, 0, start);
            return value;
        }
        reportExpired(key);
        if (readThrough) {
            value = loadAndInstall(key);
        }
        statistics.lookedUp(0, 1, start);
        return value;
    }

    @Override
    public Map<K, V> getAll(Set<? extends K> keys) {
        checkOpen();
        checkNoNulls(keys);
        long start = statistics.start();
        Map<K, V> found = new HashMap<>();
        Set<K> missing = new HashSet<>();
        for (K key : keys) {
            V value = read(key);
            if (value != null) {
                accessed(key);
                found.put(key, value);
            } else {
                reportExpired(key);
                missing.add(key);
            }
        }
        if (readThrough && !missing.isEmpty()) {
            Map<K, V> loaded = loadAll(loader, missing);
            for (Map.Entry<K, V> e : loaded.entrySet()) {
                if (e.getKey() != null && e.getValue() != null && missing.contains(e.getKey())) {
                    found.put(e.getKey(), install(e.getKey(), e.getValue()));
                }
            }
        }
        statistics.lookedUp(keys.size() - missing.size(), missing.size(), start);
        return found;
    }

    @Override
    public boolean containsKey(K key) {
        checkOpen();
        Objects.requireNonNull(key, "key");
        try {
            return store.containsKey(key);
        } catch (StoreException e) {
            throw failure(e);
        }
    }

    /** The store's value for {@code key}, counting nothing: for events of other processes' changes. */
    V peek(K key) {
        try {
            return store.get(key);
        } catch (RuntimeException e) {
            return null;
        }
    }

    private V read(K key) {
        try {
            return store.get(key);
        } catch (StoreException e) {
            throw failure(e);
        }
    }

    /** A hit: the expiry policy's access expiry, written only when it gives one. */
    private void accessed(K key) {
        long expiry = expiries.onAccess();
        if (expiry == Expiries.UNCHANGED) {
            return;
        }
        locked(key, e -> {
            if (e.isPresent()) {
                e.setExpiresAt(expiry == Expiries.EXPIRED ? 0 : expiry);
            }
            return null;
        });
    }

    /** After a miss, while an expiry listener is registered: reports and removes an expired entry. */
    private void reportExpired(K key) {
        if (!listeners.anyExpired()) {
            return;
        }
        List<CacheEvent<K, V>> events = new ArrayList<>(1);
        locked(key, e -> expiredFound(e, events));
        listeners.publish(events);
    }

    // ---------------------------------------------------------------- loading

    @Override
    public void loadAll(Set<? extends K> keys, boolean replaceExistingValues, CompletionListener completionListener) {
        checkOpen();
        checkNoNulls(keys);
        CacheLoader<K, V> l = loader;
        if (l == null) {
            if (completionListener != null) {
                completionListener.onCompletion();
            }
            return;
        }
        Set<K> wanted = new HashSet<>(keys);
        CompletableFuture.runAsync(() -> {
            try {
                Set<K> toLoad = new HashSet<>();
                for (K key : wanted) {
                    if (replaceExistingValues || !containsKey(key)) {
                        toLoad.add(key);
                    }
                }
                Map<K, V> loaded = toLoad.isEmpty() ? Map.of() : loadAll(l, toLoad);
                for (Map.Entry<K, V> e : loaded.entrySet()) {
                    if (e.getKey() != null && e.getValue() != null) {
                        if (replaceExistingValues) {
                            putLocked(e.getKey(), e.getValue(), false, false);
                        } else {
                            install(e.getKey(), e.getValue());
                        }
                    }
                }
                if (completionListener != null) {
                    completionListener.onCompletion();
                }
            } catch (Exception e) {
                if (completionListener != null) {
                    completionListener.onException(e instanceof CacheLoaderException ? e : new CacheLoaderException(e));
                }
            }
        });
    }

    private V load(K key) {
        try {
            return loader.load(key);
        } catch (CacheLoaderException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new CacheLoaderException("cache \"" + name + "\": the loader failed on key " + key + ": " + e, e);
        }
    }

    private Map<K, V> loadAll(CacheLoader<K, V> l, Set<K> keys) {
        try {
            Map<K, V> loaded = l.loadAll(keys);
            return loaded == null ? Map.of() : loaded;
        } catch (CacheLoaderException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new CacheLoaderException("cache \"" + name + "\": the loader failed on keys " + keys + ": " + e, e);
        }
    }

    /** A read-through load after a miss: the loaded value is stored unless another got there first. */
    private V loadAndInstall(K key) {
        V value = load(key);
        return value == null ? null : install(key, value);
    }

    /**
     * Stores a loaded value if the key has none (no writer: it came from there), with the creation
     * expiry; returns the value the cache then holds for the key.
     */
    private V install(K key, V value) {
        checkValue(value);
        List<CacheEvent<K, V>> events = new ArrayList<>(1);
        V held = locked(key, e -> {
            if (e.isPresent()) {
                return e.value();
            }
            expiredFound(e, events);
            long expiry = expiries.onCreation(System.currentTimeMillis());
            if (expiry != Expiries.EXPIRED) {
                e.setValue(value, expiry);
                events.add(CacheEvent.created(this, key, value));
            }
            return value;
        });
        listeners.publish(events);
        return held;
    }

    // ---------------------------------------------------------------- writing

    @Override
    public void put(K key, V value) {
        checkOpen();
        checkEntry(key, value);
        long start = statistics.start();
        Written<V> w = putLocked(key, value, true, false);
        statistics.put(w.stored ? 1 : 0, start);
    }

    @Override
    public V getAndPut(K key, V value) {
        checkOpen();
        checkEntry(key, value);
        long start = statistics.start();
        Written<V> w = putLocked(key, value, true, true);
        statistics.lookedUp(w.old != null ? 1 : 0, w.old != null ? 0 : 1, start);
        statistics.put(w.stored ? 1 : 0, start);
        return w.old;
    }

    /** What a locked write found and did. */
    private record Written<V>(V old, boolean stored) {
    }

    /**
     * The put of every put-like operation: the writer (when {@code write}), the created or updated
     * expiry, the event; returns the old value when {@code wantOld} (or listeners need it).
     */
    private Written<V> putLocked(K key, V value, boolean write, boolean wantOld) {
        List<CacheEvent<K, V>> events = new ArrayList<>(1);
        Written<V> w = locked(key, e -> {
            boolean present = e.isPresent();
            expiredFound(e, events);
            V old = present && (wantOld || listeners.any()) ? e.value() : null;
            if (write) {
                write(key, value);
            }
            long now = System.currentTimeMillis();
            if (!present) {
                long expiry = expiries.onCreation(now);
                if (expiry == Expiries.EXPIRED) {
                    return new Written<>(null, false);
                }
                e.setValue(value, expiry);
                events.add(CacheEvent.created(this, key, value));
            } else {
                update(e, value, expiries.onUpdate(now));
                events.add(CacheEvent.updated(this, key, value, old));
            }
            return new Written<>(old, true);
        });
        listeners.publish(events);
        return w;
    }

    /** Sets an updated value with the policy's update expiry: kept when it gives none, past when ZERO. */
    private static <K, V> void update(LockedEntry<K, V> e, V value, long expiry) {
        if (expiry == Expiries.UNCHANGED) {
            e.setValue(value, e.expiresAt());
        } else {
            e.setValue(value, expiry == Expiries.EXPIRED ? 0 : expiry);
        }
    }

    /**
     * While an expiry listener is registered: reports an expired entry found under the lock, and removes
     * it (a value set afterwards in the same function replaces the removal), so it is reported once.
     */
    private boolean expiredFound(LockedEntry<K, V> e, List<CacheEvent<K, V>> events) {
        if (!listeners.anyExpired()) {
            return false;
        }
        V gone = e.expiredValue();
        if (gone == null) {
            return false;
        }
        events.add(CacheEvent.gone(this, EventType.EXPIRED, e.key(), gone));
        e.remove();
        return true;
    }

    @Override
    public void putAll(Map<? extends K, ? extends V> map) {
        checkOpen();
        Objects.requireNonNull(map, "map");
        for (Map.Entry<? extends K, ? extends V> e : map.entrySet()) {
            checkEntry(e.getKey(), e.getValue());
        }
        long start = statistics.start();
        Map<K, V> toPut = new LinkedHashMap<>(map);
        CacheWriterException failure = null;
        if (writer != null && !toPut.isEmpty()) {
            List<Cache.Entry<? extends K, ? extends V>> entries = new ArrayList<>();
            toPut.forEach((k, v) -> entries.add(new ShmCacheEntry<>(k, v)));
            try {
                writer.writeAll(entries);
            } catch (RuntimeException e) {
                failure = writerFailure(e);
                // what the writer left in the collection it did not write: those are not put
                for (Cache.Entry<? extends K, ? extends V> notWritten : entries) {
                    toPut.remove(notWritten.getKey());
                }
            }
        }
        long stored = 0;
        for (Map.Entry<K, V> e : toPut.entrySet()) {
            if (putLocked(e.getKey(), e.getValue(), false, false).stored) {
                stored++;
            }
        }
        statistics.put(stored, start);
        if (failure != null) {
            throw failure;
        }
    }

    @Override
    public boolean putIfAbsent(K key, V value) {
        checkOpen();
        checkEntry(key, value);
        long start = statistics.start();
        List<CacheEvent<K, V>> events = new ArrayList<>(1);
        int outcome = locked(key, e -> {
            if (e.isPresent()) {
                return 0;
            }
            expiredFound(e, events);
            write(key, value);
            long expiry = expiries.onCreation(System.currentTimeMillis());
            if (expiry == Expiries.EXPIRED) {
                return 1;
            }
            e.setValue(value, expiry);
            events.add(CacheEvent.created(this, key, value));
            return 2;
        });
        listeners.publish(events);
        statistics.lookedUp(outcome == 0 ? 1 : 0, outcome == 0 ? 0 : 1, start);
        statistics.put(outcome == 2 ? 1 : 0, start);
        return outcome > 0;
    }

    @Override
    public boolean remove(K key) {
        checkOpen();
        Objects.requireNonNull(key, "key");
        long start = statistics.start();
        boolean removed = removeLocked(key, false) != null;
        statistics.removed(removed ? 1 : 0, start);
        return removed;
    }

    /**
     * Removes the key's value, deleting it through the writer whether or not the cache held it (unless
     * {@code skipWriter}); returns the value removed, decoded only when asked or listened for (else a
     * marker that is not null).
     */
    @SuppressWarnings("unchecked")
    private V removeLocked(K key, boolean wantOld) {
        List<CacheEvent<K, V>> events = new ArrayList<>(1);
        Object removed = locked(key, e -> {
            boolean present = e.isPresent();
            expiredFound(e, events);
            delete(key);
            if (!present) {
                return null;
            }
            V old = wantOld || listeners.any() ? e.value() : null;
            e.remove();
            events.add(CacheEvent.gone(this, EventType.REMOVED, key, old));
            return old != null ? old : Boolean.TRUE;
        });
        listeners.publish(events);
        return (V) removed;
    }

    @Override
    public boolean remove(K key, V oldValue) {
        checkOpen();
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(oldValue, "oldValue");
        long start = statistics.start();
        boolean removed = ifEqual(key, oldValue, start, (e, current, events) -> {
            delete(key);
            e.remove();
            events.add(CacheEvent.gone(this, EventType.REMOVED, key, current));
        });
        statistics.removed(removed ? 1 : 0, start);
        return removed;
    }

    /** What {@link #ifEqual} does to an entry whose value matched, with the lock held. */
    @FunctionalInterface
    private interface Matched<K, V> {
        void apply(LockedEntry<K, V> entry, V current, List<CacheEvent<K, V>> events);
    }

    /**
     * The compare of {@code remove(k, v)} and {@code replace(k, v, w)}: under the lock, when the key holds
     * a value equal to {@code expected}, {@code then}; a value that differs is an access. Counts the hit
     * or miss, publishes the events; returns whether it matched.
     */
    private boolean ifEqual(K key, V expected, long start, Matched<K, V> then) {
        List<CacheEvent<K, V>> events = new ArrayList<>(1);
        int outcome = locked(key, e -> {
            if (!e.isPresent()) {
                expiredFound(e, events);
                return 0;
            }
            V current = e.value();
            if (!current.equals(expected)) {
                accessed(e);
                return 1;
            }
            then.apply(e, current, events);
            return 2;
        });
        listeners.publish(events);
        statistics.lookedUp(outcome == 0 ? 0 : 1, outcome == 0 ? 1 : 0, start);
        return outcome == 2;
    }

    /** An access under the lock (a compare that did not match): the policy's access expiry, if any. */
    private void accessed(LockedEntry<K, V> e) {
        long expiry = expiries.onAccess();
        if (expiry != Expiries.UNCHANGED) {
            e.setExpiresAt(expiry == Expiries.EXPIRED ? 0 : expiry);
        }
    }

    @Override
    public V getAndRemove(K key) {
        checkOpen();
        Objects.requireNonNull(key, "key");
        long start = statistics.start();
        V old = removeLocked(key, true);
        statistics.lookedUp(old != null ? 1 : 0, old != null ? 0 : 1, start);
        statistics.removed(old != null ? 1 : 0, start);
        return old;
    }

    @Override
    public boolean replace(K key, V oldValue, V newValue) {
        checkOpen();
        Objects.requireNonNull(oldValue, "oldValue");
        checkEntry(key, newValue);
        checkValue(oldValue);
        long start = statistics.start();
        boolean replaced = ifEqual(key, oldValue, start, (e, current, events) -> {
            write(key, newValue);
            update(e, newValue, expiries.onUpdate(System.currentTimeMillis()));
            events.add(CacheEvent.updated(this, key, newValue, current));
        });
        statistics.put(replaced ? 1 : 0, start);
        return replaced;
    }

    @Override
    public boolean replace(K key, V value) {
        return replaceLocked(key, value, false) != null;
    }

    @Override
    public V getAndReplace(K key, V value) {
        return replaceLocked(key, value, true);
    }

    /** Replaces a present value; returns the old one (or, unless {@code wantOld}, a marker), else null. */
    @SuppressWarnings("unchecked")
    private V replaceLocked(K key, V value, boolean wantOld) {
        checkOpen();
        checkEntry(key, value);
        long start = statistics.start();
        List<CacheEvent<K, V>> events = new ArrayList<>(1);
        Object old = locked(key, e -> {
            if (!e.isPresent()) {
                expiredFound(e, events);
                return null;
            }
            V current = wantOld || listeners.any() ? e.value() : null;
            write(key, value);
            update(e, value, expiries.onUpdate(System.currentTimeMillis()));
            events.add(CacheEvent.updated(this, key, value, current));
            return current != null ? current : Boolean.TRUE;
        });
        listeners.publish(events);
        statistics.lookedUp(old != null ? 1 : 0, old != null ? 0 : 1, start);
        statistics.put(old != null ? 1 : 0, start);
        return (V) old;
    }

    @Override
    public void removeAll(Set<? extends K> keys) {
        checkOpen();
        checkNoNulls(keys);
        long start = statistics.start();
        Set<K> toRemove = new LinkedHashSet<>(keys);
        CacheWriterException failure = null;
        if (writer != null && !toRemove.isEmpty()) {
            Collection<K> toDelete = new ArrayList<>(toRemove);
            try {
                writer.deleteAll(toDelete);
            } catch (RuntimeException e) {
                failure = writerFailure(e);
                // what the writer left in the collection it did not delete: those stay
                toRemove.removeAll(toDelete);
            }
        }
        long removed = 0;
        for (K key : toRemove) {
            if (removeWithoutWriter(key)) {
                removed++;
            }
        }
        statistics.removed(removed, start);
        if (failure != null) {
            throw failure;
        }
    }

    private boolean removeWithoutWriter(K key) {
        List<CacheEvent<K, V>> events = new ArrayList<>(1);
        boolean removed = locked(key, e -> {
            expiredFound(e, events);
            if (!e.isPresent()) {
                return false;
            }
            V old = listeners.any() ? e.value() : null;
            e.remove();
            events.add(CacheEvent.gone(this, EventType.REMOVED, key, old));
            return true;
        });
        listeners.publish(events);
        return removed;
    }

    @Override
    public void removeAll() {
        checkOpen();
        Set<K> keys = new HashSet<>();
        try {
            keys.addAll(store.keySet());
        } catch (StoreException e) {
            throw failure(e);
        }
        removeAll(keys);
    }

    @Override
    public void clear() {
        checkOpen();
        try {
            store.clear();
        } catch (StoreException e) {
            throw failure(e);
        }
    }

    // ---------------------------------------------------------------- entry processors

    @Override
    public <T> T invoke(K key, EntryProcessor<K, V, T> entryProcessor, Object... arguments) {
        checkOpen();
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(entryProcessor, "entryProcessor");
        long start = statistics.start();
        List<CacheEvent<K, V>> events = new ArrayList<>(1);
        int[] counts = new int[3]; // hit (1) or miss (0), puts, removals
        T result = locked(key, e -> {
            V original = e.value();
            counts[0] = original != null ? 1 : 0;
            if (original == null) {
                expiredFound(e, events);
            }
            ProcessorEntry<K, V> entry = new ProcessorEntry<>(key, original, readThrough ? this::load : null);
            T r;
            try {
                r = entryProcessor.process(entry, arguments);
            } catch (EntryProcessorException ex) {
                throw ex;
            } catch (RuntimeException ex) {
                throw new EntryProcessorException(ex);
            }
            applyProcessed(e, entry, events, counts);
            return r;
        });
        listeners.publish(events);
        statistics.lookedUp(counts[0], 1 - counts[0], start);
        statistics.put(counts[1], start);
        statistics.removed(counts[2], start);
        return result;
    }

    /** Makes the net change of an entry processor, under the lock (see {@link ProcessorEntry}). */
    private void applyProcessed(LockedEntry<K, V> e, ProcessorEntry<K, V> entry, List<CacheEvent<K, V>> events,
                                int[] counts) {
        K key = e.key();
        V original = entry.original();
        V current = entry.current();
        long now = System.currentTimeMillis();
        if (!entry.modified()) {
            V loaded = entry.loadedUnchanged();
            if (loaded != null) {
                checkValue(loaded);
                long expiry = expiries.onCreation(now);
                if (expiry != Expiries.EXPIRED) {
                    e.setValue(loaded, expiry);
                    events.add(CacheEvent.created(this, key, loaded));
                }
            } else if (entry.accessed()) {
                accessed(e);
            }
            return;
        }
        if (current != null) {
            checkValue(current);
            write(key, current);
            counts[1]++;
            if (original != null) {
                update(e, current, expiries.onUpdate(now));
                events.add(CacheEvent.updated(this, key, current, original));
                return;
            }
            long expiry = expiries.onCreation(now);
            if (expiry == Expiries.EXPIRED) {
                counts[1]--;
                return;
            }
            e.setValue(current, expiry);
            events.add(CacheEvent.created(this, key, current));
        } else if (original != null) {
            delete(key);
            e.remove();
            counts[2]++;
            events.add(CacheEvent.gone(this, EventType.REMOVED, key, original));
        } else if (!entry.created()) {
            delete(key);
        }
    }

    @Override
    public <T> Map<K, EntryProcessorResult<T>> invokeAll(Set<? extends K> keys, EntryProcessor<K, V, T> entryProcessor,
                                                         Object... arguments) {
        checkOpen();
        checkNoNulls(keys);
        Objects.requireNonNull(entryProcessor, "entryProcessor");
        Map<K, EntryProcessorResult<T>> results = new HashMap<>();
        for (K key : keys) {
            try {
                T r = invoke(key, entryProcessor, arguments);
                if (r != null) {
                    results.put(key, () -> r);
                }
            } catch (EntryProcessorException e) {
                results.put(key, () -> {
                    throw e;
                });
            } catch (CacheException e) {
                EntryProcessorException wrapped = new EntryProcessorException(e);
                results.put(key, () -> {
                    throw wrapped;
                });
            }
        }
        return results;
    }

    // ---------------------------------------------------------------- iteration

    @Override
    public Iterator<Cache.Entry<K, V>> iterator() {
        checkOpen();
        Iterator<Map.Entry<K, V>> entries;
        try {
            entries = store.entrySet().iterator();
        } catch (StoreException e) {
            throw failure(e);
        }
        return new Iterator<>() {
            private K last;

            @Override
            public boolean hasNext() {
                checkOpen();
                return entries.hasNext();
            }

            @Override
            public Cache.Entry<K, V> next() {
                checkOpen();
                if (!entries.hasNext()) {
                    throw new NoSuchElementException();
                }
                Map.Entry<K, V> e = entries.next();
                last = e.getKey();
                accessed(last);
                statistics.lookedUp(1, 0, 0);
                return new ShmCacheEntry<>(e.getKey(), e.getValue());
            }

            @Override
            public void remove() {
                checkOpen();
                if (last == null) {
                    throw new IllegalStateException("next() has not been called, or remove() was called since");
                }
                K key = last;
                last = null;
                ShmCache.this.remove(key);
            }
        };
    }

    // ---------------------------------------------------------------- listeners, configuration, lifecycle

    @Override
    public void registerCacheEntryListener(CacheEntryListenerConfiguration<K, V> listenerConfiguration) {
        checkOpen();
        Objects.requireNonNull(listenerConfiguration, "listenerConfiguration");
        listeners.register(listenerConfiguration);
        configuration.addCacheEntryListenerConfiguration(listenerConfiguration);
    }

    @Override
    public void deregisterCacheEntryListener(CacheEntryListenerConfiguration<K, V> listenerConfiguration) {
        checkOpen();
        Objects.requireNonNull(listenerConfiguration, "listenerConfiguration");
        if (listeners.deregister(listenerConfiguration)) {
            configuration.removeCacheEntryListenerConfiguration(listenerConfiguration);
        }
    }

    @Override
    public <C extends Configuration<K, V>> C getConfiguration(Class<C> clazz) {
        if (clazz.isInstance(configuration)) {
            return clazz.cast(new ShmCacheConfiguration<>(configuration));
        }
        throw new IllegalArgumentException("cache \"" + name + "\" has a " + ShmCacheConfiguration.class.getName()
                + ", which is not a " + clazz.getName());
    }

    @Override
    public String getName() {
        return name;
    }

    @Override
    public CacheManager getCacheManager() {
        return manager;
    }

    /** Statistics on or off, its MXBean registered or not. */
    void setStatisticsEnabled(boolean enabled) {
        checkOpen();
        statistics.enable(enabled);
        configuration.setStatisticsEnabled(enabled);
        if (enabled) {
            MBeans.register(statistics, MBeans.name(MBeans.STATISTICS, this));
        } else {
            MBeans.unregister(MBeans.name(MBeans.STATISTICS, this));
        }
    }

    /** Management on or off: the configuration MXBean registered or not. */
    void setManagementEnabled(boolean enabled) {
        checkOpen();
        configuration.setManagementEnabled(enabled);
        if (enabled) {
            MBeans.register(new CacheConfigurationBean(this), MBeans.name(MBeans.CONFIGURATION, this));
        } else {
            MBeans.unregister(MBeans.name(MBeans.CONFIGURATION, this));
        }
    }

    /**
     * Closes this process's handle on the store (the entries stay for the other processes, and with a
     * persistent lifetime for later ones), the listeners, loader, writer and expiry policy; the manager
     * forgets the cache.
     */
    @Override
    public void close() {
        if (closeQuietly()) {
            manager.forget(this);
        }
    }

    /** Closes everything but the manager's map; false when already closed. */
    boolean closeQuietly() {
        return closeAll(false);
    }

    /** Clears the store, removes its name (it is this cache's no more, in any process) and closes. */
    void destroy() {
        closeAll(true);
    }

    private synchronized boolean closeAll(boolean destroy) {
        if (closed) {
            return false;
        }
        closed = true;
        MBeans.unregister(MBeans.name(MBeans.STATISTICS, this));
        MBeans.unregister(MBeans.name(MBeans.CONFIGURATION, this));
        listeners.close();
        Closeables.close(expiries.policy());
        Closeables.close(loader);
        Closeables.close(writer);
        if (destroy) {
            try {
                store.clear();
            } finally {
                store.destroy();
            }
        } else {
            store.close();
        }
        return true;
    }

    @Override
    public boolean isClosed() {
        return closed;
    }

    /** This cache, or {@code unwrap(SharedStore.class)} the store under it. */
    @Override
    public <T> T unwrap(Class<T> clazz) {
        return clazz.isInstance(store) && !clazz.isInstance(this) ? clazz.cast(store) : Unwrapping.unwrap(this, clazz);
    }

    @Override
    public String toString() {
        return "ShmCache[" + name + " at " + manager.getURI() + (closed ? ", closed" : "") + "]";
    }

    // ---------------------------------------------------------------- helpers

    private <R> R locked(K key, Function<? super LockedEntry<K, V>, ? extends R> fn) {
        try {
            return store.withLock(key, fn);
        } catch (StoreException e) {
            throw failure(e);
        }
    }

    /** The store's exceptions as JCache's, with the cause. */
    private CacheException failure(StoreException e) {
        return new CacheException("cache \"" + name + "\": " + e.getMessage(), e);
    }

    private void write(K key, V value) {
        if (writer == null) {
            return;
        }
        try {
            writer.write(new ShmCacheEntry<>(key, value));
        } catch (RuntimeException e) {
            throw writerFailure(e);
        }
    }

    private void delete(K key) {
        if (writer == null) {
            return;
        }
        try {
            writer.delete(key);
        } catch (RuntimeException e) {
            throw writerFailure(e);
        }
    }

    private static CacheWriterException writerFailure(RuntimeException e) {
        return e instanceof CacheWriterException w ? w : new CacheWriterException(e);
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("cache \"" + name + "\" is closed");
        }
    }

    private void checkEntry(K key, V value) {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(value, "value");
        if (!keyType.isInstance(key)) {
            throw new ClassCastException("key " + key + " of " + key.getClass().getName() + " is not a "
                    + keyType.getName() + ", the key type of cache \"" + name + "\"");
        }
        checkValue(value);
    }

    private void checkValue(V value) {
        if (!valueType.isInstance(value)) {
            throw new ClassCastException("value " + value + " of " + value.getClass().getName() + " is not a "
                    + valueType.getName() + ", the value type of cache \"" + name + "\"");
        }
        if (serializedValues && !(value instanceof Serializable)) {
            throw new IllegalArgumentException("value " + value + " of " + value.getClass().getName() + " is not"
                    + " Serializable: cache \"" + name + "\" stores values by value, through Java serialization");
        }
    }

    private static void checkNoNulls(Set<?> keys) {
        Objects.requireNonNull(keys, "keys");
        for (Object k : keys) {
            Objects.requireNonNull(k, "a key in the set is null");
        }
    }
}
