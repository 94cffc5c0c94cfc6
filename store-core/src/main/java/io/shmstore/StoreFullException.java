package io.shmstore;

/**
 * Space ran out: the store's capacity, or the file system that backs a mapping. (A full attach table
 * is {@link TooManyHandlesException}: leaking handles, not a lack of space.)
 */
public class StoreFullException extends StoreException {
    private static final long serialVersionUID = 1L;

    /**
     * An exception with this message.
     *
     * @param message what happened, naming the values involved and what to do
     */
    public StoreFullException(String message) {
        super(message);
    }

    /**
     * An exception with this message and cause.
     *
     * @param message what happened, naming the values involved and what to do
     * @param cause   the failure underneath
     */
    public StoreFullException(String message, Throwable cause) {
        super(message, cause);
    }
}
