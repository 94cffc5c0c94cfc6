package io.shmstore;

/**
 * The object at a name or file belongs to a user this process does not trust: neither its own user,
 * nor root, nor a user it allowed with {@code trustOwner(...)}.
 *
 * <p>Any local user can create a name in a shared directory such as {@code /dev/shm} before its
 * rightful creator does ("squat" it), with permissions that let everyone in. A process that opened
 * such an object would write its data into that user's file, or read, and trust, data that user
 * forged; that user could also hold the object's locks. So an open checks the owner first and refuses
 * with this exception, whose message names the object, its owner and this process's user (names and
 * ids) and how to allow that owner.
 */
public class UntrustedOwnerException extends StoreException {
    private static final long serialVersionUID = 1L;

    /**
     * An exception with this message.
     *
     * @param message what happened, naming the values involved and what to do
     */
    public UntrustedOwnerException(String message) {
        super(message);
    }
}
