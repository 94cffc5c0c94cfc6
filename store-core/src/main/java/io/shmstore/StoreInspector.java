package io.shmstore;

import io.shmstore.internal.store.StoreImpl;
import io.shmstore.memory.Access;
import io.shmstore.memory.NamedObjectInfo;
import io.shmstore.memory.SharedMemory;

import java.nio.file.Path;
import java.util.List;

/**
 * Untyped access to any store, for operator tools: its descriptions, statistics, raw keys and values
 * (whatever their codecs), verification, change feed and removal. Opening it takes no type or codec,
 * so nothing is checked against the store's fingerprints.
 */
public interface StoreInspector extends AutoCloseable {

    /** Opens the memory-only store with this name, for reading and writing (verify takes locks). */
    static StoreInspector open(String name) {
        return StoreImpl.inspect(name, null, SharedMemory.open(name));
    }

    /** Opens the file-backed store at this path. */
    static StoreInspector open(Path file) {
        return StoreImpl.inspect(null, file, SharedMemory.openBackedBy(file, Access.READ_WRITE));
    }

    /**
     * Looks at a store that {@link SharedMemory#list()} reported, changing nothing: it opens it as an
     * observer ({@link SharedMemory.Builder#observe()}), read-only and without taking part in its
     * lifetime, so a store whose processes all exited is shown, not removed. It trusts the owner the
     * listing saw: an observer only reads, and bounds-checks what it reads. {@link #verify()} and
     * {@link #destroy()} throw {@link ReadOnlyStoreException}.
     *
     * @throws IncompatibleStoreException when the object is a mapping but not a store
     */
    static StoreInspector observe(NamedObjectInfo listed) {
        SharedMemory.Builder b = SharedMemory.named(listed.name());
        if (listed.owner() != null) {
            b.trustOwner(listed.owner());
        }
        return StoreImpl.inspect(listed.name(), null, b.observe());
    }

    String name();

    /** The key type and codec recorded in the header, e.g. {@code java.lang.String/string-utf8}. */
    String keyDescription();

    /** The value type and codec recorded in the header. */
    String valueDescription();

    StoreStats stats();

    /** Live entries. */
    int size();

    /** As {@link SharedStore#verify()}. */
    List<String> verify();

    /** Visits live entries' raw key and value bytes, segment by segment, until the visitor says stop. */
    void forEach(RawEntryVisitor visitor);

    /** The change feed, with keys as their raw bytes. */
    ChangeFeed<byte[]> changes();

    /** Removes the store's name now and closes this handle. */
    void destroy();

    @Override
    void close();

    /** Sees one entry's bytes; returns false to stop the walk. */
    @FunctionalInterface
    interface RawEntryVisitor {
        boolean visit(byte[] key, byte[] value);
    }
}
