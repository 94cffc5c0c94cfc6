package io.shmstore.internal.platform;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;

/**
 * Where memory-only objects live: the system property {@code shmstore.dir}, else the environment
 * variable {@code SHMSTORE_DIR}, else {@code /dev/shm} where it exists and is writable, else the
 * temporary directory. Read on every call, so tests and containers can move it.
 */
public final class ShmDirectory {
    public static final String PROPERTY = "shmstore.dir";
    public static final String ENV = "SHMSTORE_DIR";

    private ShmDirectory() {
    }

    /** The rule of the class comment, as messages state it. */
    public static String rule() {
        return "-D" + PROPERTY + ", else $" + ENV + ", else /dev/shm";
    }

    public static Path resolve() {
        String dir = System.getProperty(PROPERTY);
        if (dir == null || dir.isEmpty()) {
            dir = System.getenv(ENV);
        }
        if (dir != null && !dir.isEmpty()) {
            return Paths.get(dir).toAbsolutePath();
        }
        Path shm = Paths.get("/dev/shm");
        if (Files.isDirectory(shm) && Files.isWritable(shm)) {
            return shm;
        }
        return Paths.get(System.getProperty("java.io.tmpdir")).toAbsolutePath();
    }
}
