package io.shmstore.internal.platform.windows;

import io.shmstore.IncompatibleStoreException;
import io.shmstore.internal.platform.Names;
import io.shmstore.internal.platform.ObjectHeader;
import io.shmstore.internal.platform.ObjectSpec;
import io.shmstore.memory.Lifetime;
import net.openhft.chronicle.core.Memory;
import net.openhft.chronicle.core.OS;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Writing and checking the {@link ObjectHeader} of a region on Windows.
 *
 * <p>On POSIX a creator finishes the header under a temporary name before linking it into place.
 * Windows has no such step: a named section is visible from the moment {@code CreateFileMapping}
 * returns, and a new file from the moment {@code CreateFile} does. Both start zero-filled, so the
 * creator writes every other field first and the magic last, with an ordered store; an opener that
 * still finds a zero magic waits for it, for at most {@link #READY_WAIT_NANOS}.
 *
 * <p>A sparse section ({@code SEC_RESERVE}) is visible before its creator has committed the header's
 * pages, and reading an uncommitted page faults: so an opener asks {@code VirtualQuery} whether the
 * header is committed before it reads the magic, and waits the same way while it is not.
 */
final class Headers {
    /** How long an opener waits for a creator to finish the header: creation takes microseconds. */
    static final long READY_WAIT_NANOS = TimeUnit.SECONDS.toNanos(2);

    private static final long MIN_PAUSE_NANOS = 20_000;
    private static final long MAX_PAUSE_NANOS = 1_000_000;

    private static final Memory MEMORY = OS.memory();

    private Headers() {
    }

    /**
     * Writes the header of a new object, runs {@code beforeMagic} (the user area's initializer) and
     * writes the magic last; the attach table stays empty on Windows.
     */
    static void write(long a, ObjectSpec spec, long creatorWord, java.util.function.LongConsumer beforeMagic) {
        ObjectHeader.write(a, spec, creatorWord, false, beforeMagic);
    }

    /**
     * Waits until the header at {@code a} is complete, then checks it against {@code spec} (see
     * {@link ObjectHeader#check}).
     *
     * @param available bytes behind the header's object (file size), or -1 when Windows cannot say
     */
    static void awaitAndCheck(long a, ObjectSpec spec, long available) {
        awaitMagic(a, spec);
        ObjectHeader.check(a, spec, Names.quote(spec.displayName()), available);
    }

    /**
     * True when {@code destroy()} marked the object at {@code a}: on Windows a memory-only object's
     * name lasts until its last handle closes, and this mark tells the processes that still find it
     * that it is gone for good.
     */
    static boolean destroyed(long a) {
        return MEMORY.readVolatileInt(a + ObjectHeader.STATE_OFFSET) == ObjectHeader.STATE_REMOVED;
    }

    /** Marks the object at {@code a} destroyed; it never becomes ready again. */
    static void markDestroyed(long a) {
        MEMORY.writeVolatileInt(a + ObjectHeader.STATE_OFFSET, ObjectHeader.STATE_REMOVED);
    }

    static long userSize(long a) {
        return ObjectHeader.userSize(a);
    }

    static Lifetime lifetime(long a) {
        return ObjectHeader.lifetime(a);
    }

    /**
     * The magic once it is non-zero. Zero, or a header not committed yet, means a creator is still
     * writing; any other value is final (ours, or a foreign object's), so only those are waited on.
     */
    private static long awaitMagic(long a, ObjectSpec spec) {
        long deadline = System.nanoTime() + READY_WAIT_NANOS;
        long pause = MIN_PAUSE_NANOS;
        long magic;
        while ((magic = Win32.committed(a) ? MEMORY.readVolatileLong(a + ObjectHeader.MAGIC_OFFSET) : 0) == 0) {
            if (System.nanoTime() - deadline >= 0) {
                throw new IncompatibleStoreException(Names.quote(spec.displayName()) + " is not a ready ShmStore"
                        + " object: its header was still empty after " + TimeUnit.NANOSECONDS.toMillis(READY_WAIT_NANOS)
                        + " ms (its creator may have died while creating it, or it is not ours)");
            }
            LockSupport.parkNanos(pause);
            pause = Math.min(pause * 2, MAX_PAUSE_NANOS);
        }
        return magic;
    }
}
