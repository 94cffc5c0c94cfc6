package io.shmstore.memory;

import java.time.Instant;
import java.util.List;

/**
 * What {@link SharedMemory#list()} reports about one named object.
 *
 * @param name         the object's name
 * @param type         "memory mapping", "mutex", "event", or "not a ShmStore object" for a foreign file,
 *                     followed by what it is when it is not a regular file ("not a ShmStore object: FIFO")
 * @param size         bytes of its user area (0 when unknown)
 * @param lifetime     its lifetime, or null when unknown
 * @param owner        the user that owns it: a user name, or the numeric id of a user without one; null
 *                     when unknown
 * @param creatorPid   the process that created it
 * @param createdAt    when it was created
 * @param attachedPids the live processes that have it open, one entry per open handle
 */
public record NamedObjectInfo(String name, String type, long size, Lifetime lifetime, String owner, long creatorPid,
                              Instant createdAt, List<Long> attachedPids) {
    /**
     * The report; {@code attachedPids} is copied.
     *
     * @param name         the object's name
     * @param type         what it is
     * @param size         bytes of its user area
     * @param lifetime     its lifetime, or null
     * @param owner        the user that owns it, or null
     * @param creatorPid   the process that created it
     * @param createdAt    when it was created
     * @param attachedPids the live processes that have it open
     */
    public NamedObjectInfo {
        attachedPids = List.copyOf(attachedPids);
    }

    /**
     * True for an {@link Lifetime#UNTIL_LAST_CLOSE} object that no live process has open: every process
     * that had it open exited without closing it. The next process that opens or creates the name
     * removes it; listing it does not.
     *
     * @return whether it is orphaned
     */
    public boolean orphaned() {
        return lifetime == Lifetime.UNTIL_LAST_CLOSE && attachedPids.isEmpty();
    }
}
