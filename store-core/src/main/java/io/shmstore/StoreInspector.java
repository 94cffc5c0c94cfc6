package io.shmstore;

import io.shmstore.internal.store.StoreImpl;

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
        return StoreImpl.inspect(name, null);
    }

    /** Opens the file-backed store at this path. */
    static StoreInspector open(Path file) {
        return StoreImpl.inspect(null, file);
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
