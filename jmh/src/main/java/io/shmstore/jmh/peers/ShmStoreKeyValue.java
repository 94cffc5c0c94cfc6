package io.shmstore.jmh.peers;

import io.shmstore.SharedStore;

/**
 * ShmStore with the bytes codec, memory-only in the shm directory: a ConcurrentMap like the others.
 * Each trial has a shm directory of its own, so the store's name is fixed and a second process finds it.
 */
final class ShmStoreKeyValue extends ConcurrentMapKeyValue {
    private static final String NAME = "bench";

    private final boolean maker;

    private ShmStoreKeyValue(SharedStore<String, byte[]> store, boolean maker) {
        super(store);
        this.maker = maker;
    }

    /**
     * Sized as Chronicle Map is: the serialized sizes of the same data. A key like {@code key-0001234} is
     * its 11 bytes after a one-byte length; the bytes codec writes a value after its stop-bit length.
     */
    static ShmStoreKeyValue create(int entries, int valueSize) {
        return new ShmStoreKeyValue(SharedStore.of(String.class, byte[].class).name(NAME).entries(entries)
                .averageKeySize(12).averageValueSize(valueSize + stopBitLength(valueSize)).create(), true);
    }

    static ShmStoreKeyValue attach() {
        return new ShmStoreKeyValue(SharedStore.of(String.class, byte[].class).name(NAME).open(), false);
    }

    /** Bytes of Chronicle's stop-bit encoding of {@code n}: seven bits a byte. */
    static int stopBitLength(int n) {
        int bytes = 1;
        for (int v = n >>> 7; v != 0; v >>>= 7) {
            bytes++;
        }
        return bytes;
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
        if (maker) {
            store().destroy();
        } else {
            store().close();
        }
    }
}
