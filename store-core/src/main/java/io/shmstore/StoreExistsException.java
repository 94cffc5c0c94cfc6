package io.shmstore;

/**
 * An exclusive create found the name already taken by a live object.
 */
public class StoreExistsException extends StoreException {
    private static final long serialVersionUID = 1L;

    /**
     * An exception with this message.
     *
     * @param message what happened, naming the values involved and what to do
     */
    public StoreExistsException(String message) {
        super(message);
    }

    /**
     * An exception with this message and cause.
     *
     * @param message what happened, naming the values involved and what to do
     * @param cause   the failure underneath
     */
    public StoreExistsException(String message, Throwable cause) {
        super(message, cause);
    }
}
