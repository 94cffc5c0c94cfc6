package example;

import io.shmstore.JvmFlags;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Two JVMs share the README's store: one publishes, the other reads. Each starts as the README says an
 * application does, with {@link JvmFlags#required()} and nothing else, and prints nothing on stderr.
 */
class ReadmeExampleTest {
    @TempDir
    Path dir;

    @Test
    void twoJvmsShareTheStoreQuietly() throws Exception {
        String name = "quotes-" + ProcessHandle.current().pid();
        Process publisher = start("publish", name, "publisher");
        waitForLine(dir.resolve("publisher.out"), "PUBLISHED 500", publisher);
        Process reader = start("read", name, "reader");
        assertTrue(reader.waitFor(120, TimeUnit.SECONDS), "reader finished");
        assertTrue(publisher.waitFor(120, TimeUnit.SECONDS), "publisher finished");
        assertEquals("READ 500 of 500 at sequence 500\n", Files.readString(dir.resolve("reader.out")));
        assertEquals("PUBLISHED 500\nACKNOWLEDGED\n", Files.readString(dir.resolve("publisher.out")));
        for (String who : List.of("publisher", "reader")) {
            assertEquals("", Files.readString(dir.resolve(who + ".err"), StandardCharsets.UTF_8), who + "'s stderr");
        }
        assertEquals(0, publisher.exitValue());
        assertEquals(0, reader.exitValue());
        try (var left = Files.list(dir.resolve("shm"))) {
            assertEquals(0, left.count(), "the store is gone once both closed it");
        }
    }

    private Process start(String mode, String name, String who) throws IOException {
        Files.createDirectories(dir.resolve("shm"));
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(JvmFlags.required());
        cmd.addAll(List.of("-Dshmstore.dir=" + dir.resolve("shm"), "-cp", System.getProperty("java.class.path"),
                Quotes.class.getName(), mode, name, "500"));
        return new ProcessBuilder(cmd).redirectOutput(dir.resolve(who + ".out").toFile())
                .redirectError(dir.resolve(who + ".err").toFile()).start();
    }

    private static void waitForLine(Path file, String line, Process p) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (System.nanoTime() < deadline) {
            if (Files.exists(file) && Files.readString(file).contains(line + "\n")) {
                return;
            }
            assertTrue(p.isAlive(), "the publisher exited early: " + Files.readString(file));
            Thread.sleep(20);
        }
        throw new AssertionError("no \"" + line + "\" within 120 s");
    }
}
