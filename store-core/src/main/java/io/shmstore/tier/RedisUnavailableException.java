package io.shmstore.tier;

/**
 * Redis could not be reached (refused, closed, or no answer within the command timeout) for an
 * operation that needed it: a read whose host copy cannot be trusted and that
 * {@link UnavailablePolicy#SERVE_HOST_COPY} does not cover, or any write. The message names the
 * operation, the key and the Redis URI.
 */
public class RedisUnavailableException extends RedisTierException {
    private static final long serialVersionUID = 1L;

    /**
     * An exception with {@code message}, which names the operation, the key and the Redis URI.
     *
     * @param message the detail message
     * @param cause   why Redis could not be reached: the client's error, a time-out or an interruption
     */
    public RedisUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
