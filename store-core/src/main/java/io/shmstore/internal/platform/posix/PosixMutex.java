package io.shmstore.internal.platform.posix;

import io.shmstore.internal.platform.Mapping;
import io.shmstore.internal.platform.MutexHandle;
import io.shmstore.internal.sync.LocalOwner;
import io.shmstore.internal.sync.LockWord;
import io.shmstore.memory.Ownership;

/** A named mutex: a {@link LockWord} at offset 0 of a MUTEX object's user area. */
final class PosixMutex implements MutexHandle {
    private final PosixRegion region;
    private final Mapping word;
    private final LocalOwner owner;
    private final LockWord lock;
    private volatile boolean closed;
    /** The thread that acquired through this handle, so close() releases only what this handle took. */
    private volatile Thread acquiredBy;

    PosixMutex(PosixRegion region, PosixBackend backend) {
        this.region = region;
        Mapping m = null;
        try {
            m = region.mapControlWord();
            this.owner = LocalOwner.register(region.lockKey(0));
        } catch (RuntimeException e) {
            if (m != null) {
                m.unmap();
            }
            region.close();
            throw e;
        }
        this.word = m;
        this.lock = new LockWord(word.address(), backend.waiter(), backend.processes(), owner,
                "mutex \"" + region.name() + "\"");
    }

    @Override
    public Ownership acquire(long timeoutNanos) {
        checkOpen();
        Ownership o = lock.acquire(timeoutNanos);
        acquiredBy = Thread.currentThread();
        return o;
    }

    @Override
    public Ownership tryAcquire() {
        checkOpen();
        Ownership o = lock.tryAcquire();
        if (o != null) {
            acquiredBy = Thread.currentThread();
        }
        return o;
    }

    @Override
    public void release() {
        checkOpen();
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
    public long ownerPid() {
        checkOpen();
        return lock.ownerPid();
    }

    @Override
    public String name() {
        return region.name();
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        if (acquiredBy == Thread.currentThread() && lock.isHeldByCurrentThread()) {
            lock.release();
        }
        closed = true;
        owner.unregister();
        word.unmap();
        region.close();
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("mutex \"" + region.name() + "\" is closed");
        }
    }
}
