package io.shmstore.jmh.peers;

import java.io.IOException;
import java.nio.file.Path;
import java.util.function.IntFunction;

/**
 * What the comparison measures, over each implementation: a map from string keys to byte-array values
 * that lives outside the heap where the implementation can (all but the heap floor).
 */
public interface KeyValue extends AutoCloseable {
    byte[] get(String key);

    /** Reads into {@code reuse} where the implementation can; otherwise as {@link #get}. */
    default byte[] getUsing(String key, byte[] reuse) {
        return get(key);
    }

    void put(String key, byte[] value);

    /**
     * Puts {@code values.apply(i)} under {@code keys[i]}, for every key: the set-up's fill, in as few
     * transactions as the implementation allows where there are any.
     */
    default void fill(String[] keys, IntFunction<byte[]> values) {
        for (int i = 0; i < keys.length; i++) {
            put(keys[i], values.apply(i));
        }
    }

    boolean putIfAbsent(String key, byte[] value);

    void remove(String key);

    /** Atomically adds one to the long in the value's first 8 bytes; returns the new value. */
    long increment(String key);

    /**
     * Releases the implementation's memory and, where this process made the store ({@link #open}),
     * removes its files; a store {@link #attach attached} to stays for its maker.
     */
    @Override
    void close() throws IOException;

    /** The implementation named by the benchmark parameter, in {@code dir}, sized for the data. */
    static KeyValue open(String impl, Path dir, int entries, int valueSize) throws Exception {
        switch (impl) {
            case "shmstore":
                return ShmStoreKeyValue.create(entries, valueSize);
            case "chronicle-map":
                return ChronicleMapKeyValue.create(dir, entries, valueSize);
            case "lmdb":
                return new LmdbKeyValue(dir, entries, valueSize);
            case "mapdb":
                return new MapDbKeyValue(dir);
            case "chm":
                return new HeapKeyValue();
            case "one-miss":
                return OneMissKeyValue.create(dir, entries, valueSize);
            case "key-only":
                return new KeyOnlyKeyValue(valueSize);
            case "buckets":
                return BucketsKeyValue.create(dir, entries, valueSize);
            default:
                throw new IllegalArgumentException("unknown impl " + impl);
        }
    }

    /**
     * The store that {@link #open} made in {@code dir}, opened from another process: how the peers that
     * are shared between processes through a name or a file (ShmStore, Chronicle Map, the one-miss and
     * buckets yardsticks) are used by a second JVM. The others are not opened this way.
     */
    static KeyValue attach(String impl, Path dir, int entries, int valueSize) throws IOException {
        switch (impl) {
            case "shmstore":
                return ShmStoreKeyValue.attach();
            case "chronicle-map":
                return ChronicleMapKeyValue.attach(dir, entries, valueSize);
            case "one-miss":
                return OneMissKeyValue.attach(dir, entries, valueSize);
            case "buckets":
                return BucketsKeyValue.attach(dir, entries, valueSize);
            default:
                throw new IllegalArgumentException(impl + " is not opened from a second process here:"
                        + " use shmstore, chronicle-map, one-miss or buckets");
        }
    }

    /** The long in a value's first 8 bytes, little-endian. */
    static long readLong(byte[] v) {
        long x = 0;
        for (int i = 7; i >= 0; i--) {
            x = (x << 8) | (v[i] & 0xFF);
        }
        return x;
    }

    static void writeLong(byte[] v, long x) {
        for (int i = 0; i < 8; i++) {
            v[i] = (byte) (x >>> (8 * i));
        }
    }
}
