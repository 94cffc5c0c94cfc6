package io.shmstore.internal.sync;

import io.shmstore.IncompatibleStoreException;
import io.shmstore.SemaphoreFullException;
import io.shmstore.StoreCorruptedException;
import io.shmstore.memory.Ownership;
import net.openhft.chronicle.core.Memory;
import net.openhft.chronicle.core.OS;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The cross-process counting-semaphore protocol on {@value #LENGTH} bytes of shared memory: a pool of
 * permits, and a record per process of the permits it holds, so that the permits of a process that
 * dies come back to the pool.
 *
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *  |                 available permits                             |   0  futex word
 *  +---------------------------------------------------------------+
 *  |                 waiters                                       |   4
 *  +---------------------------------------------------------------+
 *  |                 max permits (fixed at creation)               |   8
 *  +---------------------------------------------------------------+
 *  |                 initial permits (fixed at creation)           |  12
 *  +---------------------------------------------------------------+
 *  |                 total: available + held, at most max          |  16
 *  +---------------------------------------------------------------+
 *  |                 recovered, not yet reported to an acquirer    |  20
 *  +---------------------------------------------------------------+
 *  |                 recovered, ever (8 bytes)                     |  24
 *  +---------------------------------------------------------------+
 *  |                 lock (a LockWord, 16 bytes)                   |  32
 *  +---------------------------------------------------------------+
 *  |                 holder capacity ({@value #CAPACITY})          |  48
 *  +---------------------------------------------------------------+
 *  |                 reserved to 128                               |  52
 *  +---------------------------------------------------------------+
 *  |   holders: capacity records of 16 bytes:                      | 128
 *  |   process word (8: start tag | pid, 0 = free), held (4),      |
 *  |   reserved (4)                                                |
 *  +---------------------------------------------------------------+
 * </pre>
 *
 * <p><b>Invariant</b>, true whenever the lock is free: {@code available + sum(held) == total <= max}.
 * Every permit is either in the pool or held by exactly one process record.
 *
 * <p><b>Visibility.</b> Every field but {@code waiters} changes only under the lock, with ordered
 * (release) stores, which keep their program order; the lock's release CAS, a full fence, publishes
 * them to the next holder, whose acquire CAS pairs with it. {@code available} is also read without the
 * lock, with volatile loads (the fast path's check, {@link #available()}, the futex's expected value):
 * such a read may lag behind an operation in flight, which costs the reader one more look, and the
 * releaser's read of {@code waiters} comes after its release CAS (see Waiting).
 *
 * <p><b>Acquire</b> ({@link #tryTake}): under the lock, when {@code available >= k}: {@code held += k},
 * then {@code available -= k}. <b>Release</b>: under the lock, the permits the process holds go back
 * first ({@code held -= min(k, held)}), and permits it does not hold are new ones, allowed while
 * {@code total} stays at most {@code max} ({@code total += extra}, else {@link SemaphoreFullException}
 * and nothing changes); then {@code available += k}. Uncontended, each is the lock's two CASes and a
 * few stores on one or two cache lines: no system call.
 *
 * <p><b>A process killed inside the lock</b> leaves a prefix of those stores. Each is one aligned store,
 * {@code available} always comes last, and every prefix leaves {@code held} and {@code total} describing
 * a state that the invariant allows; so the process that takes the lock over
 * ({@link Ownership#ABANDONED}) recomputes {@code available = total - sum(held)} ({@link #repair()}).
 *
 * <p><b>Dead holders.</b> A process that dies holding permits never releases them. A waiter checks the
 * liveness of every recorded process (pid alive, not a zombie, same start tag) at most once per
 * {@link LockWord#LIVENESS_CHECK_NANOS}, outside the lock; under the lock it then moves each dead
 * record's {@code held} back to {@code available}, frees the record, and adds the permits to both
 * recovery counters ({@link #reclaimDead()}). The next {@link #tryTake} that asks for the report takes
 * {@code recovered, not yet reported} and zeroes it: that acquirer is told how many came back.
 *
 * <p><b>Waiting</b>: a waiter that finds too few permits adds itself to {@code waiters} (atomic add),
 * re-reads {@code available} and sleeps on it through the platform {@link Waiter} for at most
 * {@link LockWord#LIVENESS_CHECK_NANOS}. Whoever raises {@code available} (a release, a recovery, a
 * repair) reads {@code waiters} after its stores and wakes every sleeper when it is non-zero. The add
 * and the stores are sequentially consistent, so either the raiser sees the waiter or the waiter sees
 * the new count: no lost wake-up. Waking all lets each waiter check whether the new count is enough
 * for what it asks; the semaphore is not fair.
 */
public final class SemaphoreWord {
    public static final int AVAILABLE_OFFSET = 0;
    public static final int WAITERS_OFFSET = 4;
    public static final int MAX_OFFSET = 8;
    public static final int INITIAL_OFFSET = 12;
    public static final int TOTAL_OFFSET = 16;
    public static final int UNREPORTED_OFFSET = 20;
    public static final int RECOVERED_OFFSET = 24;
    public static final int LOCK_OFFSET = 32;
    public static final int CAPACITY_OFFSET = 48;
    public static final int HOLDERS_OFFSET = 128;
    public static final int HOLDER_LENGTH = 16;
    public static final int HOLDER_HELD_OFFSET = 8;
    /**
     * Holder records: one per process that has the semaphore open, as many as an object has attach
     * entries, so that every process that can open it can hold permits.
     */
    public static final int CAPACITY = 2032;
    public static final int LENGTH = HOLDERS_OFFSET + CAPACITY * HOLDER_LENGTH;

    /** How long the lock, held for a few stores, may stay taken by a live process before that is an error. */
    private static final long LOCK_TIMEOUT_NANOS = TimeUnit.SECONDS.toNanos(10);

    private static final Memory MEMORY = OS.memory();

    private final long address;
    private final Waiter waiter;
    private final ProcessProbe probe;
    private final LockWord lock;
    private final String name;
    private final long self;
    private final int max;
    private final int initial;
    /**
     * When a waiter through this handle last checked the holders' liveness (System.nanoTime), so that it
     * happens at most once per {@link LockWord#LIVENESS_CHECK_NANOS}; racing waiters may both check.
     */
    private volatile long lastLivenessCheck;
    private volatile boolean checkedOnce;
    /** Set when the handle closes: a thread waiting here gives up within microseconds. */
    private volatile boolean cancelled;

    /**
     * Opens the protocol on an initialised word, checking that it is the semaphore the caller asked for.
     *
     * @param address 8-byte aligned address of the {@value #LENGTH} bytes in a shared, writable mapping
     * @param lockOwner the owner record of the word's lock, shared by every handle on it in this process
     * @param name    the semaphore as messages name it
     * @throws IncompatibleStoreException naming both when it has other permit counts than asked
     * @throws StoreCorruptedException    when its fixed fields are out of range
     */
    public SemaphoreWord(long address, int initialPermits, int maxPermits, Waiter waiter, ProcessProbe probe,
                         LocalOwner lockOwner, String name) {
        if ((address & 7) != 0) {
            throw new IllegalArgumentException("semaphore word at " + Long.toHexString(address) + " is not 8-byte aligned");
        }
        this.address = address;
        this.waiter = waiter;
        this.probe = probe;
        this.name = name;
        this.self = probe.selfWord();
        this.max = MEMORY.readVolatileInt(address + MAX_OFFSET);
        this.initial = MEMORY.readVolatileInt(address + INITIAL_OFFSET);
        int capacity = MEMORY.readVolatileInt(address + CAPACITY_OFFSET);
        if (max < 1 || initial < 0 || initial > max || capacity != CAPACITY) {
            throw new StoreCorruptedException(name + " is damaged: max permits " + max + ", initial permits " + initial
                    + ", holder capacity " + capacity + " (expected " + CAPACITY + ")");
        }
        if (max != maxPermits || initial != initialPermits) {
            throw new IncompatibleStoreException(name + " exists with " + initial + " initial permits and at most " + max
                    + ", not the " + initialPermits + " and at most " + maxPermits + " asked for");
        }
        this.lock = new LockWord(address + LOCK_OFFSET, waiter, probe, lockOwner, "the lock of " + name);
    }

    /** Writes a fresh semaphore into memory no other process can see yet. */
    public static void initialize(long address, long length, int initialPermits, int maxPermits) {
        if (length < LENGTH) {
            throw new IllegalArgumentException("a semaphore needs " + LENGTH + " bytes, not " + length);
        }
        SharedAtomics.zero(address, LENGTH);
        MEMORY.writeInt(address + MAX_OFFSET, maxPermits);
        MEMORY.writeInt(address + INITIAL_OFFSET, initialPermits);
        MEMORY.writeInt(address + TOTAL_OFFSET, initialPermits);
        MEMORY.writeInt(address + CAPACITY_OFFSET, CAPACITY);
        MEMORY.writeVolatileInt(address + AVAILABLE_OFFSET, initialPermits);
    }

    public int maxPermits() {
        return max;
    }

    public int initialPermits() {
        return initial;
    }

    /** Permits in the pool now; permits of dead holders count once they are recovered. */
    public int available() {
        return MEMORY.readVolatileInt(address + AVAILABLE_OFFSET);
    }

    /** Permits recovered from dead holders since the semaphore was created, across all processes. */
    public long recovered() {
        return MEMORY.readVolatileLong(address + RECOVERED_OFFSET);
    }

    /**
     * Takes a free holder record for this process.
     *
     * @return its index
     * @throws io.shmstore.TooManyHandlesException when every record belongs to a live process
     */
    public int claimSlot() {
        for (int attempt = 0; attempt < 2; attempt++) {
            lock();
            try {
                for (int i = 0; i < CAPACITY; i++) {
                    long at = holder(i);
                    if (MEMORY.readVolatileLong(at) == 0) {
                        MEMORY.writeOrderedInt(at + HOLDER_HELD_OFFSET, 0);
                        MEMORY.writeOrderedLong(at, self);
                        return i;
                    }
                }
            } finally {
                unlock();
            }
            reclaimDead();
        }
        throw new io.shmstore.TooManyHandlesException("cannot open " + name + ": all " + CAPACITY + " holder records"
                + " belong to live processes; each process that has it open takes one: close the handles you no longer use");
    }

    /**
     * Gives this process's record up (its last handle here closes): the permits it still holds go back to
     * the pool and are reported as recovered, as if the process had exited.
     *
     * @return the permits given back
     */
    public int freeSlot(int slot) {
        int back;
        lock();
        try {
            long at = holder(slot);
            if (MEMORY.readVolatileLong(at) != self) {
                return 0;
            }
            back = returnHeld(at);
            MEMORY.writeOrderedLong(at, 0);
        } finally {
            unlock();
        }
        wakeIfWaited(back);
        return back;
    }

    /**
     * Takes {@code permits} if the pool has them, for the process record {@code slot}.
     *
     * @param report whether to take the count of recovered permits not yet reported
     * @return the recovered permits reported to this acquire (0 when none, or not asked), or -1 when the
     *         pool has too few
     */
    public int tryTake(int slot, int permits, boolean report) {
        if (MEMORY.readVolatileInt(address + AVAILABLE_OFFSET) < permits) {
            return -1;
        }
        lock();
        try {
            int available = MEMORY.readVolatileInt(address + AVAILABLE_OFFSET);
            if (available < permits) {
                return -1;
            }
            long at = holder(slot);
            MEMORY.writeOrderedInt(at + HOLDER_HELD_OFFSET, MEMORY.readVolatileInt(at + HOLDER_HELD_OFFSET) + permits);
            MEMORY.writeOrderedInt(address + AVAILABLE_OFFSET, available - permits);
            if (!report) {
                return 0;
            }
            int unreported = MEMORY.readVolatileInt(address + UNREPORTED_OFFSET);
            if (unreported != 0) {
                MEMORY.writeOrderedInt(address + UNREPORTED_OFFSET, 0);
            }
            return Math.max(unreported, 0);
        } finally {
            unlock();
        }
    }

    /**
     * Waits up to {@code timeoutNanos} for {@code permits}, recovering those of dead holders meanwhile.
     *
     * @return as {@link #tryTake}: the recovered permits reported, or -1 on time-out
     * @throws IllegalStateException when the handle is closed while this thread waits
     */
    public int take(int slot, int permits, long timeoutNanos, boolean report) {
        int got = tryTake(slot, permits, report);
        if (got >= 0) {
            return got;
        }
        // only differences of nanoTime are compared, so a deadline that overflows (a timeout of
        // Long.MAX_VALUE) still leaves a positive time left
        long deadline = System.nanoTime() + Math.max(0, timeoutNanos);
        while (true) {
            if (cancelled) {
                throw new IllegalStateException(name + " was closed while this thread waited for it");
            }
            if (livenessCheckDue()) {
                reclaimDead();
                got = tryTake(slot, permits, report);
                if (got >= 0) {
                    return got;
                }
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return -1;
            }
            int seen = MEMORY.readVolatileInt(address + AVAILABLE_OFFSET);
            if (seen >= permits) {
                got = tryTake(slot, permits, report);
                if (got >= 0) {
                    return got;
                }
                continue;
            }
            SharedAtomics.addInt(address + WAITERS_OFFSET, 1);
            try {
                if (MEMORY.readVolatileInt(address + AVAILABLE_OFFSET) == seen && !cancelled) {
                    waiter.await(address + AVAILABLE_OFFSET, seen, Math.min(left, LockWord.LIVENESS_CHECK_NANOS));
                }
            } finally {
                SharedAtomics.addInt(address + WAITERS_OFFSET, -1);
            }
        }
    }

    /**
     * Gives {@code permits} back for the process record {@code slot}: those it holds first, then new ones.
     *
     * @throws SemaphoreFullException naming the counts when the new ones would make more than max permits
     */
    public void release(int slot, int permits) {
        lock();
        try {
            long at = holder(slot);
            int held = MEMORY.readVolatileInt(at + HOLDER_HELD_OFFSET);
            int own = Math.min(permits, Math.max(held, 0));
            int extra = permits - own;
            int total = MEMORY.readVolatileInt(address + TOTAL_OFFSET);
            if (extra > 0 && (long) total + extra > max) {
                throw new SemaphoreFullException("cannot release " + permits + " permits of " + name + ": this process holds "
                        + Math.max(held, 0) + ", so " + extra + " would be new, making " + ((long) total + extra)
                        + " permits, more than its max of " + max + " (" + available() + " available, "
                        + (total - available()) + " held)");
            }
            MEMORY.writeOrderedInt(at + HOLDER_HELD_OFFSET, held - own);
            if (extra > 0) {
                MEMORY.writeOrderedInt(address + TOTAL_OFFSET, total + extra);
            }
            MEMORY.writeOrderedInt(address + AVAILABLE_OFFSET, MEMORY.readVolatileInt(address + AVAILABLE_OFFSET) + permits);
        } finally {
            unlock();
        }
        wakeIfWaited(permits);
    }

    /** Permits the process record {@code slot} holds. */
    public int held(int slot) {
        return MEMORY.readVolatileInt(holder(slot) + HOLDER_HELD_OFFSET);
    }

    /**
     * Makes threads waiting in {@link #take} through this object throw {@link IllegalStateException}. The
     * wake reaches this word's sleepers in every process; the others find too few permits and sleep again.
     */
    public void cancelWaits() {
        cancelled = true;
        waiter.wake(address + AVAILABLE_OFFSET, Integer.MAX_VALUE);
    }

    /**
     * Returns the permits of every recorded process that has died and frees its record. The liveness of
     * each is checked outside the lock (it reads {@code /proc}); a record is reclaimed under the lock only
     * if it still names the process found dead, whose word, with its start tag, no later process has.
     * With no dead record, a lock left by a dead owner (a thread of a live process) is taken anyway, so
     * that it is repaired: waiters, who otherwise take the lock only once enough permits look free, would
     * wait on a count that its owner left stale.
     *
     * @return the permits recovered from dead records
     */
    public int reclaimDead() {
        List<long[]> dead = new ArrayList<>();
        for (int i = 0; i < CAPACITY; i++) {
            long w = MEMORY.readVolatileLong(holder(i));
            if (w != 0 && w != self && !probe.isAlive(ProcessProbe.pidOf(w), ProcessProbe.tagOf(w))) {
                dead.add(new long[]{i, w});
            }
        }
        if (dead.isEmpty()) {
            if (lock.isAbandoned()) {
                int before = available();
                lock();
                unlock();
                wakeIfWaited(available() - before);
            }
            return 0;
        }
        int back = 0;
        lock();
        try {
            for (long[] d : dead) {
                long at = holder((int) d[0]);
                if (MEMORY.readVolatileLong(at) == d[1]) {
                    back += returnHeld(at);
                    MEMORY.writeOrderedLong(at, 0);
                }
            }
        } finally {
            unlock();
        }
        wakeIfWaited(back);
        return back;
    }

    /** The live holders, as "pid 1234 (2)" for each, for a time-out's message. */
    public String describeHolders() {
        StringBuilder sb = new StringBuilder();
        int shown = 0;
        for (int i = 0; i < CAPACITY && shown < 10; i++) {
            long at = holder(i);
            long w = MEMORY.readVolatileLong(at);
            int held = MEMORY.readVolatileInt(at + HOLDER_HELD_OFFSET);
            if (w != 0 && held > 0) {
                sb.append(shown++ == 0 ? "" : ", ").append("pid ").append(ProcessProbe.pidOf(w)).append(" (").append(held)
                        .append(')');
            }
        }
        return shown == 0 ? "no process" : sb.toString();
    }

    /** Pid of one process that holds permits, 0 when none does: what a time-out names as the owner. */
    public int someHolderPid() {
        for (int i = 0; i < CAPACITY; i++) {
            long at = holder(i);
            long w = MEMORY.readVolatileLong(at);
            if (w != 0 && w != self && MEMORY.readVolatileInt(at + HOLDER_HELD_OFFSET) > 0) {
                return ProcessProbe.pidOf(w);
            }
        }
        return 0;
    }

    /**
     * Moves a record's held permits back to the pool and reports them as recovered. Lock held. The
     * recovery counters come before {@code available}, which comes last as in every operation.
     */
    private int returnHeld(long at) {
        int held = MEMORY.readVolatileInt(at + HOLDER_HELD_OFFSET);
        MEMORY.writeOrderedInt(at + HOLDER_HELD_OFFSET, 0);
        if (held <= 0) {
            return 0;
        }
        MEMORY.writeOrderedInt(address + UNREPORTED_OFFSET, MEMORY.readVolatileInt(address + UNREPORTED_OFFSET) + held);
        MEMORY.writeOrderedLong(address + RECOVERED_OFFSET, MEMORY.readVolatileLong(address + RECOVERED_OFFSET) + held);
        MEMORY.writeOrderedInt(address + AVAILABLE_OFFSET, MEMORY.readVolatileInt(address + AVAILABLE_OFFSET) + held);
        return held;
    }

    /**
     * After a process died inside the lock: {@code available = total - sum(held)}, which every prefix of
     * an operation's stores leaves consistent (see the class comment). Lock held.
     *
     * @throws StoreCorruptedException when the records contradict each other, which no crash can cause
     */
    void repair() {
        long held = 0;
        for (int i = 0; i < CAPACITY; i++) {
            int h = MEMORY.readVolatileInt(holder(i) + HOLDER_HELD_OFFSET);
            if (h < 0) {
                throw new StoreCorruptedException(name + " is damaged: holder record " + i + " holds " + h + " permits");
            }
            held += h;
        }
        int total = MEMORY.readVolatileInt(address + TOTAL_OFFSET);
        if (total < 0 || total > max || held > total) {
            throw new StoreCorruptedException(name + " is damaged: " + total + " permits in all (max " + max + "), "
                    + held + " of them held");
        }
        int available = (int) (total - held);
        if (MEMORY.readVolatileInt(address + AVAILABLE_OFFSET) != available) {
            MEMORY.writeOrderedInt(address + AVAILABLE_OFFSET, available);
        }
    }

    private boolean livenessCheckDue() {
        long now = System.nanoTime();
        if (checkedOnce && now - lastLivenessCheck < LockWord.LIVENESS_CHECK_NANOS) {
            return false;
        }
        checkedOnce = true;
        lastLivenessCheck = now;
        return true;
    }

    private void lock() {
        if (lock.acquire(LOCK_TIMEOUT_NANOS) == Ownership.ABANDONED) {
            try {
                repair();
            } catch (RuntimeException e) {
                lock.release();
                throw e;
            }
        }
    }

    private void unlock() {
        lock.release();
    }

    private void wakeIfWaited(int raised) {
        if (raised > 0 && MEMORY.readVolatileInt(address + WAITERS_OFFSET) > 0) {
            waiter.wake(address + AVAILABLE_OFFSET, Integer.MAX_VALUE);
        }
    }

    private long holder(int index) {
        return address + HOLDERS_OFFSET + (long) index * HOLDER_LENGTH;
    }
}
