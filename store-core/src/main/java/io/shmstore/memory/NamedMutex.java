package io.shmstore.memory;

import io.shmstore.internal.memory.Backends;
import io.shmstore.internal.sync.MutexHandle;
import io.shmstore.internal.platform.Names;
import io.shmstore.internal.platform.ObjectSpec;
import io.shmstore.internal.platform.ObjectType;

import java.nio.file.attribute.PosixFilePermission;
import java.time.Duration;
import java.util.Objects;
import java.util.Set;

/**
 * A mutex shared by name between processes that survives its owner's death, like a Windows mutex.
 *
 * <pre>{@code
 * try (NamedMutex m = NamedMutex.createOrOpen("orders.lock")) {
 *     if (m.acquire(Duration.ofSeconds(1)) == Ownership.ABANDONED) {
 *         repairWhatItGuards();             // the previous owner died holding it
 *     }
 *     try {
 *         ...
 *     } finally {
 *         m.release();
 *     }
 * }
 * }</pre>
 *
 * <ul>
 *   <li>On POSIX, uncontended acquire and release are one CAS each on a word in shared memory, no
 *       system call. On Windows a named mutex is a kernel mutex: each acquire and release is a system
 *       call, contended or not ({@link Capabilities#uncontendedLockWithoutSystemCall()}).</li>
 *   <li>The owner is a thread of a process identified by pid and start time; a recycled pid is not
 *       mistaken for it, and a killed process that its parent has not reaped yet counts as dead.</li>
 *   <li>On Linux waiters spin briefly, then sleep on a futex and check the owner's liveness at least
 *       every 10 ms: a dead owner is detected well within 100 ms and the next waiter gets
 *       {@link Ownership#ABANDONED}; a release wakes a sleeper within microseconds. On Windows waiters
 *       sleep in the kernel's wait, which a release or the owner's death ends at once
 *       ({@code WAIT_ABANDONED}). Elsewhere they poll with a back-off of at most 1 ms.</li>
 *   <li>Not reentrant: acquiring it again from the owning thread throws {@link IllegalStateException}.</li>
 * </ul>
 *
 * <p>The mutex object goes away when the last process holding a handle closes it or dies.
 */
public final class NamedMutex implements AutoCloseable {
    /** Size of a mutex object's user area: one page holding the lock word. */
    static final long OBJECT_SIZE = 4096;

    private final MutexHandle handle;

    private NamedMutex(MutexHandle handle) {
        this.handle = handle;
    }

    /** A mutex over a handle the memory layer made (see {@link MemoryView#lockAt(long)}). */
    static NamedMutex over(MutexHandle handle) {
        return new NamedMutex(handle);
    }

    /**
     * Creates the named mutex, or opens it if it exists; owner-only permissions when created.
     *
     * @param name the name, in the namespace mappings and events share
     * @return the handle, which the caller closes
     */
    public static NamedMutex createOrOpen(String name) {
        return createOrOpen(name, SharedMemory.OWNER_ONLY);
    }

    /**
     * As {@link #createOrOpen(String)}, with the permissions a created mutex gets.
     *
     * @param name        the name
     * @param permissions who may open it, when created
     * @return the handle, which the caller closes
     */
    public static NamedMutex createOrOpen(String name, Set<PosixFilePermission> permissions) {
        return createOrOpen(name, permissions, Set.of());
    }

    /**
     * As {@link #createOrOpen(String, Set)}, also opening an existing mutex that one of {@code trustedOwners}
     * owns: users as {@link SharedMemory.Builder#trustOwner} takes them. Any other owner but this
     * process's user and root is refused with {@link io.shmstore.UntrustedOwnerException}.
     *
     * @param name          the name
     * @param permissions   who may open it, when created
     * @param trustedOwners other users whose mutex this may open
     * @return the handle, which the caller closes
     */
    public static NamedMutex createOrOpen(String name, Set<PosixFilePermission> permissions, Set<String> trustedOwners) {
        Names.check(name);
        Objects.requireNonNull(permissions, "permissions");
        Objects.requireNonNull(trustedOwners, "trustedOwners").forEach(SharedMemory::checkOwner);
        return new NamedMutex(Backends.current().mutex(new ObjectSpec(name, null, ObjectType.MUTEX, OBJECT_SIZE,
                Set.copyOf(permissions), Lifetime.UNTIL_LAST_CLOSE, null, trustedOwners, false)));
    }

    /**
     * Waits up to {@code timeout} for the mutex.
     *
     * @param timeout the longest wait for a live owner
     * @return {@link Ownership#ACQUIRED}, or {@link Ownership#ABANDONED} when the previous owner died
     *         holding it: the caller owns it now and must check the data it guards
     * @throws io.shmstore.LockTimeoutException naming the owner's pid when a live owner still holds it
     * @throws IllegalStateException            when the calling thread already holds it, or it is closed
     */
    public Ownership acquire(Duration timeout) {
        Objects.requireNonNull(timeout, "timeout");
        if (timeout.isNegative()) {
            throw new IllegalArgumentException("timeout " + timeout + " is negative");
        }
        return handle.acquire(saturatedNanos(timeout));
    }

    /**
     * Acquires without waiting.
     *
     * @return as {@link #acquire}, or {@code null} when a live owner holds it
     */
    public Ownership tryAcquire() {
        return handle.tryAcquire();
    }

    /**
     * Releases the mutex.
     *
     * @throws IllegalMonitorStateException when the calling thread does not hold the mutex
     */
    public void release() {
        handle.release();
    }

    /**
     * Whether the calling thread holds the mutex.
     *
     * @return true when it does
     */
    public boolean isHeldByCurrentThread() {
        return handle.isHeldByCurrentThread();
    }

    /**
     * True when an owner that has died still holds the mutex: the next acquirer will get
     * {@link Ownership#ABANDONED}. False when free or held by a live owner.
     *
     * @return whether a dead owner holds it
     */
    public boolean isAbandoned() {
        return handle.isAbandoned();
    }

    /**
     * The owning process's pid, 0 when free. On Windows the owner records itself right after the kernel
     * grants it the mutex, so for that instant a held mutex may still show 0 (or the pid of a previous
     * owner that died holding it).
     *
     * @return the owning process's pid, 0 when free
     */
    public long ownerPid() {
        return handle.ownerPid();
    }

    /**
     * The mutex's name.
     *
     * @return the name
     */
    public String name() {
        return handle.name();
    }

    /**
     * Releases the mutex if the calling thread acquired it through this handle (not through another
     * handle on the same name), then closes the handle; idempotent. A thread that holds the mutex
     * through this handle when another thread closes it may still release it.
     */
    @Override
    public void close() {
        handle.close();
    }

    static long saturatedNanos(Duration d) {
        try {
            return d.toNanos();
        } catch (ArithmeticException overflow) {
            return Long.MAX_VALUE;
        }
    }

    @Override
    public String toString() {
        return "NamedMutex[" + name() + "]";
    }
}
