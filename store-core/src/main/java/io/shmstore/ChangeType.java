package io.shmstore;

/** What a change-feed record says happened to its key. */
public enum ChangeType {
    PUT(1),
    REMOVE(2),
    EXPIRE(3),
    EVICT(4),
    /** The whole store was cleared; the record carries no key. */
    CLEAR(5);

    private final int code;

    ChangeType(int code) {
        this.code = code;
    }

    /** The value stored in a record (FORMAT.md). */
    public int code() {
        return code;
    }

    /** The type with that code, or null. */
    public static ChangeType ofCode(int code) {
        for (ChangeType t : values()) {
            if (t.code == code) {
                return t;
            }
        }
        return null;
    }
}
