package io.shmstore;

/**
 * No object of that name (or at that path) exists, or the last process holding it has gone.
 */
public class StoreNotFoundException extends StoreException {
    private static final long serialVersionUID = 1L;

    /**
     * An exception with this message.
     *
     * @param message what happened, naming the values involved and what to do
     */
    public StoreNotFoundException(String message) {
        super(message);
    }

    /**
     * An exception with this message and cause.
     *
     * @param message what happened, naming the values involved and what to do
     * @param cause   the failure underneath
     */
    public StoreNotFoundException(String message, Throwable cause) {
        super(message, cause);
    }
}
