package io.shmstore.testing;

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
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Child JVMs that run as another user, {@code nobody}, through {@code setpriv} or {@code runuser}: the
 * way to test what one local user can do to another's objects. Needs root; a test that calls it
 * without root, or where nobody cannot run the JVM, is skipped with the reason.
 */
public final class OtherUser {
    /** The user the children run as. */
    public static final String NAME = "nobody";

    /** A class path that {@code nobody} can read, made once per JVM (see {@link #readableClassPath}). */
    private static Path readableClassPath;

    private OtherUser() {
    }

    /**
     * Starts {@code mainClass} with {@code args} as {@link #NAME}, after making the test's shm directory
     * searchable by it (not listable or writable, unless {@link #shareShmDirectory()} made it so).
     */
    public static ChildJvm start(Class<?> mainClass, String... args) throws IOException {
        assumeTrue("root".equals(System.getProperty("user.name")),
                "running a process as another user needs root to switch users; the tests run as "
                        + System.getProperty("user.name"));
        List<String> prefix;
        if (onPath("setpriv")) {
            prefix = List.of("setpriv", "--reuid=" + NAME, "--regid=nogroup", "--clear-groups");
        } else if (onPath("runuser")) {
            prefix = List.of("runuser", "-u", NAME, "--");
        } else {
            prefix = null;
        }
        assumeTrue(prefix != null, "neither setpriv nor runuser is on the PATH to run a process as " + NAME);
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        assumeTrue(othersCanRead(java), NAME + " cannot run " + java);
        Path shm = ShmDirExtension.dir();
        if (!Files.getPosixFilePermissions(shm).contains(PosixFilePermission.OTHERS_EXECUTE)) {
            Files.setPosixFilePermissions(shm, PosixFilePermissions.fromString("rwx--x--x"));
        }
        List<String> command = new ArrayList<>(prefix);
        command.addAll(ChildJvm.command(mainClass, args));
        int cp = command.indexOf("-cp") + 1;
        command.set(cp, readableClassPath());
        return ChildJvm.start(command, "as " + NAME + ": " + mainClass.getSimpleName() + " " + String.join(" ", args));
    }

    /**
     * Runs {@code mainClass} with {@code args} as {@link #NAME} to its end, which must be a zero exit
     * within {@code timeout}, and returns its output lines (at least one).
     */
    public static List<String> run(Duration timeout, Class<?> mainClass, String... args) throws IOException {
        List<String> lines = new ArrayList<>();
        try (ChildJvm child = start(mainClass, args)) {
            int exit = child.waitFor(timeout);
            String line;
            while ((line = pollLine(child)) != null) {
                lines.add(line);
            }
            assertThat(exit).as("exit code of the child run as %s; output %s", NAME, lines).isZero();
        }
        assertThat(lines).as("output of the child run as " + NAME).isNotEmpty();
        return lines;
    }

    /** Makes the test's shm directory what {@code /dev/shm} is: every user may create names (mode 1777). */
    public static void shareShmDirectory() {
        String problem = SpecialFiles.run("chmod", "1777", ShmDirExtension.dir().toString());
        assertThat(problem).as("chmod 1777 " + ShmDirExtension.dir()).isNull();
    }

    /** A new directory under the test's shm directory where every user may create files, as in /tmp. */
    public static Path sharedDirectory(String name) throws IOException {
        Path dir = Files.createDirectory(ShmDirExtension.dir().resolve(name));
        String problem = SpecialFiles.run("chmod", "1777", dir.toString());
        assertThat(problem).as("chmod 1777 " + dir).isNull();
        return dir;
    }

    /** Removes the readable copy of the class path; for a test class's {@code @AfterAll}. */
    public static synchronized void removeReadableClassPath() throws IOException {
        if (readableClassPath != null) {
            try (Stream<Path> walk = Files.walk(readableClassPath)) {
                walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
            readableClassPath = null;
        }
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
}
