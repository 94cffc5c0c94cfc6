package io.shmstore.memory;

/** How a mutex was acquired. */
public enum Ownership {
    /** Acquired from a live owner that released it, or it was free. */
    ACQUIRED,
    /**
     * The previous owner died while holding it (like Windows' {@code WAIT_ABANDONED} or POSIX
     * {@code EOWNERDEAD}). The caller owns it now and must check the data it guards.
     */
    ABANDONED
}
