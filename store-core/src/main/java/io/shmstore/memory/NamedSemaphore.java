package io.shmstore.memory;

import io.shmstore.internal.memory.Backends;
import io.shmstore.internal.platform.Names;
import io.shmstore.internal.platform.ObjectSpec;
import io.shmstore.internal.platform.ObjectType;
import io.shmstore.internal.sync.SemaphoreHandle;
import io.shmstore.internal.sync.SemaphoreWord;

import java.nio.file.attribute.PosixFilePermission;
import java.time.Duration;
import java.util.Objects;
import java.util.Set;

/**
 * A counting semaphore shared by name between processes, like a Windows semaphore, whose permits come
 * back when a process that holds them dies.
 *
 * <pre>{@code
 * try (NamedSemaphore slots = NamedSemaphore.createOrOpen("gpu.slots", 4, 4)) {
 *     Permits p = slots.acquire(1, Duration.ofSeconds(5));
 *     if (p.recovered() > 0) {
 *         cleanUpAfterTheDead();            // a holder died without releasing
 *     }
 *     try {
 *         ...
 *     } finally {
 *         slots.release();
 *     }
 * }
 * }</pre>
 *
 * <ul>
 *   <li><b>Permits belong to processes.</b> A process releases what it acquired (any of its threads,
 *       through any of its handles). A release of more than the process holds adds new permits, as long
 *       as there are at most {@link #maxPermits()} in all: that is how a process that never acquires
 *       signals another; beyond that, {@link io.shmstore.SemaphoreFullException}. A permit acquired in
 *       one process and released in another is therefore counted as new in the second, and stays the
 *       first process's until it exits.</li>
 *   <li><b>Dead holders.</b> Each process's holdings are recorded with its pid and start time, as a
 *       mutex's owner is. Permits of a process that died (a {@code kill -9} included), or that closed its
 *       last handle without releasing them, come back to the pool: a waiter notices within about 10 ms,
 *       and the next {@link #acquire} is told how many in {@link Permits#recovered()}. On Windows, whose
 *       semaphores record no holder, the permits of a process that dies are lost.</li>
 *   <li><b>Cost.</b> Uncontended acquire and release take no system call: a short lock of two CASes on
 *       shared memory around a few stores. Waiters sleep (a futex on Linux, polling elsewhere), they do
 *       not spin; waking is not fair.</li>
 *   <li><b>Lifetime and namespace</b> as for {@link NamedMutex}: one namespace with mappings, mutexes and
 *       events; created owner-only; gone when the last process that has it open closes it or dies.</li>
 *   <li><b>Closing while in use</b>: waiters throw {@link IllegalStateException}; so does every call
 *       after {@link #close()}; nothing touches unmapped memory.</li>
 * </ul>
 */
public final class NamedSemaphore implements AutoCloseable {
    /** Size of a semaphore object's user area: its counts and one holder record per process. */
    static final long OBJECT_SIZE = 32 * 1024;

    private final String name;
    private final SemaphoreHandle handle;

    private NamedSemaphore(String name, SemaphoreHandle handle) {
        this.name = name;
        this.handle = handle;
    }

    /**
     * Creates the named semaphore with {@code initialPermits} of at most {@code maxPermits}, or opens it
     * if it exists with the same counts; owner-only permissions when created.
     *
     * @param name           the name, in the namespace mappings, mutexes and events share
     * @param initialPermits the permits free when created, 0 to {@code maxPermits}
     * @param maxPermits     the most permits there may be, at least 1
     * @return the handle, which the caller closes
     * @throws IllegalArgumentException               naming the counts unless {@code 1 <= maxPermits} and
     *                                                {@code 0 <= initialPermits <= maxPermits}
     * @throws io.shmstore.IncompatibleStoreException naming both when the name is another kind of object,
     *                                                or a semaphore with other counts
     */
    public static NamedSemaphore createOrOpen(String name, int initialPermits, int maxPermits) {
        return createOrOpen(name, initialPermits, maxPermits, SharedMemory.OWNER_ONLY);
    }

    /**
     * As {@link #createOrOpen(String, int, int)}, with the permissions a created semaphore gets.
     *
     * @param name           the name
     * @param initialPermits the permits free when created
     * @param maxPermits     the most permits there may be
     * @param permissions    who may open it, when created
     * @return the handle, which the caller closes
     */
    public static NamedSemaphore createOrOpen(String name, int initialPermits, int maxPermits,
                                              Set<PosixFilePermission> permissions) {
        return createOrOpen(name, initialPermits, maxPermits, permissions, Set.of());
    }

