package io.shmstore.tier;

/**
 * The tier's shared state: one page in a named mapping {@code <store>.tier} beside the host's store,
 * read by every process of the host on every read and written by the elected listener.
 *
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +---------------------------------------------------------------+
 *  |                 magic "SHMTIER1" (8 bytes)                    |  0
 *  +---------------------------------------------------------------+
 *  |                 epoch (8 bytes)                               |  8
 *  +---------------------------------------------------------------+
 *  |                 lease deadline, System.nanoTime (8 bytes)     | 16
 *  +---------------------------------------------------------------+
 *  |                 listener pid (8 bytes)                        | 24
 *  +---------------------------------------------------------------+
 *  |                 takeovers (8 bytes)                           | 32
 *  +---------------------------------------------------------------+
 *  |                 takeovers after a dead listener (8 bytes)     | 40
 *  +---------------------------------------------------------------+
 *  |                 keys invalidated (8 bytes)                    | 48
 *  +---------------------------------------------------------------+
 *  |                 Redis reads by the host (8 bytes)             | 56
 *  +---------------------------------------------------------------+
 *  |                 Redis writes by the host (8 bytes)            | 64
 *  +---------------------------------------------------------------+
 *  |                 nanoTime of the last invalidation (8 bytes)   | 72
 *  +---------------------------------------------------------------+
 * </pre>
 *
 * <p>Every field is little-endian, naturally aligned, and accessed atomically (volatile loads,
 * volatile stores or CAS). A fresh mapping is all zeros, which reads as "no listener, untrusted":
 * the magic is set by the first process that maps it (CAS from 0).
 *
 * <p><b>Visibility.</b> The <em>epoch</em> is odd while no listener holds a live invalidation stream
 * (nothing is served from the host) and even while one does; the listener makes it odd (a CAS) as
 * soon as a break is known, and a new even value once tracking is on again. A copy is served only when
 * its recorded epoch equals the current, even epoch and the current {@code System.nanoTime()} is
 * before the <em>lease deadline</em>. The listener stores a new deadline (volatile store, only ever
 * raised within one epoch) after every invalidation received before a {@code PING}'s reply has been
 * applied to the store; readers load the epoch, then the deadline (volatile loads). Epochs only grow:
 * a new listener starts above both the old epoch and the wall clock in milliseconds times 1,024, so a
 * copy from an earlier life of the mapping never matches.
 */
final class TierLayout {
    static final long MAGIC = 0x31524549544d4853L; // "SHMTIER1" little-endian
    static final int MAGIC_OFFSET = 0;
    static final int EPOCH_OFFSET = MAGIC_OFFSET + 8;
    static final int LEASE_OFFSET = EPOCH_OFFSET + 8;
    static final int LISTENER_PID_OFFSET = LEASE_OFFSET + 8;
    static final int TAKEOVERS_OFFSET = LISTENER_PID_OFFSET + 8;
    static final int ABANDONED_TAKEOVERS_OFFSET = TAKEOVERS_OFFSET + 8;
    static final int INVALIDATIONS_OFFSET = ABANDONED_TAKEOVERS_OFFSET + 8;
    static final int REDIS_READS_OFFSET = INVALIDATIONS_OFFSET + 8;
    static final int REDIS_WRITES_OFFSET = REDIS_READS_OFFSET + 8;
    static final int LAST_INVALIDATION_OFFSET = REDIS_WRITES_OFFSET + 8;
    static final int LENGTH = LAST_INVALIDATION_OFFSET + 8;
    /** The mapping's size: one page. */
    static final long SIZE = 4096;

    private TierLayout() {
    }

    /** Name of the state mapping beside store {@code store}. */
    static String stateName(String store) {
        return store + ".tier";
    }

    /** Name of the mutex the listening process holds. */
    static String listenerMutexName(String store) {
        return store + ".tier-listener";
    }
}
