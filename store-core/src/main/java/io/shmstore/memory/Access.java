package io.shmstore.memory;

/** How a handle or a view may use memory. */
public enum Access {
    /** Mapped read-only by the operating system; every write is refused with {@code ReadOnlyStoreException}. */
    READ_ONLY,
    /** Mapped for reading and writing. */
    READ_WRITE
}
