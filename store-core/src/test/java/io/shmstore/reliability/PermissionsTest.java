package io.shmstore.reliability;

import io.shmstore.SharedStore;
import io.shmstore.StoreException;
import io.shmstore.testing.ChildJvm;
import io.shmstore.testing.ShmDirExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Who can open a store: owner-only by default, widened with {@code permissions(...)}, checked with a
 * reader that really is another user ({@code nobody}). The memory-layer cases (mappings, mutexes,
 * events, a symbolic link at a mapping's name) are in SharedMemoryTest.
 */
@EnabledOnOs(OS.LINUX)
@ExtendWith(ShmDirExtension.class)
class PermissionsTest {
    private static final Duration CHILD = Duration.ofSeconds(60);
    /** A class path that {@code nobody} can read, made once for the class (see {@link #asNobody}). */
    private static Path readableClassPath;

    @AfterAll
    static void removeReadableClassPath() throws IOException {
        if (readableClassPath != null) {
            deleteTree(readableClassPath);
        }
    }

    @Test
    void storesAreOwnerOnlyByDefaultAndWidenedByTheBuilder(@TempDir Path tmp) throws IOException {
        Path dir = ShmDirExtension.dir();
        Path file = tmp.resolve("file.store");
        try (SharedStore<Integer, String> a = SharedStore.of(Integer.class, String.class).name("private").create();
             SharedStore<Integer, String> b = SharedStore.of(Integer.class, String.class).name("group")
                     .permissions("rw-r-----").create();
             SharedStore<Integer, String> c = SharedStore.of(Integer.class, String.class).name("world")
                     .permissions(Set.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE,
                             PosixFilePermission.OTHERS_READ)).create();
             SharedStore<Integer, String> d = SharedStore.of(Integer.class, String.class).persistedTo(file).create()) {
            assertThat(mode(dir.resolve("shmstore.private"))).isEqualTo("rw-------");
            assertThat(mode(dir.resolve("shmstore.group"))).isEqualTo("rw-r-----");
            assertThat(mode(dir.resolve("shmstore.world"))).isEqualTo("rw----r--");
            assertThat(mode(file)).as("a file-backed store").isEqualTo("rw-------");
        }
    }

    @Test
    void aStoreWhoseNameIsASymbolicLinkIsNeitherOpenedNorCreatedThroughIt() throws IOException {
        // createOrOpen finds the name taken (link(2) does not follow it), then must not open through it
        Path dir = ShmDirExtension.dir();
        Path victim = dir.resolve("victim");
        Files.write(victim, new byte[]{1, 2, 3});
        Files.createSymbolicLink(dir.resolve("shmstore.link"), victim);
        assertThatThrownBy(() -> SharedStore.of(Integer.class, String.class).name("link").createOrOpen())
                .isInstanceOf(StoreException.class).hasMessageContaining("symbolic link");
        assertThatThrownBy(() -> SharedStore.of(Integer.class, String.class).name("link").openReadOnly())
                .isInstanceOf(StoreException.class).hasMessageContaining("symbolic link");
        assertThat(Files.readAllBytes(victim)).containsExactly(1, 2, 3);
    }

    @Test
    void anotherUserIsRefusedAnOwnerOnlyStore() throws IOException {
        try (SharedStore<Integer, String> store = SharedStore.of(Integer.class, String.class).name("secret").create()) {
            store.put(1, "secret");
            String read = asNobody("read", "secret", "1");
            assertThat(read).startsWith("ERROR " + StoreException.class.getName()).contains("permission denied")
                    .doesNotContain("secret\n");
            assertThat(asNobody("write", "secret", "1", "x")).startsWith("ERROR " + StoreException.class.getName())
                    .contains("permission denied");
            assertThat(store.get(1)).isEqualTo("secret");
        }
    }

    @Test
    void anotherUserReadsAStoreWidenedToOthersReadOnlyButCannotWriteIt() throws IOException {
        try (SharedStore<Integer, String> store = SharedStore.of(Integer.class, String.class).name("shared")
                .permissions("rw-r--r--").create()) {
            store.put(1, "shared value");
            List<String> lines = asNobodyLines("read", "shared", "1");
            assertThat(lines.get(0)).isEqualTo("VALUE shared value");
            assertThat(lines.get(1)).startsWith("WRITE-REFUSED io.shmstore.ReadOnlyStoreException");
            assertThat(asNobody("write", "shared", "1", "x")).startsWith("ERROR " + StoreException.class.getName())
                    .contains("permission denied").contains("for writing");
            assertThat(store.get(1)).isEqualTo("shared value");
            assertThat(store.verify()).isEmpty();
        }
    }

    private static String asNobody(String... args) throws IOException {
        return asNobodyLines(args).get(0);
    }

    /**
     * Runs {@link ReliabilityChild} as user {@code nobody} and returns its output lines. Skipped (with
     * the reason) when this process cannot switch users or nobody cannot reach the JVM.
     */
    private static List<String> asNobodyLines(String... args) throws IOException {
        assumeTrue("root".equals(System.getProperty("user.name")),
                "running a reader as another user needs root to switch users; the tests run as "
                        + System.getProperty("user.name"));
        List<String> prefix;
        if (onPath("setpriv")) {
            prefix = List.of("setpriv", "--reuid=nobody", "--regid=nogroup", "--clear-groups");
        } else if (onPath("runuser")) {
            prefix = List.of("runuser", "-u", "nobody", "--");
        } else {
            prefix = null;
        }
        assumeTrue(prefix != null, "neither setpriv nor runuser is on the PATH to run a reader as nobody");
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        assumeTrue(othersCanRead(java), "nobody cannot run " + java);
        // the shm directory is made 0700; nobody must be able to traverse it, not list or write it
        Files.setPosixFilePermissions(ShmDirExtension.dir(), PosixFilePermissions.fromString("rwx--x--x"));
        List<String> command = new ArrayList<>(prefix);
        command.addAll(ChildJvm.command(ReliabilityChild.class, args));
        int cp = command.indexOf("-cp") + 1;
        command.set(cp, readableClassPath());
        List<String> lines = new ArrayList<>();
        try (ChildJvm child = ChildJvm.start(command, "as nobody: " + String.join(" ", args))) {
            int exit = child.waitFor(CHILD);
            String line;
            while ((line = pollLine(child)) != null) {
                lines.add(line);
            }
            assertThat(exit).as("exit code of the child run as nobody; output %s", lines).isZero();
        }
        assertThat(lines).as("output of the child run as nobody").isNotEmpty();
        return lines;
    }

    /**
     * The test class path, with every entry nobody cannot read (a local Maven repository inside a home
     * directory only its owner may enter) copied to a world-readable temporary directory. Surefire's
     * own class path is a manifest-only jar under target/, so the real entries come from
     * {@code surefire.test.class.path}.
     */
    private static synchronized String readableClassPath() throws IOException {
        String source = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        if (readableClassPath == null) {
            readableClassPath = Files.createTempDirectory("shmstore-nobody-cp-");
            Files.setPosixFilePermissions(readableClassPath, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
        List<String> out = new ArrayList<>();
        int i = 0;
        for (String entry : source.split(File.pathSeparator)) {
            Path p = Path.of(entry);
            if (!Files.exists(p)) {
                continue;
            }
            if (othersCanRead(p) && (Files.isRegularFile(p) || treeReadableByOthers(p))) {
                out.add(entry);
                continue;
            }
            Path copy = readableClassPath.resolve(i++ + "-" + p.getFileName());
            if (!Files.exists(copy)) {
                copyTree(p, copy);
            }
            out.add(copy.toString());
        }
        return String.join(File.pathSeparator, out);
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> walk = Files.walk(from)) {
            for (Path p : (Iterable<Path>) walk::iterator) {
                Path target = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                    Files.setPosixFilePermissions(target, PosixFilePermissions.fromString("rwxr-xr-x"));
                } else {
                    Files.copy(p, target, StandardCopyOption.REPLACE_EXISTING);
                    Files.setPosixFilePermissions(target, PosixFilePermissions.fromString("rw-r--r--"));
                }
            }
        }
    }

    /** Whether others may read {@code p} and search every directory above it. */
    private static boolean othersCanRead(Path p) throws IOException {
        Path real = p.toRealPath();
        if (!Files.getPosixFilePermissions(real).contains(PosixFilePermission.OTHERS_READ)) {
            return false;
        }
        for (Path d = real.getParent(); d != null; d = d.getParent()) {
            if (!Files.getPosixFilePermissions(d).contains(PosixFilePermission.OTHERS_EXECUTE)) {
                return false;
            }
        }
        return true;
    }

    private static boolean treeReadableByOthers(Path dir) throws IOException {
        try (Stream<Path> walk = Files.walk(dir)) {
            return walk.allMatch(p -> {
                try {
                    Set<PosixFilePermission> perms = Files.getPosixFilePermissions(p);
                    return perms.contains(PosixFilePermission.OTHERS_READ)
                            && (!Files.isDirectory(p) || perms.contains(PosixFilePermission.OTHERS_EXECUTE));
                } catch (IOException e) {
                    return false;
                }
            });
        }
    }

    private static boolean onPath(String program) {
        String path = System.getenv().getOrDefault("PATH", "/usr/sbin:/usr/bin:/sbin:/bin");
        for (String d : path.split(File.pathSeparator)) {
            if (Files.isExecutable(Path.of(d, program))) {
                return true;
            }
        }
        return false;
    }

    private static String pollLine(ChildJvm child) {
        try {
            return child.nextLine(Duration.ofMillis(500));
        } catch (AssertionError noMore) {
            return null;
        }
    }

    private static String mode(Path p) throws IOException {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
    }

    private static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}
