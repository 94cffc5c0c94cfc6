package io.shmstore.internal.platform;

import io.shmstore.memory.Access;
import io.shmstore.memory.Lifetime;

/**
 * A backend's handle on one named mapping: its user area (the bytes after the object header) can be
 * mapped in ranges. Offsets given to {@link #map} are relative to the user area.
 *
 * <p>Implementations are thread-safe. {@link #close()} detaches this handle: under
 * {@link Lifetime#UNTIL_LAST_CLOSE} the last live handle across all processes removes the name.
 */
public interface Region extends Reservations {
    /** Object name, or the file path of a file-backed mapping. */
    String name();

    /** Size of the user area in bytes. */
    long size();

    /** The access this handle was opened with; views can never exceed it. */
    Access access();

    Lifetime lifetime();

    /** The object's id from its header: tells apart objects that had the same name. */
    long objectId();

    /** True when this handle created the object, false when it opened an existing one. */
    boolean created();

    /** Maps {@code length} bytes at {@code offset} of the user area. Bounds are checked by the caller. */
    Mapping map(long offset, long length, Access access);

    /** Detaches; idempotent. */
    void close();

    /** Removes the name now (other handles keep their mappings), then closes this handle. */
    void destroy();
}
