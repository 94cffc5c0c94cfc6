package io.shmstore.jcache;

import javax.cache.configuration.CacheEntryListenerConfiguration;
import javax.cache.configuration.Factory;
import javax.cache.event.CacheEntryCreatedListener;
import javax.cache.event.CacheEntryEvent;
import javax.cache.event.CacheEntryEventFilter;
import javax.cache.event.CacheEntryExpiredListener;
import javax.cache.event.CacheEntryListener;
import javax.cache.event.CacheEntryListenerException;
import javax.cache.event.CacheEntryRemovedListener;
import javax.cache.event.CacheEntryUpdatedListener;
import javax.cache.event.EventType;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;

/**
 * One registered listener: its configuration, the listener and filter its factories made, and for an
 * asynchronous one the thread that delivers its events, one after another in the order they were
 * published (so a key's events arrive in order).
 */
final class Registration<K, V> {
    private static final System.Logger LOG = System.getLogger(Registration.class.getName());

    final CacheEntryListenerConfiguration<K, V> configuration;
    private final CacheEntryListener<? super K, ? super V> listener;
    private final CacheEntryEventFilter<? super K, ? super V> filter;
    private final ExecutorService executor;

    Registration(CacheEntryListenerConfiguration<K, V> configuration, String cacheName) {
        this.configuration = configuration;
        Factory<? extends CacheEntryListener<? super K, ? super V>> listenerFactory =
                configuration.getCacheEntryListenerFactory();
        if (listenerFactory == null) {
            throw new IllegalArgumentException("listener configuration " + configuration + " has no listener factory");
        }
        this.listener = listenerFactory.create();
        Factory<? extends CacheEntryEventFilter<? super K, ? super V>> filterFactory =
                configuration.getCacheEntryEventFilterFactory();
        this.filter = filterFactory == null ? null : filterFactory.create();
        this.executor = configuration.isSynchronous() ? null : Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "shmstore-jcache-listener-" + cacheName);
            t.setDaemon(true);
            return t;
        });
    }

    boolean hearsOtherProcesses() {
        return configuration instanceof CrossProcessListenerConfiguration;
    }

    boolean wants(EventType type) {
        return switch (type) {
            case CREATED -> listener instanceof CacheEntryCreatedListener;
            case UPDATED -> listener instanceof CacheEntryUpdatedListener;
            case REMOVED -> listener instanceof CacheEntryRemovedListener;
            case EXPIRED -> listener instanceof CacheEntryExpiredListener;
        };
    }

    /**
     * Delivers the events this listener wants and its filter passes: now, on this thread, for a
     * synchronous registration (a listener's or filter's exception comes out as a
     * {@link CacheEntryListenerException}, an {@link Error} as itself), else on its own thread.
     */
    void deliver(List<CacheEvent<K, V>> events) {
        if (executor == null) {
            deliverNow(events);
            return;
        }
        try {
            executor.execute(() -> {
                try {
                    deliverNow(events);
                } catch (RuntimeException | Error e) {
                    LOG.log(System.Logger.Level.WARNING, "asynchronous cache entry listener " + listener + " failed", e);
                }
            });
        } catch (RejectedExecutionException closed) {
            // deregistered or the cache closed meanwhile: nothing to deliver to
        }
    }

    private void deliverNow(List<CacheEvent<K, V>> events) {
        List<CacheEntryEvent<? extends K, ? extends V>> batch = new ArrayList<>(events.size());
        EventType batchType = null;
        for (CacheEvent<K, V> e : events) {
            if (!wants(e.getEventType()) || !passes(e)) {
                continue;
            }
            if (batchType != null && batchType != e.getEventType()) {
                call(batchType, batch);
                batch = new ArrayList<>();
            }
            batchType = e.getEventType();
            batch.add(e);
        }
        if (batchType != null) {
            call(batchType, batch);
        }
    }

    private boolean passes(CacheEvent<K, V> event) {
        if (filter == null) {
            return true;
        }
        try {
            return filter.evaluate(event);
        } catch (CacheEntryListenerException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new CacheEntryListenerException("cache entry event filter " + filter + " failed on " + event, e);
        }
    }

    @SuppressWarnings("unchecked")
    private void call(EventType type, List<CacheEntryEvent<? extends K, ? extends V>> batch) {
        try {
            switch (type) {
                case CREATED -> ((CacheEntryCreatedListener<K, V>) listener).onCreated(batch);
                case UPDATED -> ((CacheEntryUpdatedListener<K, V>) listener).onUpdated(batch);
                case REMOVED -> ((CacheEntryRemovedListener<K, V>) listener).onRemoved(batch);
                case EXPIRED -> ((CacheEntryExpiredListener<K, V>) listener).onExpired(batch);
            }
        } catch (CacheEntryListenerException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new CacheEntryListenerException("cache entry listener " + listener + " failed on " + batch, e);
        }
    }

    /** Stops delivering: events already handed to the asynchronous thread are still delivered. */
    void close() {
        if (executor != null) {
            executor.shutdown();
        }
        Closeables.close(listener);
        Closeables.close(filter);
    }
}
