package io.shmstore.store;

import com.google.common.collect.testing.ConcurrentMapTestSuiteBuilder;
import com.google.common.collect.testing.TestStringMapGenerator;
import com.google.common.collect.testing.features.CollectionFeature;
import com.google.common.collect.testing.features.CollectionSize;
import com.google.common.collect.testing.features.MapFeature;
import io.shmstore.SharedStore;
import junit.framework.Test;
import junit.framework.TestCase;
import junit.framework.TestSuite;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * guava-testlib's ConcurrentMap conformance suite, written by others, run against the store (as
 * Caffeine's {@code CaffeineMapTests} and Agrona's collections do). Every generated map is a fresh
 * file-backed store; the files go with the temporary directory. Null queries throw, as in
 * {@code ConcurrentHashMap}, so the suite runs without {@code ALLOWS_ANY_NULL_QUERIES}.
 */
public final class GuavaMapConformanceTest extends TestCase {
    private static final AtomicInteger COUNTER = new AtomicInteger();
    private static final Path DIR;

    static {
        try {
            DIR = Files.createTempDirectory("shmstore-guava-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try (var files = Files.list(DIR)) {
                files.forEach(p -> p.toFile().delete());
            } catch (IOException ignored) {
                // best effort at exit
            }
            DIR.toFile().delete();
        }));
    }

    public static Test suite() {
        TestSuite suite = new TestSuite("SharedStore conformance");
        suite.addTest(ConcurrentMapTestSuiteBuilder.using(new TestStringMapGenerator() {
                    @Override
                    protected Map<String, String> create(Map.Entry<String, String>[] entries) {
                        SharedStore<String, String> store = SharedStore.of(String.class, String.class)
                                .persistedTo(DIR.resolve("map-" + COUNTER.incrementAndGet())).entries(64).create();
                        for (Map.Entry<String, String> e : entries) {
                            store.put(e.getKey(), e.getValue());
                        }
                        return store;
                    }
                })
                .named("SharedStore")
                .withFeatures(CollectionSize.ANY, MapFeature.GENERAL_PURPOSE,
                        CollectionFeature.SUPPORTS_ITERATOR_REMOVE)
                .createTestSuite());
        return suite;
    }
}
