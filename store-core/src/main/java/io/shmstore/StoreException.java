package io.shmstore;

/**
 * Root of every condition ShmStore reports. Each subclass is one condition a caller can act on;
 * the message always names the object and the offending value.
 */
public class StoreException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /**
     * An exception with this message.
     *
     * @param message what happened, naming the values involved and what to do
     */
    public StoreException(String message) {
        super(message);
    }

    /**
     * An exception with this message and cause.
     *
     * @param message what happened, naming the values involved and what to do
     * @param cause   the failure underneath
     */
    public StoreException(String message, Throwable cause) {
        super(message, cause);
    }
}
