package io.shmstore.examples;

import io.shmstore.SharedStore;
import io.shmstore.testing.Jdks;
import io.shmstore.testing.ShmDirExtension;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The packaged tool, {@code java -jar shmstore.jar} with no flags, on every Java found on this machine
 * and on a jlinked runtime without {@code jdk.compiler}: it works and prints no {@code WARNING} or
 * {@code SLF4J} line, on stdout or stderr. Java 17, 21 and 25 are named: a machine without one of them
 * skips its test, saying so (CI runs on Java 17; this machine also has 25); any other version found
 * runs too.
 */
@ExtendWith(ShmDirExtension.class)
class ShmStoreJarIT {
    private static final Set<Integer> NAMED = Set.of(17, 21, 25);
    private static final Path JAR = Path.of(System.getProperty("shmstore.jar", "target/shmstore.jar"));

    @TempDir
    Path work;

    @ParameterizedTest(name = "Java {0}")
    @ValueSource(ints = {17, 21, 25})
    void theJarRunsQuietly(int feature) throws Exception {
        Jdks.Jdk jdk = Jdks.ofOrSkip(feature);
        checkQuiet(jdk.java(), jdk.toString());
    }

    @TestFactory
    Stream<DynamicTest> theJarRunsQuietlyOnEveryOtherJavaFound() {
        return Jdks.otherThan(NAMED).stream()
                .map(j -> DynamicTest.dynamicTest(j.toString(), () -> checkQuiet(j.java(), j.toString())));
    }

    @Test
    void theJarRunsQuietlyOnAJlinkedRuntimeWithoutTheCompiler() throws Exception {
        Jdks.Jdk jdk = Jdks.all().stream().filter(j -> j.jlink().isPresent() && Files.isDirectory(j.home().resolve("jmods")))
                .findFirst().orElse(null);
        assumeTrue(jdk != null, "no JDK with jlink and jmods on this machine: not checked here");
        Path image = work.resolve("jre");
        Result linked = exec(List.of(jdk.jlink().get().toString(), "--add-modules",
                "java.base,java.logging,java.management,java.naming,java.sql,java.xml,jdk.unsupported,jdk.management",
                "--no-header-files", "--no-man-pages", "--output", image.toString()));
        assertThat(linked.code()).as(linked.toString()).isZero();
        Path java = image.resolve("bin").resolve("java");
        assertThat(exec(List.of(java.toString(), "--list-modules")).out()).doesNotContain("jdk.compiler")
                .contains("java.base");
        checkQuiet(java, "a runtime jlinked from " + jdk + " without jdk.compiler");
    }

    private void checkQuiet(Path java, String which) throws Exception {
        try (SharedStore<String, Long> store = SharedStore.of(String.class, Long.class).name("jar-it").entries(100)
                .createOrOpen()) {
            store.put("a", 1L);
            String dir = ShmDirExtension.dir().toString();
            for (List<String> command : List.of(List.of("stats", "--dir", dir, "jar-it"), List.of("list", "--dir", dir),
                    List.of("demo", "--dir", dir, "--handover-orders", "500", "--orders", "1000"))) {
                List<String> cmd = new ArrayList<>(List.of(java.toString(), "-jar", JAR.toString()));
                cmd.addAll(command);
                Result r = exec(cmd);
                assertThat(r.code()).as(which + ": " + r).isZero();
                assertThat(r.out()).as(which + ": " + command.get(0)).contains(command.get(0).equals("demo")
                        ? "hand-over latency" : "jar-it");
                assertThat((r.out() + r.err()).lines()).as(which + ": " + r)
                        .noneMatch(l -> l.contains("WARNING") || l.contains("SLF4J"));
                assertThat(r.err()).as(which + ": " + command.get(0) + " stderr").isEmpty();
            }
        }
    }

    private record Result(int code, String out, String err) {
        @Override
        public String toString() {
            return "exit " + code + "\n--- stdout\n" + out + "--- stderr\n" + err;
        }
    }

    private Result exec(List<String> cmd) throws IOException, InterruptedException {
        Path out = Files.createTempFile(work, "out", ".txt");
        Path err = Files.createTempFile(work, "err", ".txt");
        Process p = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        if (!p.waitFor(300, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("still running after 300 s: " + cmd);
        }
        return new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
    }
}
