package io.shmstore.internal.sync;

/**
 * Sleeping on a 32-bit word of shared memory until another process changes it: a futex on Linux, a
 * bounded back-off elsewhere. Wake-ups may be spurious and a wait may end early; callers re-check.
 */
public interface Waiter {
    /**
     * Sleeps while the int at {@code address} equals {@code expected}, for at most {@code maxNanos}.
     * The address must be 4-byte aligned and inside a shared mapping.
     */
    void await(long address, int expected, long maxNanos);

    /** Wakes up to {@code count} sleepers on {@code address} ({@link Integer#MAX_VALUE} for all). */
    void wake(long address, int count);
}
