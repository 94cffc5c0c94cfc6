package io.shmstore;

/**
 * Bytes read from a mapping fail their checks (bounds, sizes, checksums); nothing was trusted.
 */
public class StoreCorruptedException extends StoreException {
    private static final long serialVersionUID = 1L;

    /**
     * An exception with this message.
     *
     * @param message what happened, naming the values involved and what to do
     */
    public StoreCorruptedException(String message) {
        super(message);
    }

    /**
     * An exception with this message and cause.
     *
     * @param message what happened, naming the values involved and what to do
     * @param cause   the failure underneath
     */
    public StoreCorruptedException(String message, Throwable cause) {
        super(message, cause);
    }
}
