package io.shmstore.jmh.peers;

import io.shmstore.SharedStore;

/** ShmStore with the bytes codec, memory-only in the shm directory: a ConcurrentMap like the others. */
final class ShmStoreKeyValue extends ConcurrentMapKeyValue {
    ShmStoreKeyValue(int entries, int valueSize) {
        super(SharedStore.of(String.class, byte[].class).name("bench-" + ProcessHandle.current().pid())
                .entries(entries).averageKeySize(12).averageValueSize(valueSize + 2).create());
    }

    private SharedStore<String, byte[]> store() {
        return (SharedStore<String, byte[]>) map;
    }

    @Override
    public byte[] getUsing(String key, byte[] reuse) {
        return store().getUsing(key, reuse);
    }

    /** The value read inside compute is this call's own copy, so it is updated in place. */
    @Override
    public long increment(String key) {
        return incrementByCompute(key, false);
    }

    @Override
    public void close() {
        store().destroy();
    }
}
