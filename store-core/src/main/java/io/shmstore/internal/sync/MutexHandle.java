package io.shmstore.internal.sync;

import io.shmstore.memory.Ownership;

/**
 * A backend's cross-process mutex. Ownership belongs to the acquiring thread; the backend enforces it.
 */
public interface MutexHandle {
    /**
     * Waits up to {@code timeoutNanos} for the mutex.
     *
     * @throws io.shmstore.LockTimeoutException when a live owner still holds it at the deadline
     * @throws IllegalStateException when the calling thread already holds it
     */
    Ownership acquire(long timeoutNanos);

    /** Acquires without waiting; {@code null} if another live owner holds it. */
    Ownership tryAcquire();

    /** @throws IllegalMonitorStateException when the calling thread does not hold it */
    void release();

    /** True when the calling thread holds it. */
    boolean isHeldByCurrentThread();

    /**
     * True when held by an owner that has died (the next acquirer will get ABANDONED); false when free,
     * held by a live owner, or the platform cannot tell without acquiring (Windows).
     */
    boolean isAbandoned();

    /** Process id of the current owner, 0 when free or unknown. */
    long ownerPid();

    String name();

    void close();
}
