package io.shmstore.internal.store;

import io.shmstore.ChangeCursor;
import io.shmstore.ChangeListener;
import io.shmstore.ChangeType;
import io.shmstore.Codec;
import io.shmstore.StoreCorruptedException;
import io.shmstore.internal.sync.Lifecycle;
import io.shmstore.internal.sync.MemoryFaults;
import io.shmstore.memory.Processes;
import net.openhft.chronicle.bytes.Bytes;

import java.time.Duration;
import java.util.Objects;

/**
 * One reader's position in a {@link ChangeRing}, with the key codec that turns a record's key bytes
 * back into a key. It copies each record before trusting it (see {@link ChangeRing#read}).
 *
 * <p><b>Records it cannot deliver</b> are reported to the listener as lost ({@code onLapped}), never
 * waited for without end and never delivered half-written: records overwritten before it got to them
 * (it fell a lap behind), a record whose writer died mid-append (found dead after
 * {@link #LIVENESS_AFTER_NANOS}), a record still incomplete after {@link #GIVE_UP_NANOS} (its writer
 * died before marking it, or is stopped), and a complete record whose fields fail their checksum (a
 * writer more than a lap late wrote into it).
 *
 * <p><b>Closing</b>: every call is a use of the cursor's own {@link Lifecycle} (its buffers) and of
 * the store's (its mapping). A close of either wakes or waits out the call in flight; {@code await}
 * then returns false.
 */
final class FeedCursor<K> implements ChangeCursor<K> {
    /** An incomplete record is waited for this long before its writer's liveness is checked. */
    static final long LIVENESS_AFTER_NANOS = 1_000_000L;
    /** An incomplete record is given up for lost after this long, whatever its writer's state. */
    static final long GIVE_UP_NANOS = 1_000_000_000L;
    /** Longest sleep: a sleeper rechecks liveness and closing this often. */
    private static final long MAX_SLEEP_NANOS = 100_000_000L;
    /** A read-only sleeper is not counted in {@code waiters}, so writers do not wake it: it polls. */
    private static final long READ_ONLY_POLL_NANOS = 1_000_000L;

    private final ChangeRing ring;
    private final Codec<K> keyCodec;
    private final Lifecycle store;
    private final Lifecycle life;
    private final Bytes<Void> copy;
    private final Bytes<Void> key;
    private long next;
    private long lost;
    /** The sequence this cursor found incomplete, and since when (nanoTime); -1 when none. */
    private long stalledAt = -1;
    private long stalledSince;

    FeedCursor(ChangeRing ring, Codec<K> keyCodec, long next) {
        this.ring = ring;
        this.keyCodec = keyCodec;
        this.store = ring.store();
        this.life = Lifecycle.single("change cursor of store \"" + ring.name() + "\"");
        this.copy = confined(Bytes.allocateElasticDirect(ChangeRing.FIELDS + ring.keyCapacity()));
        this.key = confined(Bytes.allocateElasticDirect(Math.max(1, ring.keyCapacity())));
        this.next = next;
    }

    /** One thread reads a cursor at a time, but not always the same one; its close may come from another. */
    private static Bytes<Void> confined(Bytes<Void> b) {
        b.singleThreadedCheckDisabled(true);
        return b;
    }

    @Override
    public int poll(ChangeListener<? super K> listener, int max) {
        Objects.requireNonNull(listener, "listener");
        long uses = enter();
        try {
            ring.checkNotCut();
            int delivered = deliver(listener, max);
            MemoryFaults.raisePending();
            return delivered;
        } catch (InternalError e) {
            throw ring.fault(e);
        } finally {
            exit(uses);
        }
    }

    private int deliver(ChangeListener<? super K> listener, int max) {
        int delivered = 0;
        while (delivered < max) {
            long tail = ring.tail();
            if (next >= tail) {
                break;
            }
            if (tail - next > ring.capacity()) {
                skip(listener, tail - ring.capacity() - next);
                continue;
            }
            int found = ring.read(next, copy);
            long writer = found == ChangeRing.COMPLETE ? ring.writerOfComplete(next) : 0;
            if (found == ChangeRing.COMPLETE && writer == 0) {
                found = ChangeRing.OVERWRITTEN; // meanwhile: the tail is a lap ahead, the next turn reports it lost
            }
            if (found == ChangeRing.COMPLETE) {
                deliver(listener, writer);
                delivered++;
            } else if (found == ChangeRing.DAMAGED) {
                skip(listener, 1);
            } else if (found == ChangeRing.INCOMPLETE && !givenUp(next)) {
                break;
            } else if (found == ChangeRing.INCOMPLETE) {
                skip(listener, 1);
            } else if (ring.tail() - next <= ring.capacity()) {
                // OVERWRITTEN: a later record's writer raised the tail a lap past next before it wrote;
                // a tail that says otherwise was changed from outside, and the loop would never end
                throw new StoreCorruptedException("change feed of store \"" + ring.name() + "\": the slot of record "
                        + next + " holds a later record, yet the tail is " + ring.tail());
            }
        }
        return delivered;
    }

