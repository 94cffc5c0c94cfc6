package io.shmstore.internal.sync;

import net.openhft.chronicle.core.OS;

import java.util.concurrent.locks.LockSupport;

/**
 * A {@link Waiter} for platforms without a cross-process futex: polls the word with a back-off that
 * doubles from 20 µs to 1 ms, so a sleeper costs almost no CPU. {@link #wake} has nothing to do.
 *
 * <p><b>Reaction time, per platform</b>: the time between a change of the word and the sleeper seeing
 * it is one sleep. With {@code posix-nio} on Linux and macOS, {@code parkNanos} sleeps about as long
 * as asked, so a sleeper notices within about a millisecond. On Windows a park shorter than a
 * millisecond is rounded up to one, and every sleep lasts until the next tick of the system timer:
 * 15.6 ms by default, 1 ms while some process on the machine has raised the timer resolution ({@code
 * timeBeginPeriod(1)}, which many runtimes and media programs do). So there a sleeper notices within
 * 1 to 15.6 ms. This waiter serves only the lock words inside views (the store's segment locks,
 * {@code MemoryView.lockAt}) and {@code MemoryView.waitWhileEquals}: Windows' named mutexes and events
 * wait in the kernel and wake at once, and Windows' {@code WaitOnAddress} wakes only threads of the
 * same process.
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
