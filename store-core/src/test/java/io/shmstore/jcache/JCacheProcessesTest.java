package io.shmstore.jcache;

import io.shmstore.SharedStore;
import io.shmstore.testing.ChildJvm;
import io.shmstore.testing.ShmDirExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import javax.cache.Cache;
import javax.cache.CacheManager;
import javax.cache.configuration.FactoryBuilder;
import javax.cache.configuration.MutableCacheEntryListenerConfiguration;
import javax.cache.event.CacheEntryCreatedListener;
import javax.cache.event.CacheEntryEvent;
import javax.cache.event.CacheEntryRemovedListener;
import javax.cache.event.CacheEntryUpdatedListener;
import javax.cache.event.EventType;
import java.io.Serializable;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The cache across real processes: child JVMs started with the parent pom's flags ({@link ChildJvm}),
 * each opening the default cache manager as an application would.
 */
@ExtendWith(ShmDirExtension.class)
class JCacheProcessesTest {
    private static final Duration CHILD = Duration.ofSeconds(120);

    private final ShmCachingProvider provider = new ShmCachingProvider();

    @AfterEach
    void closeManagers() {
        provider.close();
    }

    private Cache<String, Long> counters(String name) {
        return provider.getCacheManager().createCache(name, JCacheChild.counters());
    }

    @Test
    void aPutInOneJvmIsAHitInAnother() {
        Cache<String, Long> cache = counters("shared");
        try (ChildJvm child = ChildJvm.start(JCacheChild.class, "put-then-get", "shared")) {
            child.expect("PUT", CHILD);
            assertThat(cache.get("from-child")).isEqualTo(7L);
            assertThat(cache.unwrap(ShmCache.class).statistics().getCacheHits()).isEqualTo(1);
            cache.put("from-parent", 11L);
            child.send("go");
            assertThat(child.expect("GOT", CHILD)).as("the child's value and its hit count").isEqualTo("11 1");
            assertThat(child.waitFor(CHILD)).isZero();
        }
    }

    @Test
    void anEntryProcessorCounterIncrementedFromThreeJvmsEndsExact() {
        int perChild = 2_000;
        Cache<String, Long> cache = counters("count");
        List<ChildJvm> children = new ArrayList<>();
        try {
            for (int i = 0; i < 3; i++) {
                children.add(ChildJvm.start(JCacheChild.class, "count", "count", Integer.toString(perChild)));
            }
            for (ChildJvm c : children) {
                c.expect("READY", CHILD);
            }
            children.forEach(c -> c.send("go"));
            for (ChildJvm c : children) {
                c.expect("DONE", CHILD);
                assertThat(c.waitFor(CHILD)).isZero();
            }
            assertThat(cache.get("counter")).isEqualTo(3L * perChild);
        } finally {
            children.forEach(ChildJvm::close);
        }
    }

    /** Records every event it hears, with its type, key and value. */
    public static final class Recorder implements CacheEntryCreatedListener<String, Long>,
            CacheEntryUpdatedListener<String, Long>, CacheEntryRemovedListener<String, Long>, Serializable {
        private static final long serialVersionUID = 1L;
        final List<String> heard = Collections.synchronizedList(new ArrayList<>());

        private void record(Iterable<CacheEntryEvent<? extends String, ? extends Long>> events) {
            for (CacheEntryEvent<? extends String, ? extends Long> e : events) {
                heard.add(e.getEventType() + " " + e.getKey() + (e.getEventType() == EventType.REMOVED ? "" : "=" + e.getValue()));
            }
        }

        @Override
        public void onCreated(Iterable<CacheEntryEvent<? extends String, ? extends Long>> events) {
            record(events);
        }

        @Override
        public void onUpdated(Iterable<CacheEntryEvent<? extends String, ? extends Long>> events) {
            record(events);
        }

        @Override
        public void onRemoved(Iterable<CacheEntryEvent<? extends String, ? extends Long>> events) {
            record(events);
        }
    }

