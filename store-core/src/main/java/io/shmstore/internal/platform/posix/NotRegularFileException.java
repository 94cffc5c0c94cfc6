package io.shmstore.internal.platform.posix;

import java.nio.file.FileSystemException;

/** A name that is not a regular file: a directory, a FIFO, a device, a socket or a symbolic link. */
final class NotRegularFileException extends FileSystemException {
    private static final long serialVersionUID = 1L;

    private final transient FileKind kind;

    NotRegularFileException(String file, FileKind kind) {
        super(file, null, "it is " + kind.description());
        this.kind = kind;
    }

    FileKind kind() {
        return kind;
    }
}
