package io.shmstore.jmh;

import io.shmstore.JvmFlags;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/** What the benchmarks share: a fresh shm directory per trial, and child JVMs started with our flags. */
final class Scratch {
    private Scratch() {
    }

    /**
     * A new directory under /dev/shm (or {@code -Dshmstore.jmh.parent}, e.g. a tmpfs mounted with huge
     * pages; else the temp directory), made this JVM's {@code shmstore.dir}.
     */
    static Path freshShmDir() throws IOException {
        String chosen = System.getProperty("shmstore.jmh.parent");
        Path shm = Path.of(chosen != null ? chosen : "/dev/shm");
        Path dir = Files.createTempDirectory(Files.isDirectory(shm) ? shm : Path.of(System.getProperty("java.io.tmpdir")),
                "shmstore-jmh-");
        System.setProperty("shmstore.dir", dir.toString());
        return dir;
    }

    /** Removes the directory and whatever the trial left in it. */
    static void delete(Path dir) {
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            dir.toFile().deleteOnExit();
        }
    }

    /**
     * A child JVM running {@code main} with ShmStore's flags, on the same class path and in the shm
     * directory of {@link #freshShmDir()} (which is this JVM's {@code shmstore.dir}).
     */
    static Process startChild(Class<?> main, String... args) throws IOException {
        return new ProcessBuilder(JvmFlags.childCommand(main, List.of(), args)).inheritIO().start();
    }
}