    /** Delivers the record in {@code copy}, at {@code next}, written by process word {@code writer}, and moves past it. */
    private void deliver(ChangeListener<? super K> listener, long writer) {
        int code = ChangeRing.type(copy);
        int flags = ChangeRing.typeFlags(copy);
        int keyLength = ChangeRing.keyLength(copy);
        ChangeType type = ChangeType.ofCode(code);
        if (type == null || (flags & ~FeedLayout.REPLACED) != 0 || keyLength < -1 || keyLength > ring.keyCapacity()) {
            throw new StoreCorruptedException("change feed of store \"" + ring.name() + "\": record " + next
                    + " has type " + code + ", flags " + Integer.toHexString(flags) + " and key length " + keyLength);
        }
        K k = keyLength >= 0 && type != ChangeType.CLEAR ? decodeKey(keyLength) : null;
        long sequence = next++;
        stalledAt = -1;
        listener.onChange(sequence, type, k, Processes.pidOf(writer), (flags & FeedLayout.REPLACED) != 0);
    }

    /** Reports {@code n} records from {@code next} lost and moves past them. */
    private void skip(ChangeListener<? super K> listener, long n) {
        lost += n;
        next += n;
        stalledAt = -1;
        StoreLog.lost(ring.name(), n, next);
        listener.onLapped(n, next);
    }

    /**
     * True when record {@code n}, incomplete, is to be given up: its writer is known dead, or it has
     * stayed incomplete too long. Checks liveness only after a short wait, so a record caught in its
     * writer's few hundred nanoseconds costs no system call.
     */
    private boolean givenUp(long n) {
        long now = System.nanoTime();
        if (stalledAt != n) {
            stalledAt = n;
            stalledSince = now;
            return false;
        }
        long waited = now - stalledSince;
        if (waited >= GIVE_UP_NANOS) {
            return true;
        }
        if (waited < LIVENESS_AFTER_NANOS) {
            return false;
        }
        long writer = ring.writer(n);
        return writer != 0 && !Processes.isAlive(writer);
    }

    /**
     * The record's key bytes through the key codec. The bytes were copied consistently and hold their
     * checksum, and were written by the same codec (the header's fingerprint says so), so bytes that
     * do not decode are damage: the codec's own exception (Chronicle's BufferUnderflowException for a
     * length that overruns the bytes, for one) would escape the typed contract for a corrupt mapping.
     */
    private K decodeKey(int keyLength) {
        key.clear();
        key.write(copy, (long) ChangeRing.FIELDS, (long) keyLength);
        try {
            return keyCodec.read(key, null);
        } catch (RuntimeException e) {
            throw new StoreCorruptedException("change feed of store \"" + ring.name() + "\": the key of record " + next
                    + " (" + keyLength + " bytes) does not decode with codec " + keyCodec.id() + ": " + e, e);
        }
    }

    /**
     * Returns false when the store is closed while this waits (its close wakes the sleepers), or within
     * one sleep ({@value #MAX_SLEEP_NANOS} ns at most) when the cursor is.
     */
    @Override
    public boolean await(Duration timeout) {
        long uses = enter();
        try {
            ring.checkNotCut();
            boolean ready = awaitReady(timeout);
            MemoryFaults.raisePending();
            return ready;
        } catch (InternalError e) {
            throw ring.fault(e);
        } finally {
            exit(uses);
        }
    }

    /** Sleeps until {@link #poll} would deliver or report something, or the time runs out. */
    private boolean awaitReady(Duration timeout) {
        long deadline = System.nanoTime() + saturatedNanos(timeout);
        while (true) {
            long tail = ring.tail();
            if (ready(tail)) {
                return true;
            }
            long left = deadline - System.nanoTime();
            if (left <= 0 || store.isClosed() || life.isClosed()) {
                return false;
            }
            long slice = ring.writable() ? MAX_SLEEP_NANOS : READ_ONLY_POLL_NANOS;
            if (tail > next) {
                // the record at next is being written: sleep briefly, then see whether its writer lives
                slice = Math.min(slice, LIVENESS_AFTER_NANOS);
            }
            ring.sleep(tail, Math.min(left, slice));
        }
    }

    private boolean ready(long tail) {
        if (next >= tail) {
            return false;
        }
        if (tail - next > ring.capacity()) {
            return true;
        }
        int found = ring.read(next, copy);
        return found != ChangeRing.INCOMPLETE || givenUp(next);
    }

    private static long saturatedNanos(Duration d) {
        try {
            return Math.max(0, d.toNanos());
        } catch (ArithmeticException overflow) {
            return Long.MAX_VALUE / 2;
        }
    }

    @Override
    public long nextSequence() {
        life.checkOpen();
        return next;
    }

    @Override
    public long lost() {
        life.checkOpen();
        return lost;
    }

    /** Does not wait: a call in flight on another thread frees the buffers when it ends. */
    @Override
    public void close() {
        if (life.close(this::release)) {
            life.awaitQuiet(0);
        }
    }

    private void release() {
        copy.releaseLast();
        key.releaseLast();
    }

    /** One use of the cursor (its buffers) and one of the store (its mapping), as one token. */
    private long enter() {
        int mine = life.enter();
        try {
            return (long) mine << 32 | store.enter() & 0xFFFF_FFFFL;
        } catch (IllegalStateException closed) {
            life.exit(mine);
            throw closed;
        }
    }

    private void exit(long uses) {
        store.exit((int) uses);
        life.exit((int) (uses >>> 32));
    }
}
