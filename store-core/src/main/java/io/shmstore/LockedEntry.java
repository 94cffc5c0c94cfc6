package io.shmstore;

/**
 * A key's entry while {@link SharedStore#withLock} holds the key's segment lock, in every process: what
 * is stored, and the one change to make when the function returns. Reads show what is stored, not the
 * change asked for; of the changes asked for, the last one is made (a {@link #setExpiresAt} after a
 * {@link #setValue} sets that value's expiry). A function that throws changes nothing.
 *
 * <p>Valid only inside the function: afterwards every method throws {@link IllegalStateException}.
 *
 * @param <K> key type
 * @param <V> value type
 */
public interface LockedEntry<K, V> {
    /**
     * The key {@link SharedStore#withLock} was called with.
     *
     * @return the key
     */
    K key();

    /**
     * True when a value is stored and has not expired.
     *
     * @return whether a value is present
     */
    boolean isPresent();

    /**
     * The stored value, decoded on the first call; null when none is {@linkplain #isPresent() present}.
     *
     * @return the value, or null
     */
    V value();

    /**
     * When the present value expires, in epoch milliseconds; {@link Long#MAX_VALUE} when it never does,
     * 0 when no value is present.
     *
     * @return the expiry, epoch milliseconds
     */
    long expiresAt();

    /**
     * The value of an entry that has expired but is still stored (its space not yet reclaimed), so that a
     * caller can report what expired; null when there is none.
     *
     * @return the expired value, or null
     */
    V expiredValue();

    /**
     * Stores {@code value} when the function returns, to expire as the store's {@code expireAfterWrite} says.
     *
     * @param value the new value, not null
     */
    void setValue(V value);

    /**
     * Stores {@code value} when the function returns, to expire at {@code expiresAt} (epoch milliseconds;
     * {@link Long#MAX_VALUE} for never). A time already past stores a value that reads as absent.
     *
     * @param value     the new value, not null
     * @param expiresAt when it expires, epoch milliseconds; {@link Long#MAX_VALUE} for never
     * @throws IllegalArgumentException naming {@code expiresAt} when it is negative
     */
    void setValue(V value, long expiresAt);

    /**
     * Keeps the present value, which will expire at {@code expiresAt} instead (epoch milliseconds;
     * {@link Long#MAX_VALUE} for never). The entry is rewritten, but its value did not change, so the
     * change feed records nothing.
     *
     * @param expiresAt the new expiry, epoch milliseconds; {@link Long#MAX_VALUE} for never
     * @throws IllegalStateException    when no value is present, nor set by {@link #setValue}
     * @throws IllegalArgumentException naming {@code expiresAt} when it is negative
     */
    void setExpiresAt(long expiresAt);

    /**
     * Removes the stored entry when the function returns: a present one is recorded in the change feed as
     * a {@link ChangeType#REMOVE}, an expired one as an {@link ChangeType#EXPIRE}.
     */
    void remove();
}
