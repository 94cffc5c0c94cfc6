package io.shmstore.examples;

import io.shmstore.JvmFlags;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Stream;

/**
 * Another JVM running this tool, as the demos start their producers, consumers and cache workers: the
 * same java, class path, shm directory and backend, and the ShmStore JVM flags, all from
 * {@link JvmFlags#childCommand}.
 *
 * <p>Its standard output goes to a file, not a pipe: when a child is killed, the JDK's process reaper
 * races a pipe reader for the last bytes and lines are lost, while a file keeps everything the child
 * wrote. The file is followed by polling (there is no portable signal for "a file grew"); stderr is
 * inherited, so a child's one-line error reaches the user as it is.
 *
 * <p>Children end their run with one {@code summary key=value ...} line, which {@link #summary()}
 * parses: numbers travel between processes without locale or wording in the way.
 */
final class ChildJvm implements AutoCloseable {
    private static final long FOLLOW_INTERVAL_MILLIS = 5;

    private final Process process;
    private final Path output;
    private final String description;
    private long readTo;
    private final ByteArrayOutputStream partial = new ByteArrayOutputStream();

    private ChildJvm(Process process, Path output, String description) {
        this.process = process;
        this.output = output;
        this.description = description;
    }

    /** Starts {@code shmstore <args>} with its standard output going to {@code output}. */
    static ChildJvm start(Path output, String... args) {
        return start(output, List.of(), args);
    }

    /** As {@link #start(Path, String...)}, with more JVM options (last, so they win). */
    static ChildJvm start(Path output, List<String> jvmOptions, String... args) {
        String description = "shmstore " + String.join(" ", args);
        try {
            Process p = new ProcessBuilder(JvmFlags.childCommand(ShmStoreTool.class, jvmOptions, args))
                    .redirectOutput(output.toFile())
                    .redirectError(ProcessBuilder.Redirect.INHERIT)
                    .start();
            return new ChildJvm(p, output, description);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start a JVM for " + description + ": " + e.getMessage(), e);
        }
    }

    long pid() {
        return process.pid();
    }

    /** Complete lines the child wrote since the last call. */
    List<String> newLines() {
        List<String> lines = new ArrayList<>();
        try (FileChannel ch = FileChannel.open(output, StandardOpenOption.READ)) {
            ByteBuffer buf = ByteBuffer.allocate(64 * 1024);
            int n;
            while ((n = ch.read(buf, readTo)) > 0) {
                readTo += n;
                for (int i = 0; i < n; i++) {
                    byte b = buf.get(i);
                    if (b == '\n') {
                        lines.add(partial.toString(StandardCharsets.UTF_8));
                        partial.reset();
                    } else {
                        partial.write(b);
                    }
                }
                buf.clear();
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the output of " + description + ": " + e.getMessage(), e);
        }
        return lines;
    }

    /**
     * Follows the output until a new line matches; returns it.
     *
     * @throws ToolException when the child exits or the time runs out first
     */
    String awaitLine(Predicate<String> match, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            boolean exited = !process.isAlive();
            for (String line : newLines()) {
                if (match.test(line)) {
                    return line;
                }
            }
            if (exited) {
                throw new ToolException(description + " exited with " + process.exitValue()
                        + " before it printed what was expected");
            }
            if (System.nanoTime() - deadline > 0) {
                throw new ToolException(description + " printed nothing expected within " + timeout.toSeconds() + " s");
            }
            sleepMillis(FOLLOW_INTERVAL_MILLIS);
        }
    }

    /** Waits up to {@code timeout} for the child to exit; true when it has. */
    boolean waitFor(Duration timeout) {
        try {
            return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ToolException("interrupted while waiting for " + description);
        }
    }

    boolean isAlive() {
        return process.isAlive();
    }

    int exitValue() {
        return process.exitValue();
    }

    /** Waits for a normal exit and requires exit code 0. */
    void awaitSuccess(Duration timeout) {
        if (!waitFor(timeout)) {
            throw new ToolException(description + " did not finish within " + timeout.toSeconds() + " s");
        }
        if (process.exitValue() != 0) {
            throw new ToolException(description + " failed with exit code " + process.exitValue());
        }
    }

    /** Closes the child's standard input: a child that waits for its end goes on. */
    void release() {
        try {
            process.getOutputStream().close();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot close the input of " + description + ": " + e.getMessage(), e);
        }
    }

    /** SIGKILL (on POSIX), and wait until the process is gone. */
    void kill() {
        process.destroyForcibly();
        if (!waitFor(Duration.ofSeconds(30))) {
            throw new ToolException(description + " (pid " + pid() + ") survived a kill");
        }
    }

    /** The fields of the child's last {@code summary} line. */
    Map<String, String> summary() {
        try {
            List<String> lines = Files.readAllLines(output, StandardCharsets.UTF_8);
            for (int i = lines.size() - 1; i >= 0; i--) {
                if (lines.get(i).startsWith("summary ")) {
                    return fields(lines.get(i));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the output of " + description + ": " + e.getMessage(), e);
        }
        throw new ToolException(description + " printed no summary");
    }

    /** The {@code key=value} words of a line. */
    static Map<String, String> fields(String line) {
        Map<String, String> out = new HashMap<>();
        for (String word : line.trim().split("\\s+")) {
            int eq = word.indexOf('=');
            if (eq > 0) {
                out.put(word.substring(0, eq), word.substring(eq + 1));
            }
        }
        return out;
    }

    static void sleepMillis(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ToolException("interrupted");
        }
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            kill();
        }
    }

    @Override
    public String toString() {
        return description + " (pid " + pid() + ")";
    }

    /** A temporary directory for children's output files, removed with them on close. */
    static final class Logs implements AutoCloseable {
        private final Path dir;

        Logs(String prefix) throws IOException {
            this.dir = Files.createTempDirectory(prefix);
        }

        Path file(String name) {
            return dir.resolve(name);
        }

        @Override
        public void close() throws IOException {
            try (Stream<Path> files = Files.list(dir)) {
                for (Path f : (Iterable<Path>) files::iterator) {
                    Files.delete(f);
                }
            }
            Files.delete(dir);
        }
    }
}
