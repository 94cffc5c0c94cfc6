package io.shmstore.internal.platform;

/**
 * The type tag every named object carries in its header. Mappings, mutexes, events and semaphores
 * share one namespace; opening a name as the wrong type fails with {@code IncompatibleStoreException}.
 */
public enum ObjectType {
    MEMORY(1, "memory mapping", "a"),
    MUTEX(2, "mutex", "a"),
    EVENT(3, "event", "an"),
    SEMAPHORE(4, "semaphore", "a");

    private final int tag;
    private final String label;
    private final String article;

    ObjectType(int tag, String label, String article) {
        this.tag = tag;
        this.label = label;
        this.article = article;
    }

    /** The value stored in {@link ObjectHeader#TYPE_OFFSET}. */
    public int tag() {
        return tag;
    }

    /** The type with that tag, or {@code null} for an unknown tag. */
    public static ObjectType ofTag(int tag) {
        for (ObjectType t : values()) {
            if (t.tag == tag) {
                return t;
            }
        }
        return null;
    }

    /** Name for messages: "memory mapping", "mutex", "event", "semaphore". */
    public String label() {
        return label;
    }

    /** The label with its article: "a mutex", "an event". */
    public String withArticle() {
        return article + " " + label;
    }
}
