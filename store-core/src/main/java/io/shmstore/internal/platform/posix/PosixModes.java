package io.shmstore.internal.platform.posix;

import java.nio.file.attribute.PosixFilePermission;
import java.util.Set;

/** POSIX permission sets as mode bits. */
final class PosixModes {
    private PosixModes() {
    }

    static int toMode(Set<PosixFilePermission> perms) {
        int mode = 0;
        for (PosixFilePermission p : perms) {
            mode |= 1 << (8 - p.ordinal());
        }
        return mode;
    }
}