    /**
     * As {@link #createOrOpen(String, int, int, Set)}, also opening an existing semaphore that one of
     * {@code trustedOwners} owns: users as {@link SharedMemory.Builder#trustOwner} takes them. Any other
     * owner but this process's user and root is refused with {@link io.shmstore.UntrustedOwnerException}.
     *
     * @param name           the name
     * @param initialPermits the permits free when created
     * @param maxPermits     the most permits there may be
     * @param permissions    who may open it, when created
     * @param trustedOwners  other users whose semaphore this may open
     * @return the handle, which the caller closes
     */
    public static NamedSemaphore createOrOpen(String name, int initialPermits, int maxPermits,
                                              Set<PosixFilePermission> permissions, Set<String> trustedOwners) {
        Names.check(name);
        if (maxPermits < 1 || initialPermits < 0 || initialPermits > maxPermits) {
            throw new IllegalArgumentException("semaphore " + Names.quote(name) + ": initial permits " + initialPermits
                    + " and max permits " + maxPermits + " must satisfy 0 <= initial <= max and 1 <= max");
        }
        Objects.requireNonNull(permissions, "permissions");
        Objects.requireNonNull(trustedOwners, "trustedOwners").forEach(SharedMemory::checkOwner);
        ObjectSpec spec = new ObjectSpec(name, null, ObjectType.SEMAPHORE, OBJECT_SIZE,
                Set.copyOf(SharedMemory.checkPermissions(permissions)), Lifetime.UNTIL_LAST_CLOSE,
                (address, length, objectId, space) -> SemaphoreWord.initialize(address, length, initialPermits, maxPermits),
                trustedOwners, false);
        return new NamedSemaphore(name, Backends.current().semaphore(spec, initialPermits, maxPermits));
    }

    /**
     * Waits up to {@code timeout} for one permit.
     *
     * @param timeout the longest wait; zero tries once
     * @return true when acquired, false when the time ran out
     * @throws IllegalStateException when the semaphore is closed, or closed while this thread waits
     */
    public boolean tryAcquire(Duration timeout) {
        return tryAcquire(1, timeout);
    }

    /**
     * Waits up to {@code timeout} for {@code permits}, all at once. It answers only whether; a recovery of
     * dead holders' permits is left for the next {@link #acquire} to report.
     *
     * @param permits how many to acquire
     * @param timeout the longest wait; zero tries once
     * @return true when acquired, false when the time ran out
     * @throws IllegalArgumentException naming the value unless {@code 1 <= permits <= maxPermits()}
     */
    public boolean tryAcquire(int permits, Duration timeout) {
        return handle.tryAcquire(checkPermits(permits), nanos(timeout));
    }

    /**
     * Waits up to {@code timeout} for {@code permits}, all at once, and says how many permits came back
     * from holders that died or left without releasing them since the last acquire that was told.
     *
     * @param permits how many to acquire
     * @param timeout the longest wait; zero tries once
     * @return the permits acquired, and how many were recovered
     * @throws io.shmstore.LockTimeoutException naming the holders when too few permits came free in time
     * @throws IllegalArgumentException         naming the value unless {@code 1 <= permits <= maxPermits()}
     * @throws IllegalStateException            when the semaphore is closed, or closed while this thread waits
     */
    public Permits acquire(int permits, Duration timeout) {
        return handle.acquire(checkPermits(permits), nanos(timeout));
    }

    /** Gives one permit back. */
    public void release() {
        release(1);
    }

    /**
     * Gives {@code permits} back: those this process holds first, then new ones.
     *
     * @param permits how many to release
     * @throws io.shmstore.SemaphoreFullException naming the counts when that would make more than
     *                                            {@link #maxPermits()} permits; nothing changes then
     * @throws IllegalArgumentException           naming the value unless {@code 1 <= permits <= maxPermits()}
     */
    public void release(int permits) {
        handle.release(checkPermits(permits));
    }

    /**
     * Permits free now. Permits of a dead holder count once they are recovered, which a waiter or the next
     * acquire that finds too few does.
     *
     * @return the free permits
     */
    public int availablePermits() {
        return handle.availablePermits();
    }

    /**
     * Permits held by this process: acquired and not yet released, through any of its handles.
     *
     * @return the permits this process holds
     */
    public int heldByThisProcess() {
        return handle.heldByThisProcess();
    }

    /**
     * Permits recovered from dead holders since the semaphore was created, in all processes (0 on Windows).
     *
     * @return the permits recovered
     */
    public long recoveredPermits() {
        return handle.recoveredPermits();
    }

    /**
     * The most permits there may be, as created.
     *
     * @return the maximum
     */
    public int maxPermits() {
        return handle.maxPermits();
    }

    /**
     * The semaphore's name.
     *
     * @return the name
     */
    public String name() {
        return name;
    }

    /**
     * Closes this handle; idempotent. When it is this process's last handle on the semaphore, the permits
     * the process still holds go back to the pool, reported to the next acquirer as recovered.
     */
    @Override
    public void close() {
        handle.close();
    }

    private int checkPermits(int permits) {
        if (permits < 1 || permits > handle.maxPermits()) {
            throw new IllegalArgumentException("permits " + permits + " for semaphore " + Names.quote(name) + ": use 1 to its max of "
                    + handle.maxPermits());
        }
        return permits;
    }

    private static long nanos(Duration timeout) {
        Objects.requireNonNull(timeout, "timeout");
        if (timeout.isNegative()) {
            throw new IllegalArgumentException("timeout " + timeout + " is negative");
        }
        return NamedMutex.saturatedNanos(timeout);
    }

    @Override
    public String toString() {
        return "NamedSemaphore[" + name() + ", max " + maxPermits() + "]";
    }
}
