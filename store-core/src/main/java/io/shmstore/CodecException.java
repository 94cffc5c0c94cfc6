package io.shmstore;

/**
 * A codec could not write a value, or could not read stored bytes back (the class changed
 * incompatibly, for example). The message names the key and the codec; the stored bytes are left
 * as they were.
 */
public class CodecException extends StoreException {
    private static final long serialVersionUID = 1L;

    /**
     * An exception with this message.
     *
     * @param message what happened, naming the values involved and what to do
     */
    public CodecException(String message) {
        super(message);
    }

    /**
     * An exception with this message and cause.
     *
     * @param message what happened, naming the values involved and what to do
     * @param cause   the failure underneath
     */
    public CodecException(String message, Throwable cause) {
        super(message, cause);
    }
}
