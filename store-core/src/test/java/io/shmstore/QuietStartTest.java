package io.shmstore;

import io.shmstore.testing.Jdks;
import io.shmstore.testing.ShmDirExtension;
import org.junit.jupiter.api.DynamicTest;
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

/**
 * An application using ShmStore starts quietly on every Java found on this machine, with only the flags
 * {@link JvmFlags#requiredFor} names for it: no {@code WARNING} line, no Chronicle advice to set
 * {@code --illegal-access}, nothing at all on stderr. (SLF4J's own lines depend on whether the application
 * has an SLF4J provider, which this class path has; the separate project of store-examples' integration
 * tests covers that.) Java 17, 21 and 25 are named: a machine without one of them skips its test,
 * saying so; any other version found runs too.
 */
@ExtendWith(ShmDirExtension.class)
class QuietStartTest {
    private static final Set<Integer> NAMED = Set.of(17, 21, 25);

    @TempDir
    Path dir;

    @ParameterizedTest(name = "Java {0}")
    @ValueSource(ints = {17, 21, 25})
    void anApplicationStartsWithoutWarnings(int feature) throws Exception {
        Jdks.Jdk jdk = Jdks.ofOrSkip(feature);
        checkQuiet(jdk);
    }

    @TestFactory
    Stream<DynamicTest> everyOtherJavaFoundStartsWithoutWarnings() {
        return Jdks.otherThan(NAMED).stream()
                .map(j -> DynamicTest.dynamicTest(j.toString(), () -> checkQuiet(j)));
    }

    private void checkQuiet(Jdks.Jdk jdk) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(jdk.java().toString()));
        cmd.addAll(JvmFlags.requiredFor(jdk.feature()));
        cmd.addAll(List.of("-Dshmstore.dir=" + ShmDirExtension.dir(), "-cp", System.getProperty("java.class.path"),
                QuietStartChild.class.getName(), "quiet", dir.resolve("quiet.store").toString()));
        Path out = dir.resolve("out.txt");
        Path err = dir.resolve("err.txt");
        Process p = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).as("exited in time").isTrue();
        String stderr = Files.readString(err, StandardCharsets.UTF_8);
        assertThat(p.exitValue()).as(jdk + ": " + stderr).isZero();
        assertThat(Files.readString(out, StandardCharsets.UTF_8)).isEqualTo("OK\n");
        assertThat(stderr.lines()).as(jdk + " with " + JvmFlags.requiredFor(jdk.feature()) + " printed")
                .noneMatch(l -> l.contains("WARNING") || l.contains("SLF4J") || l.contains("illegal-access"));
        assertThat(stderr).as(jdk + ": stderr").isEmpty();
    }
}
