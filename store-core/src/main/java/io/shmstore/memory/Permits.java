package io.shmstore.memory;

/**
 * What {@link NamedSemaphore#acquire(int, java.time.Duration)} got: the permits asked for, and how many
 * permits came back to the pool without a release since the last acquire that was told, because the
 * process that held them died or closed its last handle on the semaphore without releasing them. Like
 * {@link Ownership#ABANDONED} for a mutex, a recovery means that a holder stopped in the middle of
 * whatever the permits guard.
 *
 * @param acquired  the permits now held by the calling process
 * @param recovered permits recovered from holders that died or left without releasing, 0 when none
 */
public record Permits(int acquired, int recovered) {
    /**
     * What the acquire means for the data the permits guard, as for a mutex.
     *
     * @return {@link Ownership#ABANDONED} when permits were recovered, else {@link Ownership#ACQUIRED}
     */
    public Ownership ownership() {
        return recovered > 0 ? Ownership.ABANDONED : Ownership.ACQUIRED;
    }
}
