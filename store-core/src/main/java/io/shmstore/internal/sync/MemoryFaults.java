package io.shmstore.internal.sync;

import io.shmstore.StoreCorruptedException;

/**
 * The error HotSpot raises when an Unsafe access touches a mapped page that has no backing any more
 * (SIGBUS: the file was truncated while mapped), as the typed exception of a damaged mapping.
 *
 * <p>In compiled code the error is asynchronous: the faulting load is skipped (it yields garbage) and
 * the error is thrown at a later safepoint of the same thread. So it is caught where an operation on
 * shared memory ends, and the garbage it may have read before is already handled as damage by the
 * checks every read goes through ({@link SharedAtomics} keeps the atomics from faulting in the VM).
 */
public final class MemoryFaults {
    private MemoryFaults() {
    }

    /**
     * Raises the error of an earlier guarded access that faulted, if any, here rather than somewhere
     * in the caller's code. The interpreter raises it only when the thread next returns from a runtime
     * call into the VM (not on return from the Unsafe native itself), and allocating an array is such a
     * call there. In compiled code the dead allocation is removed: there the error comes at the next
     * safepoint the thread stops at, and a faulting atomic is skipped, not fatal, because the method
     * is marked as doing unsafe access.
     */
    @SuppressWarnings("unused")
    public static void raisePending() {
        byte[] runtimeCall = new byte[0];
    }

    /** True for HotSpot's "a fault occurred in a (recent) unsafe memory access operation". */
    public static boolean isFault(Throwable t) {
        return t instanceof InternalError && t.getMessage() != null && t.getMessage().contains("unsafe memory access");
    }

    /**
     * The typed exception for a fault on the mapping of {@code what}; rethrows any other error.
     *
     * @param what names the object, e.g. {@code store "orders"}
     */
    public static StoreCorruptedException corrupted(InternalError e, String what) {
        if (!isFault(e)) {
            throw e;
        }
        return new StoreCorruptedException(what + ": a read or write of its shared memory faulted (SIGBUS): the file"
                + " behind the mapping is shorter than the mapping, so another process truncated it while it was open;"
                + " the data past the cut is gone. Close the store; reopening checks the file's length", e);
    }
}
