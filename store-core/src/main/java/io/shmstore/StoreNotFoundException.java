package io.shmstore;

/**
 * No object of that name (or at that path) exists, or the last process holding it has gone.
 */
public class StoreNotFoundException extends StoreException {
    private static final long serialVersionUID = 1L;

    public StoreNotFoundException(String message) {
        super(message);
    }

    public StoreNotFoundException(String message, Throwable cause) {
        super(message, cause);
    }
}
