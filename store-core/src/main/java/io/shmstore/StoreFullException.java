package io.shmstore;

/**
 * Space ran out: the store's capacity, an attach table, or the file system that backs a mapping.
 */
public class StoreFullException extends StoreException {
    private static final long serialVersionUID = 1L;

    public StoreFullException(String message) {
        super(message);
    }

    public StoreFullException(String message, Throwable cause) {
        super(message, cause);
    }
}
