package io.shmstore.internal.store;

import io.shmstore.ChangeType;

/** Where segments report what they changed, in the order they changed it (lock held). */
@FunctionalInterface
interface FeedSink {
    /**
     * @param replaced   for a {@link ChangeType#PUT}: the key held a value that had not expired
     * @param keyAddress native address of the key's bytes (ignored when {@code keyLength < 0})
     * @param entry      {@code segment << 32 | chunk} of the entry, or -1
     */
    void record(ChangeType type, boolean replaced, long keyAddress, int keyLength, long keyHash, long entry);
}
