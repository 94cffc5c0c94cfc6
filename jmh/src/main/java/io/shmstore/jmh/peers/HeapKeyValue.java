package io.shmstore.jmh.peers;

import java.util.concurrent.ConcurrentHashMap;

/** ConcurrentHashMap on the heap: the floor no shared-memory store can go under. */
final class HeapKeyValue extends ConcurrentMapKeyValue {
    HeapKeyValue() {
        super(new ConcurrentHashMap<>());
    }

    @Override
    public long increment(String key) {
        return incrementByCompute(key, true);
    }

    @Override
    public void close() {
        map.clear();
    }
}
