package io.shmstore.internal.store;

/**
 * Storage for a range of the store's mapping (offsets from the store's start): reserved before it is
 * written, given back when no longer used. Over a {@code MemoryView} of a sparse mapping (see
 * {@code SharedMemory.Builder#sparse()}).
 */
interface SegmentSpace {
    /** @throws io.shmstore.StoreFullException when the file system has no room */
    void reserve(long offset, long length);

    /** False where the platform cannot give storage back. */
    boolean release(long offset, long length);
}
