package io.shmstore.internal.platform;

/**
 * Fills a new object's user area before any other process can open it (on POSIX, before the
 * object's file is linked to its name; on Windows, before its header's magic is written).
 */
@FunctionalInterface
public interface Initializer {
    /**
     * @param address  the user area, mapped for writing, zero-filled
     * @param length   its length in bytes
     * @param objectId the new object's id (see {@link ObjectHeader#OBJECT_ID_OFFSET})
     * @param space    reserves and releases ranges of a sparse object (for any other, reserving does
     *                 nothing: all of it is)
     */
    void initialize(long address, long length, long objectId, Reservations space);
}
