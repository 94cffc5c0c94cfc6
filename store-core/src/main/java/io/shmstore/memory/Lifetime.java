package io.shmstore.memory;

/** When a named object's name goes away. */
public enum Lifetime {
    /** The name stays until {@code destroy()}; the default for file-backed mappings. */
    PERSISTENT,
    /**
     * The name is removed when the last live process closes it, as Windows does for its kernel objects.
     * Processes that died without closing count as closed. The default for memory-only mappings.
     */
    UNTIL_LAST_CLOSE
}
