package io.shmstore.examples;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

class ShmStoreToolTest {
    private Path dir;

    @BeforeEach
    void freshShmDir() throws IOException {
        dir = Files.createTempDirectory(Files.isDirectory(Path.of("/dev/shm")) ? Path.of("/dev/shm") : Path.of(System.getProperty("java.io.tmpdir")), "shmstore-demo-");
        System.setProperty("shmstore.dir", dir.toString());
    }

    @AfterEach
    void removeShmDir() throws IOException {
        System.clearProperty("shmstore.dir");
        try (Stream<Path> files = Files.list(dir)) {
            files.forEach(p -> p.toFile().delete());
        }
        Files.delete(dir);
    }

    @Test
    void demoOpensTheMappingFromASecondJvmAndCleansUp() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = ShmStoreTool.run(new String[]{"demo", "--updates", "5"}, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        String text = out.toString(StandardCharsets.UTF_8);
        assertThat(code).as(text + err).isZero();
        assertThat(text).contains("reader ready in process").contains("read \"hello from process " + ProcessHandle.current().pid())
                .contains("update 5 seen").contains("median wake-up").contains("is gone: the last process closed it");
        try (Stream<Path> left = Files.list(dir)) {
            assertThat(left).as("nothing left in the shm directory").isEmpty();
        }
    }

    @Test
    void userErrorsPrintOneLineAndExitNonZero() {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8);
        PrintStream o = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
        assertThat(ShmStoreTool.run(new String[]{"demo", "--updates", "zero"}, o, e)).isEqualTo(1);
        assertThat(ShmStoreTool.run(new String[]{"nope"}, o, e)).isEqualTo(2);
        String text = err.toString(StandardCharsets.UTF_8);
        assertThat(text.lines()).hasSize(2);
        assertThat(text).contains("\"zero\"").contains("unknown command \"nope\"").doesNotContain("Exception");
    }
}
