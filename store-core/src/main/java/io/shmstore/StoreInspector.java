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

    /**
     * Opens the memory-only store with this name, for reading and writing (verify takes locks).
     *
     * @param name the store's name
     * @return the inspector, which the caller closes
     * @throws StoreNotFoundException       when there is no such store
     * @throws IncompatibleFormatException when it is a store of another format version
     */
    static StoreInspector open(String name) {
        return StoreImpl.inspect(name, null, SharedMemory.open(name));
    }

    /**
     * Opens the file-backed store at this path, for reading and writing.
     *
     * @param file the store's file
     * @return the inspector, which the caller closes
     * @throws StoreNotFoundException       when there is no such file
     * @throws IncompatibleFormatException when it is a store of another format version
     */
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
     * @param listed what the listing reported
     * @return the inspector, which the caller closes
     * @throws IncompatibleStoreException when the object is a mapping but not a store, or (as
     *                                    {@link IncompatibleFormatException}) a store of another format
     */
    static StoreInspector observe(NamedObjectInfo listed) {
        SharedMemory.Builder b = SharedMemory.named(listed.name());
        if (listed.owner() != null) {
            b.trustOwner(listed.owner());
        }
        return StoreImpl.inspect(listed.name(), null, b.observe());
    }

    /**
     * The store's name, or its file for a file-backed store.
     *
     * @return the name
     */
    String name();

    /**
     * The key type and codec recorded in the header, e.g. {@code java.lang.String/string-utf8}.
     *
     * @return the description
     */
    String keyDescription();

    /**
     * The value type and codec recorded in the header.
     *
     * @return the description
     */
    String valueDescription();

    /**
     * Counts and sizes, read now; the per-process counters (hits, misses) are 0, as the inspector looks
     * nothing up.
     *
     * @return the statistics
     */
    StoreStats stats();

    /**
     * Live entries.
     *
     * @return how many
     */
    int size();

    /**
     * As {@link SharedStore#verify()}.
     *
     * @return one line per problem found; empty when the store is sound
     */
    List<String> verify();

    /**
     * Visits live entries' raw key and value bytes, segment by segment, until the visitor says stop.
     *
     * @param visitor sees each entry
     */
    void forEach(RawEntryVisitor visitor);

    /**
     * The change feed, with keys as their raw bytes.
     *
     * @return the feed
     */
    ChangeFeed<byte[]> changes();

    /** Removes the store's name now and closes this handle. */
    void destroy();

    @Override
    void close();

    /** Sees one entry's bytes; returns false to stop the walk. */
    @FunctionalInterface
    interface RawEntryVisitor {
        /**
         * Sees one entry.
         *
         * @param key   the key's bytes, as its codec wrote them
         * @param value the value's bytes, as its codec wrote them
         * @return true to go on, false to stop
         */
        boolean visit(byte[] key, byte[] value);
    }
}
