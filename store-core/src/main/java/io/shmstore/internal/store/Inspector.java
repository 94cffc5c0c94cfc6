package io.shmstore.internal.store;

import io.shmstore.ChangeFeed;
import io.shmstore.FullPolicy;
import io.shmstore.StoreInspector;
import io.shmstore.StoreStats;
import io.shmstore.memory.Access;
import io.shmstore.memory.SharedMemory;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The untyped face of any store, for operator tools, straight on its {@link ByteStore}: keys and values
 * as their raw bytes, descriptions from the header, nothing checked against the fingerprints.
 */
final class Inspector implements StoreInspector {
    private final ByteStore bytes;
    private final Feed<byte[]> feed;
    private final String keys;
    private final String values;

    private Inspector(ByteStore bytes) {
        this.bytes = bytes;
        this.feed = new Feed<>(bytes.ring(), RawCodec.INSTANCE);
        this.keys = bytes.use(() -> bytes.description(StoreLayout.KEY_DESCRIPTION_OFFSET));
        this.values = bytes.use(() -> bytes.description(StoreLayout.VALUE_DESCRIPTION_OFFSET));
    }

    /** Over {@code mem}, the mapping of {@code name} or {@code file}, opened by the caller and taken over. */
    static StoreInspector over(String name, Path file, SharedMemory mem) {
        StoreRequest<byte[], byte[]> r = new StoreRequest<>(name, file, byte[].class, byte[].class, RawCodec.INSTANCE,
                RawCodec.INSTANCE, 1, false, 1, false, 1, 1, 0, FullPolicy.REJECT, 0, null, null, Duration.ofSeconds(10), 0,
                Set.of(), null);
        return new Inspector(ByteStore.attach(r, mem, mem.access() == Access.READ_ONLY, false));
    }

    @Override
    public String name() {
        return bytes.name();
    }

    @Override
    public String keyDescription() {
        return keys;
    }

    @Override
    public String valueDescription() {
        return values;
    }

    @Override
    public StoreStats stats() {
        return bytes.stats(0, 0);
    }

    @Override
    public int size() {
        return bytes.size();
    }

    @Override
    public List<String> verify() {
        return bytes.verify();
    }

    /** Each segment's entries are copied in one use, then visited outside it. */
    @Override
    public void forEach(RawEntryVisitor visitor) {
        for (int s = 0; s < bytes.segments(); s++) {
            List<byte[][]> copies = new ArrayList<>();
            bytes.snapshot(s, copy -> {
                long shape = SegmentReader.shapeOf(copy.addressForRead(0));
                int headerLength = EntryValidator.headerLength(shape);
                int keyLength = EntryValidator.keyLength(shape);
                byte[] k = new byte[keyLength];
                byte[] v = new byte[EntryValidator.valueLength(shape)];
                copy.read(headerLength, k, 0, keyLength);
                copy.read(headerLength + (long) keyLength, v, 0, v.length);
                copies.add(new byte[][]{k, v});
            });
            for (byte[][] kv : copies) {
                if (!visitor.visit(kv[0], kv[1])) {
                    return;
                }
            }
        }
    }

    @Override
    public ChangeFeed<byte[]> changes() {
        bytes.life().checkOpen();
        return feed;
    }

    @Override
    public void destroy() {
        bytes.destroy();
    }

    @Override
    public void close() {
        bytes.close();
    }
}
