package io.shmstore;

/**
 * Root of every condition ShmStore reports. Each subclass is one condition a caller can act on;
 * the message always names the object and the offending value.
 */
public class StoreException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public StoreException(String message) {
        super(message);
    }

    public StoreException(String message, Throwable cause) {
        super(message, cause);
    }
}
