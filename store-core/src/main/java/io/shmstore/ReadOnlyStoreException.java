package io.shmstore;

/**
 * A write was attempted through a read-only handle or view; it was refused before reaching memory.
 */
public class ReadOnlyStoreException extends StoreException {
    private static final long serialVersionUID = 1L;

    public ReadOnlyStoreException(String message) {
        super(message);
    }

    public ReadOnlyStoreException(String message, Throwable cause) {
        super(message, cause);
    }
}
