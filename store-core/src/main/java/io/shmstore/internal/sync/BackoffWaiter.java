package io.shmstore.internal.sync;

import net.openhft.chronicle.core.OS;

import java.util.concurrent.locks.LockSupport;

/**
 * A {@link Waiter} for platforms without a shared-memory futex: polls the word with a back-off that
 * doubles from 20 µs to 1 ms, so a sleeper costs almost no CPU and notices a change within about a
 * millisecond. {@link #wake} has nothing to do.
 */
public final class BackoffWaiter implements Waiter {
    private static final long MIN_PARK_NANOS = 20_000;
    private static final long MAX_PARK_NANOS = 1_000_000;

    @Override
    public void await(long address, int expected, long maxNanos) {
        long deadline = System.nanoTime() + maxNanos;
        long park = MIN_PARK_NANOS;
        while (OS.memory().readVolatileInt(address) == expected) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return;
            }
            LockSupport.parkNanos(Math.min(park, left));
            park = Math.min(park * 2, MAX_PARK_NANOS);
        }
    }

    @Override
    public void wake(long address, int count) {
        // sleepers poll
    }
}
