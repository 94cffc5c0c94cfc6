package io.shmstore.jmh.peers;

import io.shmstore.SharedStore;

/** ShmStore with the bytes codec, memory-only in the shm directory. */
final class ShmStoreKeyValue implements KeyValue {
    private final SharedStore<String, byte[]> store;

    ShmStoreKeyValue(int entries, int valueSize) {
        store = SharedStore.of(String.class, byte[].class).name("bench-" + ProcessHandle.current().pid())
                .entries(entries).averageKeySize(12).averageValueSize(valueSize + 2).create();
    }

    @Override
    public byte[] get(String key) {
        return store.get(key);
    }

    @Override
    public byte[] getUsing(String key, byte[] reuse) {
        return store.getUsing(key, reuse);
    }

    @Override
    public void put(String key, byte[] value) {
        store.put(key, value);
    }

    @Override
    public boolean putIfAbsent(String key, byte[] value) {
        return store.putIfAbsent(key, value) == null;
    }

    @Override
    public void remove(String key) {
        store.remove(key);
    }

    @Override
    public long increment(String key) {
        long[] out = new long[1];
        store.compute(key, (k, v) -> {
            out[0] = KeyValue.readLong(v) + 1;
            KeyValue.writeLong(v, out[0]);
            return v;
        });
        return out[0];
    }

    @Override
    public void close() {
        store.destroy();
    }
}
