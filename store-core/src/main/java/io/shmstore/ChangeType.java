package io.shmstore;

/** What a change-feed record says happened to its key. */
public enum ChangeType {
    /** The key was written (put, replaced, computed, merged). */
    PUT(1),
    /** The key was removed. */
    REMOVE(2),
    /** The key's entry expired and was purged. */
    EXPIRE(3),
    /** The key's entry was evicted to make room ({@code FullPolicy.EVICT}). */
    EVICT(4),
    /** The whole store was cleared; the record carries no key. */
    CLEAR(5);

    private final int code;

    ChangeType(int code) {
        this.code = code;
    }

    /**
     * The value stored in a record (FORMAT.md).
     *
     * @return the code
     */
    public int code() {
        return code;
    }

    /**
     * The type with that code.
     *
     * @param code a record's code
     * @return the type, or null when no type has that code
     */
    public static ChangeType ofCode(int code) {
        for (ChangeType t : values()) {
            if (t.code == code) {
                return t;
            }
        }
        return null;
    }
}
