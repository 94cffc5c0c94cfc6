package io.shmstore.jcache;

import javax.cache.Cache;
import javax.cache.event.CacheEntryEvent;
import javax.cache.event.EventType;

/**
 * One change of one entry, as listeners see it. For {@link EventType#REMOVED} and
 * {@link EventType#EXPIRED} the value is the one that went (JCache 1.1), when it is known. An event
 * of another process's change carries no old value (the change feed records keys, not values).
 */
final class CacheEvent<K, V> extends CacheEntryEvent<K, V> {
    private static final long serialVersionUID = 1L;

    private final K key;
    private final V value;
    private final V oldValue;
    private final boolean oldValueAvailable;
    private final boolean otherProcess;

    private CacheEvent(Cache<K, V> source, EventType type, K key, V value, V oldValue, boolean oldValueAvailable,
                       boolean otherProcess) {
        super(source, type);
        this.key = key;
        this.value = value;
        this.oldValue = oldValue;
        this.oldValueAvailable = oldValueAvailable;
        this.otherProcess = otherProcess;
    }

    static <K, V> CacheEvent<K, V> created(Cache<K, V> source, K key, V value) {
        return new CacheEvent<>(source, EventType.CREATED, key, value, null, false, false);
    }

    static <K, V> CacheEvent<K, V> updated(Cache<K, V> source, K key, V value, V oldValue) {
        return new CacheEvent<>(source, EventType.UPDATED, key, value, oldValue, oldValue != null, false);
    }

    /** A removal or an expiry, with the value that went when it is known. */
    static <K, V> CacheEvent<K, V> gone(Cache<K, V> source, EventType type, K key, V oldValue) {
        return new CacheEvent<>(source, type, key, oldValue, oldValue, oldValue != null, false);
    }

    /** Another process's change: the value read after it (null for removals and expiries), no old value. */
    static <K, V> CacheEvent<K, V> ofOtherProcess(Cache<K, V> source, EventType type, K key, V value) {
        return new CacheEvent<>(source, type, key, value, null, false, true);
    }

    @Override
    public K getKey() {
        return key;
    }

    @Override
    public V getValue() {
        return value;
    }

    @Override
    public V getOldValue() {
        return oldValue;
    }

    @Override
    public boolean isOldValueAvailable() {
        return oldValueAvailable;
    }

    @Override
    public <T> T unwrap(Class<T> clazz) {
        return Unwrapping.unwrap(this, clazz);
    }

    @Override
    public String toString() {
        return getEventType() + "[" + key + "=" + value + (oldValueAvailable ? ", was " + oldValue : "")
                + (otherProcess ? ", by another process" : "") + "]";
    }
}
