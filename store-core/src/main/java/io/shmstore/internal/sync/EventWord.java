package io.shmstore.internal.sync;

import io.shmstore.memory.EventMode;
import net.openhft.chronicle.core.Memory;
import net.openhft.chronicle.core.OS;

/**
 * The cross-process event protocol on 16 bytes of shared memory.
 *
 * <pre>
 *  +---------------------------------------------------------------+
 *  |                 state (0 clear, 1 signalled)                  |  0  futex word
 *  +---------------------------------------------------------------+
 *  |                 waiters                                       |  4
 *  +---------------------------------------------------------------+
 *  |                 mode (1 auto-reset, 2 manual-reset)           |  8
 *  +---------------------------------------------------------------+
 *  |                 signals (count, wraps)                        | 12
 *  +---------------------------------------------------------------+
 * </pre>
 *
 * <p>{@link #signal()} stores {@code state = 1} (volatile), then wakes one sleeper (auto-reset) or all
 * (manual-reset) if {@code waiters} is non-zero. A waiter consumes an auto-reset signal by CAS
 * {@code 1 -> 0}; a manual-reset signal is only observed. A waiter increments {@code waiters} before
 * re-reading {@code state} and sleeping on it, so a signal is never lost between the check and the
 * sleep (the same argument as {@link LockWord}'s release).
 */
public final class EventWord {
    public static final int STATE_OFFSET = 0;
    public static final int WAITERS_OFFSET = 4;
    public static final int MODE_OFFSET = 8;
    public static final int SIGNALS_OFFSET = 12;
    public static final int LENGTH = 16;

    private static final int MODE_AUTO = 1;
    private static final int MODE_MANUAL = 2;
    /** Sleeps are bounded so a poll-based waiter and a lost futex wake (never expected) cost little. */
    private static final long MAX_SLEEP_NANOS = 100_000_000L;

    private static final Memory MEMORY = OS.memory();

    private final long address;
    private final Waiter waiter;
    private final EventMode mode;
    /** Set when the handle closes: a thread waiting here returns false within microseconds. */
    private volatile boolean cancelled;

    public EventWord(long address, Waiter waiter) {
        this.address = address;
        this.waiter = waiter;
        this.mode = MEMORY.readVolatileInt(address + MODE_OFFSET) == MODE_MANUAL ? EventMode.MANUAL_RESET : EventMode.AUTO_RESET;
    }

    /** Writes a fresh event into memory no other process can see yet. */
    public static void initialize(long address, EventMode mode) {
        SharedAtomics.zero(address, LENGTH);
        MEMORY.writeVolatileInt(address + MODE_OFFSET, mode == EventMode.MANUAL_RESET ? MODE_MANUAL : MODE_AUTO);
    }

    /** The mode fixed when the event was created. */
    public EventMode mode() {
        return mode;
    }

    public void signal() {
        MEMORY.writeVolatileInt(address + STATE_OFFSET, 1);
        SharedAtomics.addInt(address + SIGNALS_OFFSET, 1);
        if (MEMORY.readVolatileInt(address + WAITERS_OFFSET) > 0) {
            waiter.wake(address + STATE_OFFSET, mode == EventMode.AUTO_RESET ? 1 : Integer.MAX_VALUE);
        }
    }

    public void reset() {
        MEMORY.writeVolatileInt(address + STATE_OFFSET, 0);
    }

    /**
     * Makes threads waiting in {@link #await} through this object return false. The wake reaches this
     * word's sleepers in every process; the others find nothing signalled and sleep again.
     */
    public void cancelWaits() {
        cancelled = true;
        waiter.wake(address + STATE_OFFSET, Integer.MAX_VALUE);
    }

    /** True when signalled within {@code timeoutNanos}, false on timeout or {@link #cancelWaits()}. */
    public boolean await(long timeoutNanos) {
        // only differences of nanoTime are compared, so a deadline that overflows (a timeout of
        // Long.MAX_VALUE) still leaves a positive time left; nanoTime itself may be negative
        long deadline = System.nanoTime() + Math.max(0, timeoutNanos);
        while (true) {
            if (consume()) {
                return true;
            }
            long left = deadline - System.nanoTime();
            if (left <= 0 || cancelled) {
                return false;
            }
            SharedAtomics.addInt(address + WAITERS_OFFSET, 1);
            try {
                if (MEMORY.readVolatileInt(address + STATE_OFFSET) == 0 && !cancelled) {
                    waiter.await(address + STATE_OFFSET, 0, Math.min(left, MAX_SLEEP_NANOS));
                }
            } finally {
                SharedAtomics.addInt(address + WAITERS_OFFSET, -1);
            }
        }
    }

    private boolean consume() {
        if (mode == EventMode.MANUAL_RESET) {
            return MEMORY.readVolatileInt(address + STATE_OFFSET) == 1;
        }
        return MEMORY.readVolatileInt(address + STATE_OFFSET) == 1
                && SharedAtomics.compareAndSwapInt(address + STATE_OFFSET, 1, 0);
    }
}
