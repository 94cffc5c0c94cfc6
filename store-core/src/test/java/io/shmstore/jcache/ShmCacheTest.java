package io.shmstore.jcache;

import io.shmstore.LockedEntry;
import io.shmstore.SharedStore;
import io.shmstore.testing.ShmDirExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import javax.cache.Cache;
import javax.cache.CacheException;
import javax.cache.CacheManager;
import javax.cache.Caching;
import javax.cache.configuration.FactoryBuilder;
import javax.cache.configuration.MutableCacheEntryListenerConfiguration;
import javax.cache.event.CacheEntryCreatedListener;
import javax.cache.event.CacheEntryEvent;
import javax.cache.event.CacheEntryExpiredListener;
import javax.cache.configuration.MutableConfiguration;
import javax.cache.expiry.AccessedExpiryPolicy;
import javax.cache.expiry.CreatedExpiryPolicy;
import javax.cache.expiry.Duration;
import javax.cache.spi.CachingProvider;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The provider's own behaviour beyond the TCK: where caches live, the configuration recorded in the
 * store's header and checked, what is refused and how it says so, unwrapping to the store, and the
 * accessed expiry that writes on a read only when the policy asks.
 */
@ExtendWith(ShmDirExtension.class)
class ShmCacheTest {
    private final ShmCachingProvider provider = new ShmCachingProvider();

    @AfterEach
    void closeManagers() {
        provider.close();
    }

    private static MutableConfiguration<String, String> strings() {
        return new MutableConfiguration<String, String>().setTypes(String.class, String.class);
    }

