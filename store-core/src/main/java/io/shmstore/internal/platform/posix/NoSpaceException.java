package io.shmstore.internal.platform.posix;

import java.nio.file.FileSystemException;

/** The file system could not reserve the space asked for. */
final class NoSpaceException extends FileSystemException {
    private static final long serialVersionUID = 1L;

    NoSpaceException(String file, String reason) {
        super(file, null, reason);
    }
}
