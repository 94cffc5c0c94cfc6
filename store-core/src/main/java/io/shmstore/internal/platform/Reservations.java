package io.shmstore.internal.platform;

/**
 * Space in a sparse object (one created with {@link ObjectSpec#sparse()}): its size is the most it may
 * use, its holes read as zeros, and only reserved ranges are backed. A caller reserves a range before
 * it writes there, so that a full file system fails the reservation with a typed exception and not a
 * later write with SIGBUS, and releases a range it no longer uses, so that its pages are given back.
 * Offsets are in the user area.
 */
public interface Reservations {
    /**
     * Backs {@code [offset, offset + length)} with storage; its content does not change.
     *
     * @throws io.shmstore.StoreFullException when the file system has no room for it
     */
    void reserve(long offset, long length);

    /**
     * Gives the storage of {@code [offset, offset + length)} back: the range reads as zeros from now on,
     * in every process. Returns false where the platform cannot (the range then keeps its content and
     * its space); the caller must not rely on the zeros either way.
     */
    boolean release(long offset, long length);
}