    @Test
    void shouldBeTheProviderJCacheFindsAndUnwrapToTheSharedStore() {
        CachingProvider found = Caching.getCachingProvider();
        assertThat(found).isInstanceOf(ShmCachingProvider.class);
        assertThat(found.getDefaultURI()).isEqualTo(URI.create("shmstore:jcache"));
        CacheManager manager = provider.getCacheManager();
        Cache<String, String> cache = manager.createCache("quotes", strings());
        cache.put("EURUSD", "1.08");
        @SuppressWarnings("unchecked")
        SharedStore<String, String> store = cache.unwrap(SharedStore.class);
        assertThat(store.get("EURUSD")).isEqualTo("1.08");
        assertThat(store.name()).isEqualTo("jcache.quotes");
        assertThat(store.metadata()).contains("cache \"quotes\"", "keys java.lang.String", "values java.lang.String");
        assertThat(ShmDirExtension.dir().resolve("shmstore.jcache.quotes")).exists();
        assertThat((Object) cache.unwrap(ShmCache.class)).isSameAs(cache);
        assertThatThrownBy(() -> cache.unwrap(String.class)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("java.lang.String");
        assertThat(manager.unwrap(ShmCacheManager.class)).isSameAs(manager);
    }

    @Test
    void shouldRefuseASecondProcessConfigurationThatDiffersNamingBoth() {
        CacheManager first = provider.getCacheManager();
        first.createCache("rates", strings().setExpiryPolicyFactory(
                CreatedExpiryPolicy.factoryOf(new Duration(TimeUnit.MINUTES, 1))));
        // another class loader's manager of the same URI is, to the store, another opener like another process's
        CacheManager second = provider.getCacheManager(provider.getDefaultURI(), new ClassLoader(getClass().getClassLoader()) {
        });
        assertThat(second).isNotSameAs(first);
        assertThatThrownBy(() -> second.createCache("rates", strings().setExpiryPolicyFactory(
                CreatedExpiryPolicy.factoryOf(new Duration(TimeUnit.MINUTES, 2)))))
                .isInstanceOf(CacheException.class)
                .hasMessageContaining("cache \"rates\"")
                .hasMessageContaining("created 60000 ms").hasMessageContaining("created 120000 ms");
        assertThatThrownBy(() -> second.createCache("rates", new MutableConfiguration<String, Long>()
                .setTypes(String.class, Long.class)))
                .isInstanceOf(CacheException.class).hasMessageContaining("java.lang.String").hasMessageContaining("java.lang.Long");
        Cache<String, String> same = second.createCache("rates", strings().setExpiryPolicyFactory(
                CreatedExpiryPolicy.factoryOf(new Duration(TimeUnit.MINUTES, 1))));
        first.getCache("rates", String.class, String.class).put("a", "1");
        assertThat(same.get("a")).as("the same configuration opens the same store").isEqualTo("1");
    }

    @Test
    void shouldRefuseWhatItCannotStoreAtConfigurationTime() {
        CacheManager manager = provider.getCacheManager();
        assertThatThrownBy(() -> manager.createCache("plain", new MutableConfiguration<String, Thread>()
                .setTypes(String.class, Thread.class)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("cache \"plain\"").hasMessageContaining("java.lang.Thread")
                .hasMessageContaining("not Serializable");
        assertThatThrownBy(() -> manager.createCache("byRef", strings().setStoreByValue(false)))
                .isInstanceOf(UnsupportedOperationException.class).hasMessageContaining("store-by-reference");
        assertThat(manager.getCacheNames()).isEmpty();
        Cache<Object, Object> any = manager.createCache("any", new MutableConfiguration<>());
        assertThatThrownBy(() -> any.put("k", new Object())).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("java.lang.Object").hasMessageContaining("not Serializable");
        assertThat(any.containsKey("k")).isFalse();
    }

    @Test
    void shouldRefuseAUriThatNamesNoLocation() {
        for (String bad : new String[] {"http://example.com/cache", "shmstore:../up", "shmstore:", "file:relative/dir"}) {
            assertThatThrownBy(() -> provider.getCacheManager(URI.create(bad), null))
                    .as(bad).isInstanceOf(IllegalArgumentException.class).hasMessageContaining(bad);
        }
    }

    @Test
    void shouldKeepFileBackedCachesUntilDestroyed(@TempDir Path dir) {
        URI uri = dir.resolve("caches").toUri();
        Cache<String, String> cache = provider.getCacheManager(uri, null).createCache("sessions", strings());
        cache.put("s1", "alice");
        provider.close();
        Path file = dir.resolve("caches").resolve("sessions.jcache");
        assertThat(file).exists();
        ShmCachingProvider later = new ShmCachingProvider();
        try {
            CacheManager manager = later.getCacheManager(uri, null);
            Cache<String, String> again = manager.createCache("sessions", strings());
            assertThat(again.get("s1")).as("a file-backed cache outlives its processes").isEqualTo("alice");
            manager.destroyCache("sessions");
            assertThat(file).doesNotExist();
        } finally {
            later.close();
        }
    }

    @Test
    void shouldEncodeCacheNamesIntoStoreNamesOneToOne() {
        assertThat(CacheLocation.encode("org.acme.Quotes")).isEqualTo("org.acme.Quotes");
        assertThat(CacheLocation.encode("a b/c@d_e")).isEqualTo("a_0020b_002fc_0040d_005fe");
        String longName = "x".repeat(300);
        String encoded = CacheLocation.encode(longName);
        assertThat(encoded).hasSize(CacheLocation.MAX_ENCODED).contains("_h");
        assertThat(CacheLocation.encode(longName + "y")).isNotEqualTo(encoded);
        Cache<String, String> odd = provider.getCacheManager().createCache("odd name: ☃", strings());
        odd.put("k", "v");
        assertThat(odd.getName()).isEqualTo("odd name: ☃");
        assertThat(Files.exists(ShmDirExtension.dir().resolve("shmstore.jcache.odd_0020name_003a_0020_2603"))).isTrue();
    }

    @Test
    void shouldWriteOnAReadOnlyWhenThePolicyAsksForAnAccessExpiry() throws Exception {
        CacheManager manager = provider.getCacheManager();
        Cache<String, String> created = manager.createCache("created", strings()
                .setExpiryPolicyFactory(CreatedExpiryPolicy.factoryOf(new Duration(TimeUnit.MINUTES, 1))));
        Cache<String, String> accessed = manager.createCache("accessed", strings()
                .setExpiryPolicyFactory(FactoryBuilder.factoryOf(new AccessedExpiryPolicy(new Duration(TimeUnit.MINUTES, 1)))));
        created.put("k", "v");
        accessed.put("k", "v");
        long createdAt = expiresAt(created, "k");
        long accessedAt = expiresAt(accessed, "k");
        Thread.sleep(30);
        assertThat(created.get("k")).isEqualTo("v");
        assertThat(accessed.get("k")).isEqualTo("v");
        assertThat(expiresAt(created, "k")).as("no access expiry: the read wrote nothing").isEqualTo(createdAt);
        assertThat(expiresAt(accessed, "k")).as("an access expiry: the read moved it").isGreaterThanOrEqualTo(accessedAt + 30);
    }

    private static long expiresAt(Cache<String, String> cache, String key) {
        @SuppressWarnings("unchecked")
        SharedStore<String, String> store = cache.unwrap(SharedStore.class);
        return store.<Long>withLock(key, LockedEntry::expiresAt);
    }

    @Test
    void shouldCountStatisticsAndShowThemAsAnMXBean() throws Exception {
        Cache<String, String> cache = provider.getCacheManager().createCache("counted",
                strings().setStatisticsEnabled(true).setManagementEnabled(true));
        cache.put("a", "1");
        cache.get("a");
        cache.get("missing");
        javax.management.MBeanServer server = java.lang.management.ManagementFactory.getPlatformMBeanServer();
        javax.management.ObjectName stats = new javax.management.ObjectName(
                "javax.cache:type=CacheStatistics,CacheManager=shmstore.jcache,Cache=counted");
        assertThat(server.getAttribute(stats, "CacheHits")).isEqualTo(1L);
        assertThat(server.getAttribute(stats, "CacheMisses")).isEqualTo(1L);
        assertThat(server.getAttribute(stats, "CachePuts")).isEqualTo(1L);
        assertThat(server.getAttribute(stats, "CacheHitPercentage")).isEqualTo(50f);
        javax.management.ObjectName config = new javax.management.ObjectName(
                "javax.cache:type=CacheConfiguration,CacheManager=shmstore.jcache,Cache=counted");
        assertThat(server.getAttribute(config, "KeyType")).isEqualTo("java.lang.String");
        provider.getCacheManager().destroyCache("counted");
        assertThat(server.isRegistered(stats)).isFalse();
        assertThat(server.isRegistered(config)).isFalse();
    }

    /** Collects the events it hears, and the threads it hears them on. */
    public static final class Collector implements CacheEntryCreatedListener<String, String>,
            CacheEntryExpiredListener<String, String>, java.io.Serializable {
        private static final long serialVersionUID = 1L;
        final List<String> events = new CopyOnWriteArrayList<>();
        final List<String> threads = new CopyOnWriteArrayList<>();
        final transient CountDownLatch heard = new CountDownLatch(1);

        private void collect(Iterable<CacheEntryEvent<? extends String, ? extends String>> batch) {
            for (CacheEntryEvent<? extends String, ? extends String> e : batch) {
                events.add(e.getEventType() + " " + e.getKey() + "=" + e.getValue()
                        + (e.isOldValueAvailable() ? " was " + e.getOldValue() : ""));
                threads.add(Thread.currentThread().getName());
            }
            heard.countDown();
        }

        @Override
        public void onCreated(Iterable<CacheEntryEvent<? extends String, ? extends String>> batch) {
            collect(batch);
        }

        @Override
        public void onExpired(Iterable<CacheEntryEvent<? extends String, ? extends String>> batch) {
            collect(batch);
        }
    }

    @Test
    void shouldDeliverAnAsynchronousListenersEventsOnItsOwnThread() throws Exception {
        Collector collector = new Collector();
        Cache<String, String> cache = provider.getCacheManager().createCache("async", strings()
                .addCacheEntryListenerConfiguration(new MutableCacheEntryListenerConfiguration<>(
                        FactoryBuilder.factoryOf(collector), null, false, false)));
        cache.put("k", "v");
        assertThat(collector.heard.await(10, TimeUnit.SECONDS)).isTrue();
        assertThat(collector.events).containsExactly("CREATED k=v");
        assertThat(collector.threads).allMatch(t -> t.startsWith("shmstore-jcache-listener-async"))
                .noneMatch(t -> t.equals(Thread.currentThread().getName()));
    }

    @Test
    void shouldReportAnExpiryItFindsWithTheValueThatExpiredOnce() throws Exception {
        Collector collector = new Collector();
        Cache<String, String> cache = provider.getCacheManager().createCache("expiring", strings()
                .setExpiryPolicyFactory(CreatedExpiryPolicy.factoryOf(new Duration(TimeUnit.MILLISECONDS, 50)))
                .addCacheEntryListenerConfiguration(new MutableCacheEntryListenerConfiguration<>(
                        FactoryBuilder.factoryOf(collector), null, true, true)));
        cache.put("k", "v");
        Thread.sleep(120);
        assertThat(cache.get("k")).isNull();
        assertThat(cache.get("k")).isNull();
        assertThat(collector.events).containsExactly("CREATED k=v", "EXPIRED k=v was v");
    }

    @Test
    void shouldRefuseASecondProcessThatSizesTheCacheOtherwise() {
        provider.getCacheManager().createCache("sized", new ShmCacheConfiguration<String, String>().setEntries(1000)
                .setTypes(String.class, String.class));
        CacheManager second = provider.getCacheManager(provider.getDefaultURI(), new ClassLoader(getClass().getClassLoader()) {
        });
        assertThatThrownBy(() -> second.createCache("sized", new ShmCacheConfiguration<String, String>().setEntries(2000)
                .setTypes(String.class, String.class)))
                .isInstanceOf(CacheException.class).hasMessageContaining("entries 1000").hasMessageContaining("entries 2000");
    }
}
