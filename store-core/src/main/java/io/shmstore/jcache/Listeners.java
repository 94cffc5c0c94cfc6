package io.shmstore.jcache;

import io.shmstore.ChangeCursor;
import io.shmstore.ChangeListener;
import io.shmstore.ChangeType;

import javax.cache.configuration.CacheEntryListenerConfiguration;
import javax.cache.event.CacheEntryListenerException;
import javax.cache.event.EventType;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A cache's listener registrations, and the delivery of its events: this process's changes to every
 * registration as the operations that made them return, and, while some registration asked for them
 * ({@link CrossProcessListenerConfiguration}), other processes' changes from the store's change feed,
 * followed on a thread of its own.
 */
final class Listeners<K, V> {
    private static final System.Logger LOG = System.getLogger(Listeners.class.getName());
    /** How long the feed's thread sleeps between checks that it should stop. */
    private static final Duration FOLLOW_SLICE = Duration.ofMillis(100);

    private final ShmCache<K, V> cache;
    private final CopyOnWriteArrayList<Registration<K, V>> registrations = new CopyOnWriteArrayList<>();
    private volatile boolean any;
    private volatile boolean anyExpired;
    private Follower follower;

    Listeners(ShmCache<K, V> cache) {
        this.cache = cache;
    }

    synchronized void register(CacheEntryListenerConfiguration<K, V> configuration) {
        for (Registration<K, V> r : registrations) {
            if (r.configuration.equals(configuration)) {
                throw new IllegalArgumentException("listener configuration " + configuration
                        + " is already registered with cache \"" + cache.getName() + "\"");
            }
        }
        registrations.add(new Registration<>(configuration, cache.getName()));
        changed();
    }

    /** @return whether it was registered */
    synchronized boolean deregister(CacheEntryListenerConfiguration<K, V> configuration) {
        for (Registration<K, V> r : registrations) {
            if (r.configuration.equals(configuration)) {
                registrations.remove(r);
                r.close();
                changed();
                return true;
            }
        }
        return false;
    }

    private void changed() {
        any = !registrations.isEmpty();
        anyExpired = registrations.stream().anyMatch(r -> r.wants(EventType.EXPIRED));
        boolean follow = registrations.stream().anyMatch(Registration::hearsOtherProcesses);
        if (follow && follower == null) {
            follower = new Follower(cache.store().changes().cursor());
            follower.start();
        } else if (!follow && follower != null) {
            follower.stop();
            follower = null;
        }
    }

    /** Whether any registration exists: without one, operations build no events. */
    boolean any() {
        return any;
    }

    /** Whether a registration hears expiries: then a read that misses looks for an expired entry to report. */
    boolean anyExpired() {
        return anyExpired;
    }

    /**
     * Delivers this process's events to every registration; the first failure of a synchronous
     * listener is thrown after all were called.
     */
    void publish(List<CacheEvent<K, V>> events) {
        if (events == null || events.isEmpty()) {
            return;
        }
        CacheEntryListenerException failure = null;
        for (Registration<K, V> r : registrations) {
            try {
                r.deliver(events);
            } catch (CacheEntryListenerException e) {
                if (failure == null) {
                    failure = e;
                }
            }
        }
        if (failure != null) {
            throw failure;
        }
    }

    /** Stops the feed's thread and every registration. */
    synchronized void close() {
        if (follower != null) {
            follower.stop();
            follower = null;
        }
        registrations.forEach(Registration::close);
        registrations.clear();
        changed();
    }

    /** Turns a record another process wrote into an event for the registrations that hear them. */
    private void fromOtherProcess(ChangeType type, K key, boolean replaced) {
        EventType eventType = switch (type) {
            case PUT -> replaced ? EventType.UPDATED : EventType.CREATED;
            case REMOVE, EVICT -> EventType.REMOVED;
            case EXPIRE -> EventType.EXPIRED;
            case CLEAR -> null;
        };
        if (eventType == null || key == null) {
            return;
        }
        V value = type == ChangeType.PUT ? cache.peek(key) : null;
        List<CacheEvent<K, V>> event = List.of(CacheEvent.ofOtherProcess(cache, eventType, key, value));
        for (Registration<K, V> r : registrations) {
            if (r.hearsOtherProcesses()) {
                try {
                    r.deliver(event);
                } catch (RuntimeException e) {
                    LOG.log(System.Logger.Level.WARNING, "a cache entry listener failed on another process's change "
                            + event.get(0), e);
                }
            }
        }
    }

    /** The thread that follows the store's change feed for the changes of other processes. */
    private final class Follower implements Runnable {
        private final ChangeCursor<K> cursor;
        private final Thread thread;
        private final int self = (int) ProcessHandle.current().pid();
        private volatile boolean running = true;

        Follower(ChangeCursor<K> cursor) {
            this.cursor = cursor;
            this.thread = new Thread(this, "shmstore-jcache-changes-" + cache.getName());
            thread.setDaemon(true);
        }

        void start() {
            thread.start();
        }

        void stop() {
            running = false;
            if (Thread.currentThread() != thread) {
                try {
                    thread.join(FOLLOW_SLICE.toMillis() * 10);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }

        @Override
        public void run() {
            ChangeListener<K> records = new ChangeListener<>() {
                @Override
                public void onChange(long sequence, ChangeType type, K key) {
                    throw new AssertionError("the cursor calls the form with the writer");
                }

                @Override
                public void onChange(long sequence, ChangeType type, K key, int writerPid, boolean replaced) {
                    if (writerPid != self) {
                        fromOtherProcess(type, key, replaced);
                    }
                }

                @Override
                public void onLapped(long lost, long resumedAt) {
                    LOG.log(System.Logger.Level.WARNING, "cache \"" + cache.getName() + "\": " + lost + " changes by"
                            + " other processes were overwritten in the change feed before their events were delivered");
                }
            };
            try {
                while (running) {
                    if (cursor.await(FOLLOW_SLICE)) {
                        cursor.poll(records, 1024);
                    }
                }
            } catch (IllegalStateException closed) {
                // the store closed under the cursor: the cache is closing
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.ERROR, "cache \"" + cache.getName() + "\" stopped following other processes'"
                        + " changes", e);
            } finally {
                try {
                    cursor.close();
                } catch (RuntimeException alreadyGone) {
                    // closed with its store
                }
            }
        }
    }
}
