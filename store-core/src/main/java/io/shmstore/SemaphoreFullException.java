package io.shmstore;

/**
 * A semaphore was released more times than it has permits: the release would make more permits than
 * its maximum (like Windows' {@code ERROR_TOO_MANY_POSTS}). Nothing changed. The message names the
 * counts.
 */
public class SemaphoreFullException extends StoreException {
    private static final long serialVersionUID = 1L;

    /**
     * An exception with {@code message}, which names the counts.
     *
     * @param message the detail message
     */
    public SemaphoreFullException(String message) {
        super(message);
    }
}
