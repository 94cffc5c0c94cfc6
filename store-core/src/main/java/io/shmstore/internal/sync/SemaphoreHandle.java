package io.shmstore.internal.sync;

import io.shmstore.memory.Permits;

/**
 * A backend's cross-process counting semaphore. Permits are counted per process: a process releases
 * what it acquired, and the backend may give back the permits of a process that died.
 */
public interface SemaphoreHandle {
    /**
     * Waits up to {@code timeoutNanos} for {@code permits}; the answer says how many permits of dead
     * holders came back since the last acquire that was told.
     *
     * @throws io.shmstore.LockTimeoutException naming the holders when too few permits came free in time
     */
    Permits acquire(int permits, long timeoutNanos);

    /** Waits up to {@code timeoutNanos} for {@code permits}; false on time-out. Takes no recovery report. */
    boolean tryAcquire(int permits, long timeoutNanos);

    /** @throws io.shmstore.SemaphoreFullException when the release would make more than the max permits */
    void release(int permits);

    int availablePermits();

    int maxPermits();

    /** The initial permits the semaphore was created with, where the platform records them; -1 otherwise. */
    int initialPermits();

    /** Permits this process holds: acquired and not released. */
    int heldByThisProcess();

    /** Permits recovered from dead holders since creation, across processes; 0 where the platform cannot. */
    long recoveredPermits();

    String name();

    void close();
}
