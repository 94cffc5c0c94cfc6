package io.shmstore;

/** Receives change-feed records from {@link ChangeCursor#poll}. */
@FunctionalInterface
public interface ChangeListener<K> {
    /**
     * One change, in sequence order.
     *
     * @param sequence the record's number
     * @param type     what happened
     * @param key the key, or null for {@link ChangeType#CLEAR} and for a key too long to be recorded
     *            (longer than the feed's key capacity; resync from the store)
     */
    void onChange(long sequence, ChangeType type, K key);

    /**
     * One change, with what the record says beyond its key; a cursor calls this one, which by default
     * forwards to {@link #onChange(long, ChangeType, Object)}. A consumer that tells its own process's
     * changes from others' compares {@code writerPid} with {@code ProcessHandle.current().pid()}.
     *
     * @param sequence  the record's number
     * @param type      what happened
     * @param key       the key, or null as for {@link #onChange(long, ChangeType, Object)}
     * @param writerPid the process that made the change
     * @param replaced  for a {@link ChangeType#PUT}: the key had a value that had not expired (false: the
     *                  put created it); false for every other type
     */
    default void onChange(long sequence, ChangeType type, K key, int writerPid, boolean replaced) {
        onChange(sequence, type, key);
    }

    /**
     * The cursor fell more than the ring's capacity behind: {@code lost} records were overwritten before
     * it read them, and it continues from {@code resumedAt}. A consumer that needs every change resyncs
     * from the store itself. ShmStore also logs each loss ({@code io.shmstore.store}, level {@code INFO}).
     *
     * @param lost      how many records were lost
     * @param resumedAt the sequence of the next record delivered
     */
    default void onLapped(long lost, long resumedAt) {
    }
}
