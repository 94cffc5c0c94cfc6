package io.shmstore.jcache;

import javax.cache.processor.MutableEntry;
import java.util.Objects;
import java.util.function.Function;

/**
 * The entry an {@link javax.cache.processor.EntryProcessor} sees: the value stored when {@code invoke}
 * took the key's lock, loaded on the first {@link #getValue()} of an absent key when the cache reads
 * through, and the processor's changes, which the cache makes when the processor returns (with the lock
 * still held): the net effect only, so a value set and then removed within one call writes nothing.
 */
final class ProcessorEntry<K, V> implements MutableEntry<K, V> {
    private final K key;
    private final V original;
    /** Loads an absent key's value, or null when the cache does not read through. */
    private final Function<K, V> loader;
    private V current;
    private V loaded;
    private boolean triedLoad;
    private boolean modified;
    /** A value was set while the key had none at the start. */
    private boolean created;
    /** The original value was read before any change: an access, for the expiry policy. */
    private boolean accessed;

    ProcessorEntry(K key, V original, Function<K, V> loader) {
        this.key = key;
        this.original = original;
        this.current = original;
        this.loader = loader;
    }

    @Override
    public K getKey() {
        return key;
    }

    @Override
    public V getValue() {
        if (!modified) {
            if (original != null) {
                accessed = true;
            } else if (loader != null && !triedLoad) {
                triedLoad = true;
                loaded = loader.apply(key);
                current = loaded;
            }
        }
        return current;
    }

    @Override
    public boolean exists() {
        return current != null;
    }

    @Override
    public void remove() {
        modified = true;
        current = null;
    }

    @Override
    public void setValue(V value) {
        Objects.requireNonNull(value, "an entry processor's setValue(null): use remove()");
        modified = true;
        if (original == null) {
            created = true;
        }
        current = value;
    }

    @Override
    public <T> T unwrap(Class<T> clazz) {
        return Unwrapping.unwrap(this, clazz);
    }

    V original() {
        return original;
    }

    /** The value when the processor returned; null when there is none. */
    V current() {
        return current;
    }

    /** A value the loader brought that the processor did not change: stored as a load is. */
    V loadedUnchanged() {
        return modified ? null : loaded;
    }

    boolean modified() {
        return modified;
    }

    boolean created() {
        return created;
    }

    boolean accessed() {
        return accessed;
    }
}
