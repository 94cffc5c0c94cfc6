package io.shmstore.store;

import io.shmstore.SharedStoreBuilder;

/** The store contract on memory-only stores in the shm directory. */
class MemoryStoreTest extends StoreContractTest {
    @Override
    <K, V> SharedStoreBuilder<K, V> at(SharedStoreBuilder<K, V> builder, String name) {
        return builder.name(name);
    }
}
