package io.shmstore.internal.sync;

import io.shmstore.ReadOnlyStoreException;
import io.shmstore.internal.platform.MutexHandle;
import io.shmstore.internal.platform.ProcessProbe;
import io.shmstore.internal.platform.Waiter;
import io.shmstore.memory.Ownership;

/**
 * A {@link MutexHandle} on a {@link LockWord}: a named mutex's word on POSIX, or a lock word inside a
 * caller's view (the store's segment locks). A handle on a read-only mapping can observe the lock
 * (owner, abandonment) but not take it.
 */
public final class LockWordMutex implements MutexHandle {
    private final LockWord lock;
    private final LocalOwner owner;
    private final String name;
    private final boolean writable;
    private final Runnable onClose;
    private volatile boolean closed;
    /** The thread that acquired through this handle, so close() releases only what this handle took. */
    private volatile Thread acquiredBy;

    /**
     * @param address  the lock word, 8-byte aligned, in a shared mapping
     * @param key      identity of the word (object id and offset), shared by handles in this process
     * @param writable false for a read-only mapping: acquiring throws {@link ReadOnlyStoreException}
     * @param onClose  releases what backs the address, after this handle's last use
     */
    public LockWordMutex(long address, Object key, String name, boolean writable, Waiter waiter, ProcessProbe probe,
                         Runnable onClose) {
        this.owner = LocalOwner.register(key);
        this.lock = new LockWord(address, waiter, probe, owner, name);
        this.name = name;
        this.writable = writable;
        this.onClose = onClose;
    }

    @Override
    public Ownership acquire(long timeoutNanos) {
        checkWritable();
        Ownership o = lock.acquire(timeoutNanos);
        acquiredBy = Thread.currentThread();
        return o;
    }

    @Override
    public Ownership tryAcquire() {
        checkWritable();
        Ownership o = lock.tryAcquire();
        if (o != null) {
            acquiredBy = Thread.currentThread();
        }
        return o;
    }

    @Override
    public void release() {
        checkWritable();
        lock.release();
        if (acquiredBy == Thread.currentThread()) {
            acquiredBy = null;
        }
    }

    @Override
    public boolean isHeldByCurrentThread() {
        return !closed && lock.isHeldByCurrentThread();
    }

    @Override
    public boolean isAbandoned() {
        checkOpen();
        return lock.isAbandoned();
    }

    @Override
    public long ownerPid() {
        checkOpen();
        return lock.ownerPid();
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        if (writable && acquiredBy == Thread.currentThread() && lock.isHeldByCurrentThread()) {
            lock.release();
        }
        closed = true;
        owner.unregister();
        onClose.run();
    }

    private void checkWritable() {
        checkOpen();
        if (!writable) {
            throw new ReadOnlyStoreException("cannot take " + name + " through a read-only mapping");
        }
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException(name + " is closed");
        }
    }
}
