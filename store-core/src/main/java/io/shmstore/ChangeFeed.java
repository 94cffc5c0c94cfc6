package io.shmstore;

/**
 * The ring of change records inside a store's mapping: every put, remove, expiry, eviction and clear,
 * in the order writers published them, numbered from 0. Writers overwrite the oldest records; a
 * consumer that falls more than the capacity behind is told how much it lost.
 *
 * <pre>{@code
 * try (ChangeCursor<String> c = store.changes().cursor()) {
 *     while (running) {
 *         if (c.await(Duration.ofSeconds(1))) {
 *             c.poll((seq, type, key) -> System.out.println(seq + " " + type + " " + key));
 *         }
 *     }
 * }
 * }</pre>
 *
 * To stop such a consumer from another thread, set {@code running} to false and close the store (or
 * the cursor): the {@code await} in flight returns false and the loop ends.
 */
public interface ChangeFeed<K> {
    /**
     * How far writers got.
     *
     * @return the sequence of the last published record, or -1 when none was
     */
    long lastSequence();

    /**
     * The ring's size.
     *
     * @return the records the ring holds before the oldest is overwritten
     */
    int capacity();

    /**
     * A cursor that delivers records published after now.
     *
     * @return the cursor, which the caller closes
     */
    ChangeCursor<K> cursor();

    /**
     * A cursor from {@code sequence}: records still in the ring are delivered, older ones are reported
     * lost; a sequence beyond the last is where the cursor waits.
     *
     * @param sequence the first record to deliver
     * @return the cursor, which the caller closes
     */
    ChangeCursor<K> cursorFrom(long sequence);
}
