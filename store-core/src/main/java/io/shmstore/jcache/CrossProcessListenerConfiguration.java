package io.shmstore.jcache;

import javax.cache.configuration.CacheEntryListenerConfiguration;
import javax.cache.configuration.Factory;
import javax.cache.configuration.MutableCacheEntryListenerConfiguration;
import javax.cache.event.CacheEntryEventFilter;
import javax.cache.event.CacheEntryListener;

/**
 * A listener registration that also hears the changes other processes make to the cache: a ShmStore
 * extension of JCache, opted into per registration. A cache with such a registration follows its
 * store's change feed on a thread of its own and turns each record another process wrote into an event:
 * a put into {@code CREATED} or {@code UPDATED} (the record says whether the key had a live value), a
 * removal or an eviction into {@code REMOVED}, an expiry into {@code EXPIRED}; {@code clear()} makes
 * no event, as in JCache. Such an event carries the value read from the store when it is delivered
 * (for a put: a later value if the key changed again meanwhile, null if it is gone; null for the others)
 * and never an old value, whatever {@link #isOldValueRequired()} says: the feed records keys, not values. The filter applies as to this process's events; they are
 * delivered on the feed's thread (an asynchronous registration through its own thread), in the order
 * the feed recorded them. Changes that this process makes are delivered as usual, once.
 *
 * <pre>{@code
 * cache.registerCacheEntryListener(new CrossProcessListenerConfiguration<>(
 *         FactoryBuilder.factoryOf(listener), null, false, false));
 * }</pre>
 *
 * @param <K> key type
 * @param <V> value type
 */
public final class CrossProcessListenerConfiguration<K, V> extends MutableCacheEntryListenerConfiguration<K, V> {
    private static final long serialVersionUID = 1L;

    /**
     * As {@link MutableCacheEntryListenerConfiguration}'s constructor.
     *
     * @param listenerFactory    makes the listener
     * @param filterFactory      makes the filter events pass through to the listener, or null for none
     * @param isOldValueRequired whether events carry the old value (never for other processes' changes)
     * @param isSynchronous      whether this process's changes wait for the listener
     */
    public CrossProcessListenerConfiguration(Factory<? extends CacheEntryListener<? super K, ? super V>> listenerFactory,
                                             Factory<? extends CacheEntryEventFilter<? super K, ? super V>> filterFactory,
                                             boolean isOldValueRequired, boolean isSynchronous) {
        super(listenerFactory, filterFactory, isOldValueRequired, isSynchronous);
    }

    /**
     * The same registration, hearing other processes' changes too.
     *
     * @param configuration the registration to copy
     */
    public CrossProcessListenerConfiguration(CacheEntryListenerConfiguration<K, V> configuration) {
        super(configuration);
    }
}
