package io.shmstore.jmh.peers;

import java.io.IOException;

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

    /** Puts {@code value} under every key: the set-up's fill, in one transaction where there are any. */
    default void fill(String[] keys, byte[] value) {
        for (String k : keys) {
            put(k, value);
        }
    }

    boolean putIfAbsent(String key, byte[] value);

    void remove(String key);

    /** Atomically adds one to the long in the value's first 8 bytes; returns the new value. */
    long increment(String key);

    /** Releases the implementation's memory and removes its files. */
    @Override
    void close() throws IOException;

    /** The implementation named by the benchmark parameter, in {@code dir}, sized for the data. */
    static KeyValue open(String impl, java.nio.file.Path dir, int entries, int valueSize) throws Exception {
        switch (impl) {
            case "shmstore":
                return new ShmStoreKeyValue(entries, valueSize);
            case "chronicle-map":
                return new ChronicleMapKeyValue(dir, entries, valueSize);
            case "lmdb":
                return new LmdbKeyValue(dir, entries, valueSize);
            case "mapdb":
                return new MapDbKeyValue(dir);
            case "chm":
                return new HeapKeyValue();
            default:
                throw new IllegalArgumentException("unknown impl " + impl);
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
