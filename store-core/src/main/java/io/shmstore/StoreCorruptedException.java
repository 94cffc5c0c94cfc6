package io.shmstore;

/**
 * Bytes read from a mapping fail their checks (bounds, sizes, checksums); nothing was trusted.
 */
public class StoreCorruptedException extends StoreException {
    private static final long serialVersionUID = 1L;

    public StoreCorruptedException(String message) {
        super(message);
    }

    public StoreCorruptedException(String message, Throwable cause) {
        super(message, cause);
    }
}
