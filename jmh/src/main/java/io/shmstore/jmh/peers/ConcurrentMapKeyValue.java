package io.shmstore.jmh.peers;

import java.util.concurrent.ConcurrentMap;

/** The peers that are {@link ConcurrentMap}s: the plain operations are the map's own. */
abstract class ConcurrentMapKeyValue implements KeyValue {
    protected final ConcurrentMap<String, byte[]> map;

    ConcurrentMapKeyValue(ConcurrentMap<String, byte[]> map) {
        this.map = map;
    }

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

    /** Increments through {@code compute}, on a copy where the map keeps references (the heap map). */
    protected long incrementByCompute(String key, boolean copy) {
        long[] out = new long[1];
        map.compute(key, (k, v) -> {
            byte[] next = copy ? v.clone() : v;
            out[0] = KeyValue.readLong(v) + 1;
            KeyValue.writeLong(next, out[0]);
            return next;
        });
        return out[0];
    }
}
