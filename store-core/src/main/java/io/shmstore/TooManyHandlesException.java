package io.shmstore;

/**
 * An object has as many open handles, across live processes, as its attach table holds, so it cannot
 * be opened once more. This is not a lack of space ({@link StoreFullException}): thousands of handles
 * on one object almost always mean that handles are opened and never closed. The message says how many
 * handles this process and the others hold.
 */
public class TooManyHandlesException extends StoreException {
    private static final long serialVersionUID = 1L;

    /**
     * An exception with this message.
     *
     * @param message what happened, naming the values involved and what to do
     */
    public TooManyHandlesException(String message) {
        super(message);
    }
}
