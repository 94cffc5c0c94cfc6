package io.shmstore.internal.platform.posix;

import io.shmstore.internal.sync.Waiter;

/**
 * A {@link Waiter} on Linux futexes. The words live in {@code MAP_SHARED} file mappings, so the
 * shared (not {@code FUTEX_PRIVATE_FLAG}) operations are used and processes wake each other.
 */
final class FutexWaiter implements Waiter {
    @Override
    public void await(long address, int expected, long maxNanos) {
        if (maxNanos <= 0) {
            return;
        }
        long[] timeout = {maxNanos / 1_000_000_000L, maxNanos % 1_000_000_000L};
        // EAGAIN (value already changed), EINTR and ETIMEDOUT all mean: return and let the caller re-check
        LinuxLibc.syscall(LinuxLibc.SYS_FUTEX, address, LinuxLibc.FUTEX_WAIT, expected, timeout, 0, 0);
    }

    @Override
    public void wake(long address, int count) {
        LinuxLibc.syscall(LinuxLibc.SYS_FUTEX, address, LinuxLibc.FUTEX_WAKE, count, null, 0, 0);
    }
}
