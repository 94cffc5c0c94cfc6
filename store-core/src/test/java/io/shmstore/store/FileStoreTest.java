package io.shmstore.store;

import io.shmstore.SharedStoreBuilder;
import io.shmstore.testing.ShmDirExtension;

/** The store contract on file-backed stores. */
class FileStoreTest extends StoreContractTest {
    @Override
    <K, V> SharedStoreBuilder<K, V> at(SharedStoreBuilder<K, V> builder, String name) {
        return builder.persistedTo(ShmDirExtension.dir().resolve(name + ".store"));
    }
}
