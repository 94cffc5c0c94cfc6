package io.shmstore.tier;

import io.shmstore.StoreException;

/** Redis refused or failed a command of the tier for a reason other than being unreachable. */
public class RedisTierException extends StoreException {
    private static final long serialVersionUID = 1L;

    public RedisTierException(String message, Throwable cause) {
        super(message, cause);
    }
}
