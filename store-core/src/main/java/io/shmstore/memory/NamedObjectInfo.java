package io.shmstore.memory;

import java.time.Instant;
import java.util.List;

/**
 * What {@link SharedMemory#list()} reports about one named object.
 *
 * @param name         the object's name
 * @param type         "memory mapping", "mutex", "event", or "not a ShmStore object" for a foreign file
 * @param size         bytes of its user area (0 when unknown)
 * @param lifetime     its lifetime, or null when unknown
 * @param creatorPid   the process that created it
 * @param createdAt    when it was created
 * @param attachedPids the live processes that have it open, one entry per open handle
 */
public record NamedObjectInfo(String name, String type, long size, Lifetime lifetime, long creatorPid,
                              Instant createdAt, List<Long> attachedPids) {
    public NamedObjectInfo {
        attachedPids = List.copyOf(attachedPids);
    }
}
