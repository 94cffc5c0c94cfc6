package io.shmstore.internal.platform.posix;

import io.shmstore.internal.platform.ObjectSpec;
import io.shmstore.memory.Access;
import io.shmstore.memory.Lifetime;

import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One handle on an unnamed mapping: an open file that no name leads to (a memfd on Linux, an unlinked
 * file on the portable backend), whose header was checked when the handle was made.
 *
 * <p>No attach table: the kernel counts the descriptors and mappings of the file in every process and
 * frees it after the last, whether its processes close them or die. The descriptor is also what a
 * handover's token names ({@code /proc/<pid>/fd/<n>}), so it has holds: this handle's, and one per
 * handover that waits for its receiver ({@link #hold()}); the descriptor closes when the last is let go.
 * Closing the handle lets its own hold go and refuses new views and handovers; views already mapped stay
 * valid until they are closed.
 */
final class UnnamedRegion extends FileRegion {
    private int holds = 1;
    private boolean closed;

    UnnamedRegion(PosixBackend backend, ObjectSpec spec, FileOps.Handle file, Access access, boolean created,
                  long userSize, long objectId) {
        super(backend, spec, file, access, created, userSize, Lifetime.UNTIL_LAST_CLOSE, objectId,
                ObjectSpec.unnamedName(objectId));
    }

    /** The descriptor a token names. */
    int descriptor() {
        return file.descriptor();
    }

    /**
     * Keeps the descriptor open for a handover until the returned action runs (once; later runs do
     * nothing).
     *
     * @throws IllegalStateException when this handle is closed
     */
    synchronized Runnable hold() {
        checkOpen();
        holds++;
        AtomicBoolean done = new AtomicBoolean();
        return () -> {
            if (done.compareAndSet(false, true)) {
                letGo();
            }
        };
    }

    private synchronized void letGo() {
        if (--holds == 0) {
            file.close();
        }
    }

    /** Lets this handle's hold go; the memory goes with the last descriptor and mapping anywhere. Idempotent. */
    @Override
    public synchronized void close() {
        if (!closed) {
            closed = true;
            letGo();
        }
    }

    /** There is no name to remove: the same as {@link #close()}. */
    @Override
    public void destroy() {
        close();
    }

    @Override
    protected void checkOpen() {
        if (closed) {
            throw new IllegalStateException(name() + " is closed");
        }
    }
}
