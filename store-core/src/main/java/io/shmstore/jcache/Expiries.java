package io.shmstore.jcache;

import javax.cache.expiry.Duration;
import javax.cache.expiry.ExpiryPolicy;

/**
 * A cache's {@link ExpiryPolicy} turned into the epoch-millisecond expiry times its store keeps per
 * entry. A policy that throws gets JCache's "implementation specific default": eternal for a creation,
 * unchanged for an access or an update.
 */
final class Expiries {
    /** {@link Duration#ZERO}: expired at once (a creation is then not stored at all). */
    static final long EXPIRED = -1;
    /** null for an access or update: the entry keeps the expiry it has. */
    static final long UNCHANGED = -2;
    /** What {@link io.shmstore.LockedEntry} takes for "never". */
    static final long NEVER = Long.MAX_VALUE;

    private final ExpiryPolicy policy;

    Expiries(ExpiryPolicy policy) {
        this.policy = policy;
    }

    ExpiryPolicy policy() {
        return policy;
    }

    long onCreation(long now) {
        Duration d;
        try {
            d = policy.getExpiryForCreation();
        } catch (RuntimeException e) {
            d = Duration.ETERNAL;
        }
        return at(now, d == null ? Duration.ETERNAL : d);
    }

    long onUpdate(long now) {
        try {
            return at(now, policy.getExpiryForUpdate());
        } catch (RuntimeException e) {
            return UNCHANGED;
        }
    }

    /** Reads the clock only when the policy gives an access expiry: a hit's fast path when it gives none. */
    long onAccess() {
        Duration d;
        try {
            d = policy.getExpiryForAccess();
        } catch (RuntimeException e) {
            return UNCHANGED;
        }
        return d == null ? UNCHANGED : at(System.currentTimeMillis(), d);
    }

    private static long at(long now, Duration d) {
        if (d == null) {
            return UNCHANGED;
        }
        if (d.isEternal()) {
            return NEVER;
        }
        long millis = d.getTimeUnit().toMillis(d.getDurationAmount());
        if (millis <= 0) {
            return EXPIRED;
        }
        long sum = now + millis;
        return sum < now || sum >= NEVER ? NEVER - 1 : sum;
    }
}
