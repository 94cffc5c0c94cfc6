package io.shmstore.internal.store;

import io.shmstore.StoreCorruptedException;
import io.shmstore.internal.sync.MemoryFaults;

/**
 * Whether an access to a store's mapping faulted: another process cut its file under the mapping.
 * From then on every operation of the store fails at once with {@link StoreCorruptedException}.
 *
 * <p>Why not go on with what is left: HotSpot raises such a fault late, at the thread's next
 * safepoint, which may fall anywhere, in the middle of a lock's release for one; an operation cut short
 * there can leave this process's record of a lock it held, and the next operation would fail in ways
 * that have nothing to do with the cut. The data past the cut is gone anyway; reopening checks the
 * file's length.
 */
final class FileCut {
    private final String what;
    private volatile boolean seen;

    /** @param what the store as messages name it, e.g. {@code store "orders"} */
    FileCut(String what) {
        this.what = what;
    }

    /** The typed exception for a fault of an access (other errors are rethrown); remembers the cut. */
    StoreCorruptedException fault(InternalError e) {
        StoreCorruptedException typed = MemoryFaults.corrupted(e, what);
        seen = true;
        return typed;
    }

    /** @throws StoreCorruptedException when an earlier access faulted */
    void check() {
        if (seen) {
            throw new StoreCorruptedException(what + ": an earlier access to its shared memory faulted (SIGBUS): its"
                    + " file was cut under the mapping by another process. Close the store; reopening checks the"
                    + " file's length");
        }
    }
}
