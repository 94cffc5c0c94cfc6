package io.shmstore.tier;

import io.shmstore.StoreException;

/** Redis refused or failed a command of the tier for a reason other than being unreachable. */
public class RedisTierException extends StoreException {
    private static final long serialVersionUID = 1L;

    /**
     * An exception with {@code message}, which names the tier's key, and its {@code cause}.
     *
     * @param message the detail message
     * @param cause   what failed: Redis's error reply, or the value codec's exception
     */
    public RedisTierException(String message, Throwable cause) {
        super(message, cause);
    }
}
