package io.shmstore.memory;

import io.shmstore.internal.memory.ViewBytesStore;
import net.openhft.chronicle.bytes.BytesStore;

/**
 * A mapped range of a {@link SharedMemory}, like a Windows view ({@code MapViewOfFile}). Its bytes are
 * a Chronicle {@link BytesStore} whose offset 0 is the view's first byte. A view stays valid after
 * the memory handle that made it is closed, until the view itself is closed.
 *
 * <p>A {@link Access#READ_ONLY} view is mapped read-only by the operating system, and every write
 * through its {@code BytesStore} throws {@link io.shmstore.ReadOnlyStoreException} before reaching
 * memory. {@code BytesStore} may be shared between threads; a {@code Bytes} cursor made from it may not
 * (Chronicle checks that one thread uses it).
 */
public final class MemoryView implements AutoCloseable {
    private final ViewBytesStore store;
    private final long offset;
    private final long length;
    private final Access access;
    private final String name;
    private volatile boolean closed;

    MemoryView(ViewBytesStore store, long offset, long length, Access access, String name) {
        this.store = store;
        this.offset = offset;
        this.length = length;
        this.access = access;
        this.name = name;
    }

    /**
     * The mapped bytes. Valid until {@link #close()}; to keep them longer, {@code reserve} the store.
     *
     * @throws IllegalStateException when the view is closed
     */
    public BytesStore<?, Void> bytes() {
        checkOpen();
        return store;
    }

    /** Offset of the view's first byte in the shared memory. */
    public long offset() {
        return offset;
    }

    public long length() {
        return length;
    }

    public Access access() {
        return access;
    }

    public boolean isClosed() {
        return closed;
    }

    /** Unmaps the view (once the last reservation of its bytes is released); idempotent. */
    @Override
    public synchronized void close() {
        if (!closed) {
            closed = true;
            store.release(net.openhft.chronicle.core.io.ReferenceOwner.INIT);
        }
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("view [" + offset + ", " + (offset + length) + ") of " + name + " is closed");
        }
    }

    @Override
    public String toString() {
        return "MemoryView[" + name + " @" + offset + "+" + length + " " + access + (closed ? " closed" : "") + "]";
    }
}
