package io.shmstore.tier;

/**
 * Redis could not be reached (refused, closed, or no answer within the command timeout) for an
 * operation that needed it: a read whose host copy cannot be trusted and that
 * {@link UnavailablePolicy#SERVE_HOST_COPY} does not cover, or any write. The message names the
 * operation, the key and the Redis URI.
 */
public class RedisUnavailableException extends RedisTierException {
    private static final long serialVersionUID = 1L;

    public RedisUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
