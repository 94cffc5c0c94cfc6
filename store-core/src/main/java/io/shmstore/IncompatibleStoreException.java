package io.shmstore;

/**
 * The name or file holds something else: another object type, another format version, other types or codecs, or not a ShmStore object at all.
 */
public class IncompatibleStoreException extends StoreException {
    private static final long serialVersionUID = 1L;

    public IncompatibleStoreException(String message) {
        super(message);
    }

    public IncompatibleStoreException(String message, Throwable cause) {
        super(message, cause);
    }
}
