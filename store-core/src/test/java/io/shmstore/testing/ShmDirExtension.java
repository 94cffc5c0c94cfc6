package io.shmstore.testing;

import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * Gives every test a fresh shm directory (under {@code /dev/shm} where it exists), published as the
 * {@code shmstore.dir} system property that the backend and child JVMs read, and removes it after.
 */
public final class ShmDirExtension implements BeforeEachCallback, AfterEachCallback {
    private static final ExtensionContext.Namespace NS = ExtensionContext.Namespace.create(ShmDirExtension.class);

    @Override
    public void beforeEach(ExtensionContext context) throws IOException {
        Path base = Path.of("/dev/shm");
        Path dir = Files.isDirectory(base) && Files.isWritable(base)
                ? Files.createTempDirectory(base, "shmstore-test-")
                : Files.createTempDirectory("shmstore-test-");
        System.setProperty("shmstore.dir", dir.toString());
        context.getStore(NS).put("dir", dir);
    }

    @Override
    public void afterEach(ExtensionContext context) throws IOException {
        Path dir = context.getStore(NS).remove("dir", Path.class);
        System.clearProperty("shmstore.dir");
        if (dir != null) {
            try (Stream<Path> walk = Files.walk(dir)) {
                walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    /** The current test's shm directory. */
    public static Path dir() {
        return Path.of(System.getProperty("shmstore.dir"));
    }
}
