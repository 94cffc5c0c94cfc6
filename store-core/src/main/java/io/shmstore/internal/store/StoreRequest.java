package io.shmstore.internal.store;

import io.shmstore.Codec;
import io.shmstore.FullPolicy;
import io.shmstore.memory.Lifetime;
import io.shmstore.memory.SharedMemory;

import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Duration;
import java.util.Set;

/**
 * A checked request from {@link io.shmstore.SharedStoreBuilder}: where, what types, how to size, whose
 * existing stores to trust, and the metadata to record or check (null: none given).
 */
public record StoreRequest<K, V>(String name, Path file, Class<K> keyType, Class<V> valueType, Codec<K> keyCodec,
                                 Codec<V> valueCodec, long entries, boolean entriesSet, long maxEntries,
                                 boolean maxEntriesSet,
                                 int averageKeySize, int averageValueSize,
                                 int segments, FullPolicy fullPolicy, long ttlMillis, Lifetime lifetime,
                                 Set<PosixFilePermission> permissions, Duration lockTimeout, int changeFeedCapacity,
                                 Set<String> trustedOwners, String metadata) {

    public StoreRequest {
        trustedOwners = Set.copyOf(trustedOwners);
    }

    /** The mapping builder for this store's name or file, trusting the request's owners. */
    public SharedMemory.Builder memory() {
        SharedMemory.Builder b = name != null ? SharedMemory.named(name) : SharedMemory.backedBy(file);
        trustedOwners.forEach(b::trustOwner);
        return b;
    }

    /** The store as messages name it. */
    public String displayName() {
        return name != null ? name : file.toString();
    }

    /** What goes in the header for keys: type and codec, e.g. {@code java.lang.String/string-utf8}. */
    public String keyDescription() {
        return keyType.getName() + "/" + keyCodec.id();
    }

    public String valueDescription() {
        return valueType.getName() + "/" + valueCodec.id();
    }

    StoreConfig sizing() {
        return Sizing.of(displayName(), entries, maxEntries, averageKeySize, averageValueSize, segments, fullPolicy,
                ttlMillis, changeFeedCapacity);
    }
}
