package io.shmstore;

/**
 * A write was attempted through a read-only handle or view; it was refused before reaching memory.
 */
public class ReadOnlyStoreException extends StoreException {
    private static final long serialVersionUID = 1L;

    /**
     * An exception with this message.
     *
     * @param message what happened, naming the values involved and what to do
     */
    public ReadOnlyStoreException(String message) {
        super(message);
    }

    /**
     * An exception with this message and cause.
     *
     * @param message what happened, naming the values involved and what to do
     * @param cause   the failure underneath
     */
    public ReadOnlyStoreException(String message, Throwable cause) {
        super(message, cause);
    }
}
