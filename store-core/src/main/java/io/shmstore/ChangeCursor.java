package io.shmstore;

import java.time.Duration;

/**
 * One consumer's position in a {@link ChangeFeed}. Not thread-safe: one thread reads a cursor. Costs
 * the writers nothing: they never wait for it, and it writes nothing to shared memory but a waiter
 * count while it sleeps.
 *
 * <p>Closing the cursor or its store from another thread is safe: a call in flight finishes
 * ({@link #await} returns false), and every later call throws {@link IllegalStateException}.
 */
public interface ChangeCursor<K> extends AutoCloseable {
    /**
     * Delivers the records published since the last call, at most {@code max}, in order.
     *
     * @param listener receives each record, and the records lost
     * @param max      the most records to deliver
     * @return how many records were delivered
     */
    int poll(ChangeListener<? super K> listener, int max);

    /**
     * Delivers every record published since the last call.
     *
     * @param listener receives each record, and the records lost
     * @return how many records were delivered
     */
    default int poll(ChangeListener<? super K> listener) {
        return poll(listener, Integer.MAX_VALUE);
    }

    /**
     * Sleeps until a record is available to {@link #poll}, or the timeout passes; no core spins
     * meanwhile. Returns at once when one already is.
     *
     * @param timeout the longest wait
     * @return true when a record is available; false when the timeout passed, or the store was closed
     *         while this waited
     * @throws IllegalStateException when the cursor or its store is closed
     */
    boolean await(Duration timeout);

    /**
     * Where the cursor is.
     *
     * @return the sequence of the next record this cursor will deliver
     */
    long nextSequence();

    /**
     * What the cursor missed.
     *
     * @return records lost to lapping (or given up) since the cursor was opened
     */
    long lost();

    @Override
    void close();
}
