package io.shmstore.internal.sync;

import io.shmstore.ReadOnlyStoreException;
import io.shmstore.memory.Ownership;

/**
 * A {@link MutexHandle} on a {@link LockWord}: a named mutex's word on POSIX, or a lock word inside a
 * caller's view (the store's segment locks). A handle on a read-only mapping can observe the lock
 * (owner, abandonment) but not take it.
 *
 * <p><b>Closing while in use.</b> Every call is a use of the handle's {@link Lifecycle}, and holding the
 * lock is one too: it starts with the acquire and ends with the release. So the word stays mapped
 * while a thread of this process holds the lock or waits for it, whoever closes the handle meanwhile.
 * {@link #close()} releases the lock if the closing thread holds it, makes waiters give up with
 * {@link IllegalStateException}, waits up to {@link #CLOSE_WAIT_NANOS} for the rest, and otherwise
 * leaves the unmap to the last of them. A thread that holds the lock when the handle is closed may
 * still release it (anything else would leave a live process owning the lock for good); every other
 * call on a closed handle throws {@link IllegalStateException}.
 */
public final class LockWordMutex implements MutexHandle {
    /** How long {@link #close()} waits for holders and waiters before leaving the unmap to them. */
    public static final long CLOSE_WAIT_NANOS = 1_000_000_000L;

    private final LockWord lock;
    private final LocalOwner owner;
    private final String name;
    private final boolean writable;
    private final Runnable onClose;
    private final Lifecycle life;

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
        this.life = Lifecycle.single(name);
    }

    @Override
    public Ownership acquire(long timeoutNanos) {
        checkWritable();
        int use = life.enter();
        try {
            return leased(lock.acquire(timeoutNanos), use);
        } catch (RuntimeException | Error e) {
            life.exit(use);
            throw e;
        }
    }

    @Override
    public Ownership tryAcquire() {
        checkWritable();
        int use = life.enter();
        try {
            Ownership o = lock.tryAcquire();
            if (o == null) {
                life.exit(use);
                return null;
            }
            return leased(o, use);
        } catch (RuntimeException | Error e) {
            life.exit(use);
            throw e;
        }
    }

    /**
     * Records the use that holding the lock keeps on this handle. A thread of this process that died
     * holding the lock left its use on its handle: the taker ends it, or that handle could never close.
     */
    private Ownership leased(Ownership o, int use) {
        endLease();
        owner.leaseHandle = this;
        owner.leaseToken = use;
        return o;
    }

    private void endLease() {
        LockWordMutex held = owner.leaseHandle;
        if (held != null) {
            owner.leaseHandle = null;
            held.life.exit(owner.leaseToken);
        }
    }

    /**
     * Releases the lock, then ends the use its hold kept, in that order: the word may be unmapped as
     * soon as the use ends. The lease is taken off the owner record before the word is freed, so the
     * next owner never sees it.
     */
    private void releaseHeld() {
        if (owner.owner != Thread.currentThread()) {
            lock.release();
            return;
        }
        LockWordMutex held = owner.leaseHandle;
        int token = owner.leaseToken;
        owner.leaseHandle = null;
        try {
            lock.release();
        } finally {
            if (held != null) {
                held.life.exit(token);
            }
        }
    }

    /**
     * Allowed after {@link #close()} to the thread that acquired through this handle (see the class
     * comment): its hold keeps the word mapped. Any other release is a use of its own.
     */
    @Override
    public void release() {
        if (!writable) {
            throw new ReadOnlyStoreException("cannot take " + name + " through a read-only mapping");
        }
        if (holdsThroughThis()) {
            releaseHeld();
            return;
        }
        int use = life.enter();
        try {
            releaseHeld();
        } finally {
            life.exit(use);
        }
    }

    /** The calling thread holds the lock, acquired through this handle; reads no shared memory. */
    private boolean holdsThroughThis() {
        return owner.owner == Thread.currentThread() && owner.leaseHandle == this;
    }

    @Override
    public boolean isHeldByCurrentThread() {
        int use;
        try {
            use = life.enter();
        } catch (IllegalStateException closed) {
            return false;
        }
        try {
            return lock.isHeldByCurrentThread();
        } finally {
            life.exit(use);
        }
    }

    @Override
    public boolean isAbandoned() {
        int use = life.enter();
        try {
            return lock.isAbandoned();
        } finally {
            life.exit(use);
        }
    }

    @Override
    public long ownerPid() {
        int use = life.enter();
        try {
            return lock.ownerPid();
        } finally {
            life.exit(use);
        }
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public void close() {
        boolean holding = writable && holdsThroughThis();
        if (!life.close(this::unmap)) {
            return;
        }
        if (holding) {
            releaseHeld();
        }
        lock.cancelWaits();
        life.awaitQuiet(CLOSE_WAIT_NANOS);
    }

    private void unmap() {
        owner.unregister();
        onClose.run();
    }

    private void checkWritable() {
        life.checkOpen();
        if (!writable) {
            throw new ReadOnlyStoreException("cannot take " + name + " through a read-only mapping");
        }
    }
}
