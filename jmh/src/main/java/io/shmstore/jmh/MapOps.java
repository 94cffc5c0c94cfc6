package io.shmstore.jmh;

import io.shmstore.jmh.peers.KeyValue;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

import java.nio.file.Path;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The map operations compared across implementations, on the same data: {@code entries} keys like
 * {@code key-0001234} with {@code valueSize}-byte values, keys chosen at random. Subclasses fix the
 * thread count ({@link MapBenchmark1T}, {@link MapBenchmark2T}) or the mode and warm-up
 * ({@link MapTail1T}, {@link MapTail2T}); all run in one JMH run.
 *
 * <p>At 5,000,000 entries every peer fits in memory (under 2 GB of store each, one trial at a time),
 * but the set-up's fill and read of every key take from a few seconds (the heap, LMDB) to about 40 s
 * (MapDB) per trial.
 */
@State(Scope.Benchmark)
@BenchmarkMode({Mode.AverageTime, Mode.SampleTime})
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public abstract class MapOps {
    @Param({"shmstore", "chronicle-map", "lmdb", "mapdb", "chm"})
    public String impl;

    @Param({"100", "1024"})
    public int valueSize;

    @Param({"100000", "5000000"})
    public int entries;

    private Path dir;
    private KeyValue map;
    private String[] keys;
    private byte[] value;
    private static final AtomicInteger THREAD_IDS = new AtomicInteger();

    /** Each thread's own keys for insert-then-remove, disjoint from the data and the other threads'. */
    @State(Scope.Thread)
    public static class PerThread {
        String[] fresh;
        int next;
        byte[] reuse;

        @Setup(Level.Trial)
        public void setUp() {
            int id = THREAD_IDS.getAndIncrement();
            fresh = new String[1024];
            for (int i = 0; i < fresh.length; i++) {
                fresh[i] = key("new-" + id + "-", i, 6);
            }
        }
    }

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        dir = Scratch.freshShmDir();
        try {
            map = KeyValue.open(impl, dir, entries, valueSize);
            keys = keys(entries);
            value = new byte[valueSize];
            map.fill(keys, i -> value);
            // one read of every key, the same for every implementation: compiles the read path and
            // touches every page from this process before the warm-up iteration starts
            for (String k : keys) {
                if (map.get(k) == null) {
                    throw new IllegalStateException(impl + " lost key " + k + " after the fill");
                }
            }
        } catch (Exception | Error e) {
            // JMH runs no tear-down after a failed set-up: a store of up to 2 GB would stay in tmpfs
            tearDown();
            throw e;
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() throws Exception {
        try {
            if (map != null) {
                map.close();
            }
        } finally {
            map = null;
            Scratch.delete(dir);
        }
    }

    /**
     * {@code prefix} and {@code n} zero-padded to {@code digits}: what {@code String.format("%07d")}
     * gives, without its cost, which on a cold JVM was a second of every fork's set-up.
     */
    static String key(String prefix, int n, int digits) {
        char[] c = new char[prefix.length() + digits];
        prefix.getChars(0, prefix.length(), c, 0);
        for (int i = c.length - 1, v = n; i >= prefix.length(); i--, v /= 10) {
            c[i] = (char) ('0' + v % 10);
        }
        return new String(c);
    }

    /** The data's keys, {@code key-0000000} to {@code entries - 1}: 11 bytes each, up to 10,000,000 keys. */
    static String[] keys(int entries) {
        if (entries > 10_000_000) {
            throw new IllegalArgumentException("entries " + entries + ": the keys have 7 digits, so at most 10,000,000");
        }
        String[] keys = new String[entries];
        for (int i = 0; i < entries; i++) {
            keys[i] = key("key-", i, 7);
        }
        return keys;
    }

    private String randomKey() {
        return keys[ThreadLocalRandom.current().nextInt(keys.length)];
    }

    @Benchmark
    public byte[] get() {
        return map.get(randomKey());
    }

    @Benchmark
    public void put() {
        map.put(randomKey(), value);
    }

    @Benchmark
    public boolean putIfAbsentThenRemove(PerThread t) {
        String k = t.fresh[t.next++ & (t.fresh.length - 1)];
        boolean inserted = map.putIfAbsent(k, value);
        map.remove(k);
        return inserted;
    }

    @Benchmark
    public long computeIncrement() {
        return map.increment(randomKey());
    }

    /** getUsing where the implementation has it (ShmStore, Chronicle Map); others are plain get. */
    @Benchmark
    public byte[] getUsing(PerThread t) {
        byte[] v = map.getUsing(randomKey(), t.reuse);
        t.reuse = v;
        return v;
    }
}
