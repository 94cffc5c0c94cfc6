package io.shmstore;

/**
 * A store of another format version: made by another ShmStore release, whose bytes this one does not
 * read. Tools can still tell it is a store and remove it ({@code SharedMemory.open(name).destroy()}).
 */
public class IncompatibleFormatException extends IncompatibleStoreException {
    private static final long serialVersionUID = 1L;

    /** @serial the store's format version */
    private final int foundVersion;
    /** @serial the format version this ShmStore reads */
    private final int supportedVersion;

    /**
     * An exception about a store of another format version.
     *
     * @param message          what was found, naming both versions
     * @param foundVersion     the store's format version
     * @param supportedVersion the version this ShmStore reads
     */
    public IncompatibleFormatException(String message, int foundVersion, int supportedVersion) {
        super(message);
        this.foundVersion = foundVersion;
        this.supportedVersion = supportedVersion;
    }

    /** @return the store's format version, as its header records it */
    public int foundVersion() {
        return foundVersion;
    }

    /** @return the format version this ShmStore reads */
    public int supportedVersion() {
        return supportedVersion;
    }
}
