package io.shmstore.memory;

import io.shmstore.ReadOnlyStoreException;
import io.shmstore.internal.memory.ViewBytesStore;
import io.shmstore.internal.platform.Reservations;
import io.shmstore.internal.platform.Backend;
import io.shmstore.internal.memory.Backends;
import io.shmstore.internal.sync.LockWord;
import io.shmstore.internal.sync.LockWordMutex;
import net.openhft.chronicle.bytes.BytesStore;
import net.openhft.chronicle.core.io.ReferenceOwner;

import java.time.Duration;

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
    private final long objectId;
    private final Reservations space;
    private volatile boolean closed;

    MemoryView(ViewBytesStore store, long offset, long length, Access access, String name, long objectId,
               Reservations space) {
        this.store = store;
        this.offset = offset;
        this.length = length;
        this.access = access;
        this.name = name;
        this.objectId = objectId;
        this.space = space;
    }

    /**
     * The mapped bytes. Valid until {@link #close()}; to keep them longer, {@code reserve} the store.
     *
     * @return the bytes, as a Chronicle {@code BytesStore}
     * @throws IllegalStateException when the view is closed
     */
    public BytesStore<?, Void> bytes() {
        checkOpen();
        return store;
    }

    /**
     * A cross-process mutex on the 16 bytes at {@code offset} of this view (8-byte aligned, zero when
     * first used), with exactly the semantics of {@link NamedMutex}: ownership by thread and process,
     * {@link Ownership#ABANDONED} after its owner died. Handles on the same bytes share ownership
     * records in a process, whichever view they were made from. On a read-only view the mutex can be
     * observed ({@link NamedMutex#ownerPid()}, {@link NamedMutex#isAbandoned()}) but not taken. Close
     * it before the view.
     *
     * @param offset the lock word's offset in this view
     * @return the mutex, which the caller closes
     * @throws IllegalArgumentException naming the offset when it is unaligned or outside the view
     */
    public NamedMutex lockAt(long offset) {
        checkOpen();
        if ((offset & 7) != 0 || offset < 0 || offset > length - LockWord.LENGTH) {
            throw new IllegalArgumentException("lock offset " + offset + " must be 8-byte aligned and leave "
                    + LockWord.LENGTH + " bytes inside the " + length + "-byte view of " + name);
        }
        Backend backend = Backends.current();
        String what = "the lock at offset " + (this.offset + offset) + " of " + name;
        // the lock keeps the mapping alive until it is closed, even if the view is closed first
        ReferenceOwner holder = ReferenceOwner.temporary(what);
        store.reserve(holder);
        return NamedMutex.over(new LockWordMutex(store.addressForRead(offset),
                new LockKey(objectId, this.offset + offset), what, access == Access.READ_WRITE, backend.waiter(),
                backend.processes(), () -> store.release(holder)));
    }

    /**
     * Sleeps while the 4-byte int at {@code offset} of this view equals {@code expected}, for at most
     * {@code timeout}: the portable form of a futex wait, across processes. May return early; callers
     * re-check. Works on read-only views. On Linux it is a futex wait, woken within microseconds by
     * {@link #wakeAll}. Elsewhere it polls with a back-off of up to 1 ms, and on Windows each sleep
     * lasts at least one timer tick (1 to 15.6 ms): Windows' {@code WaitOnAddress} is not an
     * alternative, as it wakes only threads of the same process.
     *
     * @param offset   the int's offset in this view, 4-byte aligned
     * @param expected the value to sleep on
     * @param timeout  the longest sleep
     */
    public void waitWhileEquals(long offset, int expected, Duration timeout) {
        checkOpen();
        checkWord(offset);
        Backends.current().waiter().await(store.addressForRead(offset), expected, NamedMutex.saturatedNanos(timeout));
    }

    /**
     * Wakes every process sleeping in {@link #waitWhileEquals} on {@code offset}.
     *
     * @param offset the int's offset in this view
     */
    public void wakeAll(long offset) {
        checkOpen();
        checkWord(offset);
        Backends.current().waiter().wake(store.addressForRead(offset), Integer.MAX_VALUE);
    }

    private void checkWord(long offset) {
        if ((offset & 3) != 0 || offset < 0 || offset > length - 4) {
            throw new IllegalArgumentException("word offset " + offset + " must be 4-byte aligned and inside the "
                    + length + "-byte view of " + name);
        }
    }

    /**
     * Backs {@code length} bytes at {@code offset} of this view with storage, in a mapping created
     * {@link SharedMemory.Builder#sparse() sparse}, before they are written; their content does not
     * change. For a mapping that is not sparse (all of it is reserved) it does nothing.
     *
     * @param offset where the range starts in this view
     * @param length how many bytes
     * @throws io.shmstore.StoreFullException naming the sizes when the file system has no room
     * @throws ReadOnlyStoreException         for a read-only view
     */
    public void reserve(long offset, long length) {
        checkRange(offset, length);
        space.reserve(this.offset + offset, length);
    }

    /**
     * Gives the storage of {@code length} bytes at {@code offset} back: in every process they read as
     * zeros from now on. Returns false where the platform cannot (the portable backend, Windows): the
     * bytes then keep their content and their space.
     *
     * @param offset where the range starts in this view
     * @param length how many bytes
     * @return true when the storage was given back
     * @throws ReadOnlyStoreException for a read-only view
     */
    public boolean release(long offset, long length) {
        checkRange(offset, length);
        return space.release(this.offset + offset, length);
    }

    private void checkRange(long offset, long length) {
        checkOpen();
        if (access != Access.READ_WRITE) {
            throw new ReadOnlyStoreException("cannot change the storage of a read-only view of " + name);
        }
        if (offset < 0 || length < 0 || offset > this.length - length) {
            throw new IllegalArgumentException("range [offset " + offset + ", length " + length + "] is outside the "
                    + this.length + "-byte view of " + name);
        }
    }

    /** Identity of a lock word inside a view: the object and the offset in its user area. */
    private record LockKey(long objectId, long offset) {
    }

    /**
     * Where the view starts.
     *
     * @return the offset of the view's first byte in the shared memory
     */
    public long offset() {
        return offset;
    }

    /**
     * How much the view covers.
     *
     * @return its length in bytes
     */
    public long length() {
        return length;
    }

    /**
     * What the view may do.
     *
     * @return its access
     */
    public Access access() {
        return access;
    }

    /**
     * Whether {@link #close()} was called.
     *
     * @return true once closed
     */
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
