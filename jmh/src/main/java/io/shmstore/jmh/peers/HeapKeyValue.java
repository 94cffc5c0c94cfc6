package io.shmstore.jmh.peers;

import java.util.concurrent.ConcurrentHashMap;

/** ConcurrentHashMap on the heap: the floor no shared-memory store can go under. */
final class HeapKeyValue implements KeyValue {
    private final ConcurrentHashMap<String, byte[]> map = new ConcurrentHashMap<>();

    @Override
    public byte[] get(String key) {
        return map.get(key);
    }

    @Override
    public void put(String key, byte[] value) {
        map.put(key, value);
    }

    @Override
    public boolean putIfAbsent(String key, byte[] value) {
        return map.putIfAbsent(key, value) == null;
    }

    @Override
    public void remove(String key) {
        map.remove(key);
    }

    @Override
    public long increment(String key) {
        long[] out = new long[1];
        map.compute(key, (k, v) -> {
            byte[] next = v.clone();
            out[0] = KeyValue.readLong(v) + 1;
            KeyValue.writeLong(next, out[0]);
            return next;
        });
        return out[0];
    }

    @Override
    public void close() {
        map.clear();
    }
}
