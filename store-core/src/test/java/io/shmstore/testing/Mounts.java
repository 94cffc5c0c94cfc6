package io.shmstore.testing;

import java.nio.file.Path;

/** Read-only views of a directory, as a consumer's read-only volume mount would give it (root only). */
public final class Mounts {
    private Mounts() {
    }

    /**
     * Mounts {@code source} at {@code target} read-only: a bind mount, then remounted read-only.
     *
     * @return null when mounted, else why not (not root, no mount namespace rights...)
     */
    public static String bindReadOnly(Path source, Path target) {
        String problem = SpecialFiles.run("mount", "--bind", source.toString(), target.toString());
        if (problem != null) {
            return "mount --bind: " + problem;
        }
        problem = SpecialFiles.run("mount", "-o", "remount,bind,ro", target.toString());
        if (problem != null) {
            unmount(target);
            return "mount -o remount,bind,ro: " + problem;
        }
        return null;
    }

    /** Unmounts {@code target}, lazily if it is busy; null when done, else why not. */
    public static String unmount(Path target) {
        String problem = SpecialFiles.run("umount", target.toString());
        if (problem != null && SpecialFiles.run("umount", "-l", target.toString()) == null) {
            return null;
        }
        return problem;
    }
}
