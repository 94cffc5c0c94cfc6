package io.shmstore.testing;

import org.junit.jupiter.api.Assumptions;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;

/**
 * The Java installations on this machine, for tests that run ShmStore on each: this JVM's, those
 * listed in the system property {@code shmstore.test.jdks} (paths separated by the path separator),
 * {@code JAVA_HOME}, and every installation under the usual folders ({@code /usr/lib/jvm},
 * {@code /usr/java}, {@code /opt/java}, SDKMAN's, macOS's). An installation is a folder with
 * {@code bin/java} and a {@code release} file naming its version.
 */
public final class Jdks {
    /** Where installations are looked for, for the messages of tests that find none of a version. */
    public static final List<String> SEARCHED = List.of("the running JVM", "-Dshmstore.test.jdks", "$JAVA_HOME",
            "/usr/lib/jvm", "/usr/java", "/opt/java", "~/.sdkman/candidates/java", "/Library/Java/JavaVirtualMachines");

    private Jdks() {
    }

    /** One installation. */
    public record Jdk(Path home, int feature, String version) {
        /** @return its {@code java} launcher */
        public Path java() {
            return home.resolve("bin").resolve("java");
        }

        /** @return its {@code jlink}, if it has one */
        public Optional<Path> jlink() {
            Path p = home.resolve("bin").resolve("jlink");
            return Files.isExecutable(p) ? Optional.of(p) : Optional.empty();
        }

        @Override
        public String toString() {
            return "Java " + version + " at " + home;
        }
    }

    /** @return every installation of Java 17 or later found, one per folder, by version */
    public static List<Jdk> all() {
        List<Path> candidates = new ArrayList<>();
        candidates.add(Path.of(System.getProperty("java.home")));
        String listed = System.getProperty("shmstore.test.jdks", "");
        for (String p : listed.split(java.io.File.pathSeparator)) {
            if (!p.isBlank()) {
                candidates.add(Path.of(p));
            }
        }
        String javaHome = System.getenv("JAVA_HOME");
        if (javaHome != null && !javaHome.isBlank()) {
            candidates.add(Path.of(javaHome));
        }
        String home = System.getProperty("user.home");
        for (Path dir : List.of(Path.of("/usr/lib/jvm"), Path.of("/usr/java"), Path.of("/opt/java"),
                Path.of(home, ".sdkman", "candidates", "java"), Path.of("/Library/Java/JavaVirtualMachines"))) {
            children(dir, candidates);
        }
        Map<Path, Jdk> found = new LinkedHashMap<>();
        for (Path c : candidates) {
            Path h = Files.isDirectory(c.resolve("Contents/Home")) ? c.resolve("Contents/Home") : c;
            read(h).ifPresent(j -> found.putIfAbsent(real(h), j));
        }
        List<Jdk> out = new ArrayList<>(found.values());
        out.sort(Comparator.comparingInt(Jdk::feature).thenComparing(j -> j.home().toString()));
        return out;
    }

    /** @param feature a feature release, 17, 21, 25… @return an installation of it, if one was found */
    public static Optional<Jdk> of(int feature) {
        return all().stream().filter(j -> j.feature() == feature).findFirst();
    }

    /**
     * An installation of {@code feature} for a test that is named after it; when there is none, the test
     * is skipped, saying so and where it looked.
     *
     * @param feature a feature release, 17, 21, 25…
     * @return the installation
     */
    public static Jdk ofOrSkip(int feature) {
        Jdk jdk = of(feature).orElse(null);
        Assumptions.assumeTrue(jdk != null, "no Java " + feature + " on this machine (looked in "
                + String.join(", ", SEARCHED) + "): not checked here");
        return jdk;
    }

    /** @param named the feature releases that tests are named after @return the installations of other releases */
    public static List<Jdk> otherThan(java.util.Set<Integer> named) {
        return all().stream().filter(j -> !named.contains(j.feature())).toList();
    }

    private static void children(Path dir, List<Path> into) {
        if (!Files.isDirectory(dir)) {
            return;
        }
        try (DirectoryStream<Path> s = Files.newDirectoryStream(dir)) {
            for (Path p : s) {
                into.add(p);
            }
        } catch (IOException unreadable) {
            // a folder this user cannot list holds nothing it can run
        }
    }

    private static Optional<Jdk> read(Path home) {
        Path release = home.resolve("release");
        if (!Files.isExecutable(home.resolve("bin").resolve("java")) || !Files.isRegularFile(release)) {
            return Optional.empty();
        }
        Properties p = new Properties();
        try (InputStream in = Files.newInputStream(release)) {
            p.load(in);
        } catch (IOException unreadable) {
            return Optional.empty();
        }
        String version = p.getProperty("JAVA_VERSION", "").replace("\"", "");
        try {
            int feature = Runtime.Version.parse(version).feature();
            return feature >= 17 ? Optional.of(new Jdk(home, feature, version)) : Optional.empty();
        } catch (IllegalArgumentException notAVersion) {
            return Optional.empty();
        }
    }

    private static Path real(Path p) {
        try {
            return p.toRealPath();
        } catch (IOException e) {
            return p.toAbsolutePath().normalize();
        }
    }
}
