package io.shmstore.internal.sync;

import io.shmstore.LockTimeoutException;
import io.shmstore.StoreCorruptedException;
import io.shmstore.memory.Ownership;
import net.openhft.chronicle.core.Memory;
import net.openhft.chronicle.core.OS;

import java.util.concurrent.TimeUnit;

/**
 * The cross-process mutex protocol on 16 bytes of shared memory; used by named mutexes, by object
 * headers and by the store's segments.
 *
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *  |                       owner pid (0 = free)                    |  0  futex word
 *  +---------------------------------------------------------------+
 *  |                       owner start tag                         |  4
 *  +---------------------------------------------------------------+
 *  |                       waiters                                 |  8
 *  +---------------------------------------------------------------+
 *  |                       recoveries                              | 12
 *  +---------------------------------------------------------------+
 * </pre>
 *
 * <p><b>Owner word</b> (bytes 0-7, 8-byte aligned): {@code startTag << 32 | pid}, 0 when free.
 * Acquire is one CAS {@code 0 -> self}; release one CAS {@code self -> 0}. Both are full fences, so
 * the data the lock guards is published by release and visible after acquire. No system call happens
 * unless someone waits.
 *
 * <p><b>Waiting</b>: a contender spins briefly, then adds itself to {@code waiters} (atomic add),
 * re-reads the owner word and sleeps on its low half (the pid) through the platform {@link Waiter}
 * for at most {@link #LIVENESS_CHECK_NANOS}. Release reads {@code waiters} after its CAS and wakes
 * one sleeper only when it is non-zero. Because the increment and the CAS are both sequentially
 * consistent, either the releaser sees the waiter or the waiter sees the free word: no lost wake-up.
 *
 * <p><b>Dead owners</b>: the kernel does not wake a sleeper when the owner dies, so every sleep is
 * bounded and a sleeper checks the owner's liveness (pid alive, not a zombie, same start tag, or for
 * this process, the owning thread alive) each time it wakes. A dead owner's word is replaced by CAS
 * {@code dead -> self}; the winner gets {@link Ownership#ABANDONED} and increments
 * {@code recoveries}. Detection takes at most one sleep, {@value #LIVENESS_CHECK_NANOS} ns (on Windows
 * at least a timer tick, see {@link BackoffWaiter}), plus one liveness query of the platform's
 * {@link ProcessProbe} ({@code /proc} on Linux, a process handle on Windows).
 */
public final class LockWord {
    public static final int OWNER_OFFSET = 0;
    public static final int WAITERS_OFFSET = 8;
    public static final int RECOVERIES_OFFSET = 12;
    public static final int LENGTH = 16;

    /** Longest sleep between liveness checks of the owner. */
    public static final long LIVENESS_CHECK_NANOS = TimeUnit.MILLISECONDS.toNanos(10);
    private static final int SPINS = 200;

    private static final Memory MEMORY = OS.memory();

    private final long address;
    private final Waiter waiter;
    private final ProcessProbe probe;
    private final LocalOwner local;
    private final String name;
    private final long self;
    /** Set when the handle closes: a thread waiting here gives up within one sleep. */
    private volatile boolean cancelled;

    /**
     * @param address 8-byte aligned address of the 16 bytes in a shared, writable mapping
     * @param local   the owner record shared by all handles on this lock in this process
     * @param name    what the lock guards, for messages
     */
    public LockWord(long address, Waiter waiter, ProcessProbe probe, LocalOwner local, String name) {
        if ((address & 7) != 0) {
            throw new IllegalArgumentException("lock word at " + Long.toHexString(address) + " is not 8-byte aligned");
        }
        this.address = address;
        this.waiter = waiter;
        this.probe = probe;
        this.local = local;
        this.name = name;
        this.self = probe.selfWord();
    }

    /** Acquires without waiting; {@code null} when a live owner holds the lock. */
    public Ownership tryAcquire() {
        checkNotHeld();
        long w = MEMORY.readVolatileLong(address);
        if (w == 0) {
            return SharedAtomics.compareAndSwapLong(address, 0, self) ? owned(Ownership.ACQUIRED) : null;
        }
        return isDead(w) && takeOver(w) ? owned(Ownership.ABANDONED) : null;
    }

    /**
     * Waits up to {@code timeoutNanos} for the lock.
     *
     * @throws LockTimeoutException naming the owner pid when a live owner still holds it at the deadline
     * @throws IllegalStateException when the calling thread already holds it
     */
    public Ownership acquire(long timeoutNanos) {
        checkNotHeld();
        if (SharedAtomics.compareAndSwapLong(address, 0, self)) {
            return owned(Ownership.ACQUIRED);
        }
        for (int i = 0; i < SPINS; i++) {
            Thread.onSpinWait();
            if (MEMORY.readVolatileLong(address) == 0 && SharedAtomics.compareAndSwapLong(address, 0, self)) {
                return owned(Ownership.ACQUIRED);
            }
        }
        // only differences of nanoTime are compared, so a deadline that overflows (a timeout of
        // Long.MAX_VALUE) still leaves a positive time left; nanoTime itself may be negative
        long deadline = System.nanoTime() + Math.max(0, timeoutNanos);
        while (true) {
            if (cancelled) {
                throw new IllegalStateException(name + " was closed while this thread waited for it");
            }
            long w = MEMORY.readVolatileLong(address);
            if (w == 0) {
                if (SharedAtomics.compareAndSwapLong(address, 0, self)) {
                    return owned(Ownership.ACQUIRED);
                }
                continue;
            }
            if (isDead(w)) {
                if (takeOver(w)) {
                    return owned(Ownership.ABANDONED);
                }
                continue;
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                int pid = ProcessProbe.pidOf(w);
                throw new LockTimeoutException(timeoutMessage(name, timeoutNanos, pid), pid);
            }
            SharedAtomics.addInt(address + WAITERS_OFFSET, 1);
            try {
                if (MEMORY.readVolatileLong(address) == w) {
                    waiter.await(address + OWNER_OFFSET, (int) w, Math.min(left, LIVENESS_CHECK_NANOS));
                }
            } finally {
                SharedAtomics.addInt(address + WAITERS_OFFSET, -1);
            }
        }
    }

