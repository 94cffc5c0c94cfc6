package io.shmstore;

/**
 * A lock stayed held by a live owner for longer than the caller was willing to wait.
 */
public class LockTimeoutException extends StoreException {
    private static final long serialVersionUID = 1L;

    private final long ownerPid;

    public LockTimeoutException(String message, long ownerPid) {
        super(message);
        this.ownerPid = ownerPid;
    }

    /** The process id of the owner when the wait gave up, or {@code 0} if it was unknown. */
    public long ownerPid() {
        return ownerPid;
    }
}
