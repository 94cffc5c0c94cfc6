package io.shmstore;

/**
 * The name or file holds something else: another object type, another format version, other types or codecs, or not a ShmStore object at all.
 */
public class IncompatibleStoreException extends StoreException {
    private static final long serialVersionUID = 1L;

    /**
     * An exception with this message.
     *
     * @param message what happened, naming the values involved and what to do
     */
    public IncompatibleStoreException(String message) {
        super(message);
    }

    /**
     * An exception with this message and cause.
     *
     * @param message what happened, naming the values involved and what to do
     * @param cause   the failure underneath
     */
    public IncompatibleStoreException(String message, Throwable cause) {
        super(message, cause);
    }
}
