package io.shmstore;

/**
 * A lock stayed held by a live owner for longer than the caller was willing to wait.
 */
public class LockTimeoutException extends StoreException {
    private static final long serialVersionUID = 1L;

    /** @serial the owner's process id when the wait gave up, or 0 */
    private final long ownerPid;

    /**
     * An exception with this message, about a lock held by {@code ownerPid}.
     *
     * @param message  what happened, naming the lock and the wait
     * @param ownerPid the owner's process id, or {@code 0} if unknown
     */
    public LockTimeoutException(String message, long ownerPid) {
        super(message);
        this.ownerPid = ownerPid;
    }

    /**
     * The owner when the wait gave up.
     *
     * @return the owner's process id, or {@code 0} if it was unknown
     */
    public long ownerPid() {
        return ownerPid;
    }
}
