package io.shmstore.codec;

import io.shmstore.testing.ChildJvm;
import io.shmstore.testing.ShmDirExtension;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A rolling upgrade: two versions of one record class, each in its own JVM, share a store through
 * {@link JsonCodec}'s default settings. Version 2 adds a property; each version reads what the other
 * wrote. Before unknown properties were ignored by default, the old reader failed with "Unrecognized
 * field".
 */
@ExtendWith(ShmDirExtension.class)
class EvolutionTest {
    private static final Duration CHILD = Duration.ofSeconds(60);

    @TempDir
    static Path classes;

    @BeforeAll
    static void compileBothVersions() throws IOException {
        compile("v1", "public record Quote(String symbol, double bid) {}");
        compile("v2", "public record Quote(String symbol, double bid, String venue) {}");
    }

    @Test
    void anOldReaderReadsANewWritersValueAndTheReverse() {
        assertThat(run("v2", "write", "eurusd", "EURUSD", "1.5", "XLON")).isEqualTo("eurusd");
        assertThat(run("v1", "read", "eurusd")).isEqualTo("Quote[symbol=EURUSD, bid=1.5]");
        assertThat(run("v1", "write", "gbpusd", "GBPUSD", "1.25")).isEqualTo("gbpusd");
        assertThat(run("v2", "read", "gbpusd")).isEqualTo("Quote[symbol=GBPUSD, bid=1.25, venue=null]");
    }

    /** Runs {@link EvolutionChild} with version {@code version} of the class; returns what it printed after OK. */
    private static String run(String version, String... args) {
        List<String> cmd = ChildJvm.command(EvolutionChild.class, args);
        int cp = cmd.indexOf("-cp") + 1;
        cmd.set(cp, cmd.get(cp) + File.pathSeparator + classes.resolve(version));
        try (ChildJvm child = ChildJvm.start(cmd, "EvolutionChild " + version + " " + String.join(" ", args))) {
            String printed = child.expect("OK", CHILD);
            assertThat(child.waitFor(CHILD)).isZero();
            return printed;
        }
    }

    private static void compile(String version, String body) throws IOException {
        Path src = classes.resolve("src-" + version).resolve("evolve/Quote.java");
        Files.createDirectories(src.getParent());
        Files.writeString(src, "package evolve;\n" + body + "\n");
        Path out = Files.createDirectories(classes.resolve(version));
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        int code = javac.run(null, null, null, "--release", "17", "-d", out.toString(), src.toString());
        assertThat(code).as("javac of " + src).isZero();
    }
}
