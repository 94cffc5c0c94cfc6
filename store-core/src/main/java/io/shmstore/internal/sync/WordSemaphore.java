package io.shmstore.internal.sync;

import io.shmstore.LockTimeoutException;
import io.shmstore.memory.Permits;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * A {@link SemaphoreHandle} on a {@link SemaphoreWord}: a named semaphore on POSIX.
 *
 * <p><b>One record per process.</b> Permits are held by processes, not threads (as with
 * {@link java.util.concurrent.Semaphore}, any thread may release), so every handle on the same word in
 * this process shares one holder record of the word, found by the word's identity. The first handle
 * claims it; when the last one closes, the process gives it up, and the permits it still holds go back
 * to the pool, reported as recovered, as if the process had exited.
 *
 * <p><b>Closing while in use.</b> Every call is a use of the handle's {@link Lifecycle}; {@link #close()}
 * makes waiters throw {@link IllegalStateException}, waits up to {@link LockWordMutex#CLOSE_WAIT_NANOS}
 * for the calls in flight, and otherwise leaves the unmap to the last of them. Every call after it throws
 * {@link IllegalStateException}. Holding permits keeps no use: the permits stay with the process's record
 * (released through another handle, or given back with the record).
 */
public final class WordSemaphore implements SemaphoreHandle {
    private static final ConcurrentHashMap<Object, ProcessRecord> RECORDS = new ConcurrentHashMap<>();

    private final SemaphoreWord word;
    private final LocalOwner lockOwner;
    private final Object key;
    private final ProcessRecord record;
    /** The record's index in the word, fixed while any handle on it in this process is open. */
    private final int slot;
    private final String name;
    private final Runnable onClose;
    private final Lifecycle life;

    /** This process's holder record of one word, shared by its handles here. */
    private static final class ProcessRecord {
        int handles;
        int slot = -1;
    }

    /**
     * @param address the word, 8-byte aligned, {@link SemaphoreWord#LENGTH} bytes of a shared writable mapping
     * @param key     identity of the word (object id and offset), the same for every handle on it; it also
     *                keys the {@link LocalOwner} of the word's lock
     * @param onClose releases what backs the address, after this handle's last use
     * @throws io.shmstore.IncompatibleStoreException naming both when the word has other permit counts
     */
    public WordSemaphore(long address, Object key, String name, int initialPermits, int maxPermits, Waiter waiter,
                         ProcessProbe probe, Runnable onClose) {
        this.key = key;
        this.name = name;
        this.onClose = onClose;
        this.lockOwner = LocalOwner.register(key);
        try {
            this.word = new SemaphoreWord(address, initialPermits, maxPermits, waiter, probe, lockOwner, name);
            this.record = RECORDS.compute(key, (k, v) -> {
                ProcessRecord r = v == null ? new ProcessRecord() : v;
                r.handles++;
                return r;
            });
            try {
                synchronized (record) {
                    if (record.slot < 0) {
                        record.slot = word.claimSlot();
                    }
                    this.slot = record.slot;
                }
            } catch (RuntimeException e) {
                dropRecord();
                throw e;
            }
        } catch (RuntimeException e) {
            lockOwner.unregister();
            throw e;
        }
        this.life = Lifecycle.single(name);
    }

    @Override
    public Permits acquire(int permits, long timeoutNanos) {
        int use = life.enter();
        try {
            int recovered = word.take(slot, permits, timeoutNanos, true);
            if (recovered < 0) {
                throw new LockTimeoutException("timed out after " + TimeUnit.NANOSECONDS.toMillis(Math.max(timeoutNanos, 0))
                        + " ms waiting for " + permits + " of the " + word.maxPermits() + " permits of " + name + ": "
                        + word.available() + " available, held by " + word.describeHolders(), word.someHolderPid());
            }
            return new Permits(permits, recovered);
        } finally {
            life.exit(use);
        }
    }

    @Override
    public boolean tryAcquire(int permits, long timeoutNanos) {
        int use = life.enter();
        try {
            return word.take(slot, permits, timeoutNanos, false) >= 0;
        } finally {
            life.exit(use);
        }
    }

    @Override
    public void release(int permits) {
        int use = life.enter();
        try {
            word.release(slot, permits);
        } finally {
            life.exit(use);
        }
    }

    @Override
    public int availablePermits() {
        int use = life.enter();
        try {
            return word.available();
        } finally {
            life.exit(use);
        }
    }

    @Override
    public int maxPermits() {
        return word.maxPermits();
    }

    @Override
    public int initialPermits() {
        return word.initialPermits();
    }

    @Override
    public int heldByThisProcess() {
        int use = life.enter();
        try {
            return word.held(slot);
        } finally {
            life.exit(use);
        }
    }

    @Override
    public long recoveredPermits() {
        int use = life.enter();
        try {
            return word.recovered();
        } finally {
            life.exit(use);
        }
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public void close() {
        if (life.close(this::unmap)) {
            word.cancelWaits();
            life.awaitQuiet(LockWordMutex.CLOSE_WAIT_NANOS);
        }
    }

    /** After the last use: the last handle in this process gives the record up, then the word is unmapped. */
    private void unmap() {
        try {
            if (dropRecord()) {
                word.freeSlot(slot);
            }
        } finally {
            lockOwner.unregister();
            onClose.run();
        }
    }

    /** @return true when this was the process's last handle on the word (its record is no longer shared) */
    private boolean dropRecord() {
        boolean[] last = new boolean[1];
        RECORDS.computeIfPresent(key, (k, v) -> {
            if (v != record) {
                return v;
            }
            last[0] = --v.handles == 0;
            return last[0] ? null : v;
        });
        return last[0] && record.slot >= 0;
    }
}
