package io.shmstore.internal.platform.posix;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Locale;

/**
 * What a name in the file system is, from the type bits of its mode ({@code S_IFMT}). Only a regular
 * file can be a ShmStore object; anything else at a name is refused before it is read, written or
 * mapped, and named in the message: opening a FIFO for reading blocks until a writer comes, reading a
 * device reads the device, and neither has a size to check.
 */
enum FileKind {
    REGULAR(0100000, "a regular file"),
    DIRECTORY(0040000, "a directory"),
    SYMBOLIC_LINK(0120000, "a symbolic link, which is never followed"),
    FIFO(0010000, "a FIFO"),
    CHARACTER_DEVICE(0020000, "a character device"),
    BLOCK_DEVICE(0060000, "a block device"),
    SOCKET(0140000, "a socket"),
    UNKNOWN(-1, "a file of unknown type");

    private static final int S_IFMT = 0170000;

    private final int bits;
    private final String description;

    FileKind(int bits, String description) {
        this.bits = bits;
        this.description = description;
    }

    /** What is at {@code path} now, without following a symbolic link there ({@code lstat}). */
    static FileKind at(Path path) throws IOException {
        return ofMode((Integer) Files.getAttribute(path, "unix:mode", LinkOption.NOFOLLOW_LINKS));
    }

    /** The kind of a file with {@code st_mode} {@code mode}. */
    static FileKind ofMode(int mode) {
        for (FileKind k : values()) {
            if (k.bits == (mode & S_IFMT)) {
                return k;
            }
        }
        return UNKNOWN;
    }

    /** With its article, for messages: "a FIFO", "a directory". */
    String description() {
        return description;
    }

    /** Short, for listings: "FIFO", "directory", "symbolic link". */
    String label() {
        return this == FIFO ? "FIFO" : name().toLowerCase(Locale.ROOT).replace('_', ' ');
    }
}
