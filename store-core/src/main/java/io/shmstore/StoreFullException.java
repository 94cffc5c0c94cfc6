package io.shmstore;

/**
 * Space ran out: the store's capacity, or the file system that backs a mapping. (A full attach table
 * is {@link TooManyHandlesException}: leaking handles, not a lack of space.)
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
