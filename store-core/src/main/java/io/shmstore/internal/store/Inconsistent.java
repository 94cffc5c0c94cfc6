package io.shmstore.internal.store;

/**
 * Something read from shared memory that cannot be true: a slot pointing outside the data, lengths
 * that overrun the segment, an impossible table index. A lock-free reader takes it for a race if the
 * seqlock moved and for damage if it did not; a writer holding the lock takes it for damage at once.
 * Never leaves the engine: callers turn it into {@link io.shmstore.StoreCorruptedException}.
 * Stackless, since it is thrown on the read path under races.
 */
final class Inconsistent extends RuntimeException {
    private static final long serialVersionUID = 1L;

    Inconsistent(String message) {
        super(message, null, false, false);
    }
}
