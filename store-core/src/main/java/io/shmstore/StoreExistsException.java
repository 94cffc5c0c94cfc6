package io.shmstore;

/**
 * An exclusive create found the name already taken by a live object.
 */
public class StoreExistsException extends StoreException {
    private static final long serialVersionUID = 1L;

    public StoreExistsException(String message) {
        super(message);
    }

    public StoreExistsException(String message, Throwable cause) {
        super(message, cause);
    }
}