    @Test
    void aListenerOptedInHearsOtherProcessesChangesAndOneThatDidNotDoesNot() throws Exception {
        Cache<String, Long> cache = counters("heard");
        Recorder everyone = new Recorder();
        Recorder local = new Recorder();
        cache.registerCacheEntryListener(new CrossProcessListenerConfiguration<>(
                FactoryBuilder.factoryOf(everyone), null, false, true));
        cache.registerCacheEntryListener(new MutableCacheEntryListenerConfiguration<>(
                FactoryBuilder.factoryOf(local), null, false, true));
        cache.put("mine", 1L);
        try (ChildJvm child = ChildJvm.start(JCacheChild.class, "changes", "heard")) {
            child.expect("READY", CHILD);
            child.send("go");
            child.expect("DONE", CHILD);
            assertThat(child.waitFor(CHILD)).isZero();
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (everyone.heard.size() < 5 && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        Thread.sleep(300); // nothing more arrives: this process's own put is not heard a second time
        // an event of another process carries the value read when it is delivered: k1's may be a later one, or
        // none once k1 is removed
        assertThat(everyone.heard).hasSize(5);
        assertThat(everyone.heard.get(0)).isEqualTo("CREATED mine=1");
        assertThat(everyone.heard.get(1)).isIn("CREATED k1=1", "CREATED k1=2", "CREATED k1=null");
        assertThat(everyone.heard.get(2)).isIn("UPDATED k1=2", "UPDATED k1=null");
        assertThat(everyone.heard.subList(3, 5)).containsExactly("REMOVED k1", "CREATED k2=3");
        assertThat(local.heard).containsExactly("CREATED mine=1");
    }

    @Test
    void aJvmKilledInsideInvokeLosesNoAcknowledgedUpdate() {
        Cache<String, Long> cache = counters("killed");
        long acknowledged;
        try (ChildJvm child = ChildJvm.start(JCacheChild.class, "stall", "killed", "50")) {
            acknowledged = lastAck(child, 50);
            child.expect("IN", CHILD);
            child.kill();
        }
        assertThat(acknowledged).isEqualTo(50);
        assertThat(cache.get("counter")).as("the increment killed inside its processor did not happen").isEqualTo(50L);
        assertThat(cache.invoke("counter", new JCacheChild.Increment()))
                .as("the next invoke takes the dead process's lock, repaired").isEqualTo(51L);
        for (int round = 0; round < 3; round++) {
            long before = cache.get("counter");
            long last;
            try (ChildJvm child = ChildJvm.start(JCacheChild.class, "loop", "killed")) {
                long read = lastAck(child, 200 + round * 150);
                child.kill();
                last = acknowledgedBeforeDeath(child, read);
            }
            long after = cache.get("counter");
            assertThat(last).isGreaterThan(before);
            assertThat(after).as("every acknowledged increment is there; one in flight may be too")
                    .isBetween(last, last + 1);
        }
        @SuppressWarnings("unchecked")
        SharedStore<String, Long> store = cache.unwrap(SharedStore.class);
        assertThat(store.verify()).isEmpty();
    }

    /**
     * The last value a killed child acknowledged: every line it printed before it died (it prints after
     * each invoke returned) is read to the end of its output.
     */
    private static long acknowledgedBeforeDeath(ChildJvm child, long read) {
        long last = read;
        while (true) {
            String line;
            try {
                line = child.nextLine(Duration.ofSeconds(10));
            } catch (AssertionError endOfOutput) {
                return last;
            }
            if (line.startsWith("ACK ")) {
                last = Long.parseLong(line.substring(4));
            }
        }
    }

    /** Reads {@code count} acknowledgements from the child and returns the last value acknowledged. */
    private static long lastAck(ChildJvm child, int count) {
        long last = -1;
        for (int i = 0; i < count; i++) {
            last = Long.parseLong(child.expect("ACK", CHILD));
        }
        return last;
    }

    @Test
    void theSameUriSharesTheCachesOfEveryManagerThatOpensIt() {
        CacheManager other = new ShmCachingProvider().getCacheManager();
        try {
            Cache<String, Long> mine = counters("uri");
            Cache<String, Long> theirs = other.createCache("uri", JCacheChild.counters());
            mine.put("k", 1L);
            assertThat(theirs.get("k")).isEqualTo(1L);
        } finally {
            other.close();
        }
    }
}
