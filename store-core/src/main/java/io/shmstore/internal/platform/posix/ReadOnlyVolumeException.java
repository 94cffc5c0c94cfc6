package io.shmstore.internal.platform.posix;

import java.nio.file.FileSystemException;

/** A file could not be opened for writing because its file system is mounted read-only (EROFS). */
final class ReadOnlyVolumeException extends FileSystemException {
    private static final long serialVersionUID = 1L;

    ReadOnlyVolumeException(String file, String reason) {
        super(file, null, reason);
    }
}
