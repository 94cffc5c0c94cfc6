package io.shmstore.testing;

import org.junit.platform.launcher.LauncherSession;
import org.junit.platform.launcher.LauncherSessionListener;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * For a test run with {@code -Dshmstore.tck=true} (the JSR-107 TCK's, which opens the default cache
 * manager and cannot be given a directory): a fresh shm directory of its own for the whole run, under
 * {@code /dev/shm} where it exists, published as {@code shmstore.dir} and removed at the end, so that
 * runs on one host never share a cache and the TCK's stores live in memory. Other runs are left alone.
 */
public final class TckShmDirectory implements LauncherSessionListener {
    private Path dir;

    @Override
    public void launcherSessionOpened(LauncherSession session) {
        if (!Boolean.getBoolean("shmstore.tck")) {
            return;
        }
        try {
            Path shm = Path.of("/dev/shm");
            dir = Files.isDirectory(shm) && Files.isWritable(shm)
                    ? Files.createTempDirectory(shm, "shmstore-tck-") : Files.createTempDirectory("shmstore-tck-");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot make the TCK's shm directory", e);
        }
        System.setProperty("shmstore.dir", dir.toString());
    }

    @Override
    public void launcherSessionClosed(LauncherSession session) {
        if (dir == null) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot remove the TCK's shm directory " + dir, e);
        }
    }
}