    /**
     * Makes threads waiting in {@link #acquire} through this object give up with
     * {@link IllegalStateException} within one sleep ({@value #LIVENESS_CHECK_NANOS} ns at most).
     */
    public void cancelWaits() {
        cancelled = true;
    }

    /** @throws IllegalMonitorStateException when the calling thread does not hold the lock */
    public void release() {
        if (local.owner != Thread.currentThread()) {
            throw new IllegalMonitorStateException(notHeldMessage(name, local.owner));
        }
        local.owner = null;
        if (!releaseWord()) {
            long w = MEMORY.readVolatileLong(address);
            throw new StoreCorruptedException(name + " was taken from this process while held: owner word is now pid "
                    + ProcessProbe.pidOf(w));
        }
        if (MEMORY.readVolatileInt(address + WAITERS_OFFSET) > 0) {
            waiter.wake(address + OWNER_OFFSET, 1);
        }
    }

    /**
     * The release CAS. If the guard before it raises a fault of an earlier access (the file was cut
     * under the mapping), the CAS did not run: it is tried once more, so that a live process does not
     * keep the lock for good, and the fault is then reported.
     */
    private boolean releaseWord() {
        try {
            return SharedAtomics.compareAndSwapLong(address, self, 0);
        } catch (InternalError fault) {
            try {
                SharedAtomics.compareAndSwapLong(address, self, 0);
            } catch (InternalError again) {
                fault.addSuppressed(again);
            }
            throw fault;
        }
    }

    public boolean isHeldByCurrentThread() {
        return local.owner == Thread.currentThread() && MEMORY.readVolatileLong(address) == self;
    }

    /** True when the lock is held by a process, or a thread of this one, that has died. */
    public boolean isAbandoned() {
        long w = MEMORY.readVolatileLong(address);
        return w != 0 && isDead(w);
    }

    /** Pid of the current owner, 0 when free. */
    public int ownerPid() {
        return ProcessProbe.pidOf(MEMORY.readVolatileLong(address));
    }

    /** How many times an abandoned lock was taken over, across all processes. */
    public int recoveries() {
        return MEMORY.readVolatileInt(address + RECOVERIES_OFFSET);
    }

    /** Zeroes a lock word that no process can be using yet (a new object under construction). */
    public static void initialize(long address) {
        SharedAtomics.zero(address, LENGTH);
    }

    private void checkNotHeld() {
        if (local.owner == Thread.currentThread()) {
            throw new NotReentrantException(reentryMessage(name));
        }
    }

    /*
     * The messages of the mutex contract, shared with the Windows backend's kernel mutexes so that a
     * caller reads the same words on every platform.
     */

    /**
     * "timed out after 100 ms waiting for mutex "x", held by live process 1234"; {@code pid} 0 when the
     * owner has not recorded itself (on Windows, a holder that is not ShmStore, or one between its wait
     * and its record).
     */
    public static String timeoutMessage(String name, long timeoutNanos, int pid) {
        return "timed out after " + TimeUnit.NANOSECONDS.toMillis(Math.max(timeoutNanos, 0)) + " ms waiting for " + name
                + (pid != 0 ? ", held by live process " + pid
                : ", held by a live owner that has not recorded its process id yet");
    }

    /** The message of a release by a thread that does not hold the lock; {@code owner} is this process's holder, or null. */
    public static String notHeldMessage(String name, Thread owner) {
        return name + " is not held by thread \"" + Thread.currentThread().getName() + "\""
                + (owner == null ? "" : "; it is held by thread \"" + owner.getName() + "\"");
    }

    /** The message of an acquire by the thread that holds the lock. */
    public static String reentryMessage(String name) {
        return name + " is already held by this thread, and it is not reentrant: this thread would wait for itself."
                + " Release it before acquiring it again, or acquire it once around the whole section";
    }

    private boolean isDead(long w) {
        if (w == self) {
            Thread t = local.owner;
            return t != null && !t.isAlive();
        }
        return !probe.isAlive(ProcessProbe.pidOf(w), ProcessProbe.tagOf(w));
    }

    private boolean takeOver(long dead) {
        if (SharedAtomics.compareAndSwapLong(address, dead, self)) {
            SharedAtomics.addInt(address + RECOVERIES_OFFSET, 1);
            return true;
        }
        return false;
    }

    private Ownership owned(Ownership how) {
        local.owner = Thread.currentThread();
        return how;
    }
}
