package io.shmstore.testing;

import io.shmstore.JvmFlags;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A child JVM started with exactly the parent's ShmStore flags (the module flags and system
 * properties from the parent pom, as {@link JvmFlags} carries them), the same class path, shm
 * directory and backend. Its standard output goes to a temporary file that is read line by line;
 * stderr is inherited so a child's failure shows in the build log.
 */
public final class ChildJvm implements AutoCloseable {
    /** Children are small and short-lived: a small heap, C1 only, the shared class archive. */
    private static final List<String> CHILD_OPTIONS = List.of("-Xmx256m", "-XX:TieredStopAtLevel=1", "-Xshare:auto");

    private final Process process;
    private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
    private final String description;
    private final Path output;
    /** Set by the pump once the child has exited and every line of its output is queued. */
    private volatile boolean drained;
    /** What stopped the pump before the end of the child's output, if anything: the next wait reports it. */
    private volatile Throwable pumpFailure;

    private ChildJvm(Process process, String description, Path output) {
        this.process = process;
        this.description = description;
        this.output = output;
        Thread reader = new Thread(this::pump, "child-stdout-" + process.pid());
        reader.setDaemon(true);
        reader.start();
    }

    /**
     * The command line of a child running {@code mainClass} with {@code args}: ShmStore's one way to
     * start a JVM ({@link JvmFlags#childCommand}, so the parent pom's flags, this JVM's class path, shm
     * directory and backend), kept small and quick to start. The list is mutable.
     */
    public static List<String> command(Class<?> mainClass, String... args) {
        return command(mainClass, List.of(), args);
    }

    /** As {@link #command(Class, String...)}, with {@code jvmOptions} last among the JVM's, so they win. */
    public static List<String> command(Class<?> mainClass, List<String> jvmOptions, String... args) {
        List<String> options = new ArrayList<>(CHILD_OPTIONS);
        options.addAll(jvmOptions);
        return JvmFlags.childCommand(mainClass, options, args);
    }

    public static ChildJvm start(Class<?> mainClass, String... args) {
        return start(command(mainClass, args), mainClass.getSimpleName() + " " + String.join(" ", args));
    }

    public static ChildJvm start(List<String> command, String description) {
        return start(command, description, ProcessBuilder::start);
    }

    /** How a child is started from its prepared {@link ProcessBuilder}: by a call that hands it something. */
    @FunctionalInterface
    public interface Starter {
        Process start(ProcessBuilder prepared) throws IOException;
    }

    /** As {@link #start(List, String)}, started by {@code starter} (e.g. {@code SharedMemory.inheritTo}). */
    public static ChildJvm start(List<String> command, String description, Starter starter) {
        try {
            Path output = Files.createTempFile("shmstore-child-", ".out");
            ProcessBuilder pb = new ProcessBuilder(command);
            pb.redirectError(ProcessBuilder.Redirect.INHERIT);
            pb.redirectOutput(output.toFile());
            return new ChildJvm(starter.start(pb), description, output);
        } catch (IOException e) {
            throw new IllegalStateException("cannot start " + description, e);
        }
    }

    /**
     * Follows the child's output file, line by line, until the child has exited and the file is read
     * to its end. (A file rather than a pipe: when a child is killed, the JDK's process reaper races a
     * pipe reader for the last bytes, and lines are lost.)
     */
    private void pump() {
        try (InputStream in = Files.newInputStream(output)) {
            ByteArrayOutputStream partial = new ByteArrayOutputStream();
            byte[] buf = new byte[8192];
            while (true) {
                boolean exited = !process.isAlive();
                int n = in.read(buf);
                if (n > 0) {
                    for (int i = 0; i < n; i++) {
                        if (buf[i] == '\n') {
                            lines.add(partial.toString(StandardCharsets.UTF_8));
                            partial.reset();
                        } else {
                            partial.write(buf[i]);
                        }
                    }
                } else if (exited) {
                    if (partial.size() > 0) {
                        lines.add(partial.toString(StandardCharsets.UTF_8));
                    }
                    return;
                } else {
                    Thread.sleep(1);
                }
            }
        } catch (Throwable e) {
            // the line tells callers that follow the output to its end; the cause goes to the wait that fails
            pumpFailure = e;
            lines.add("EOF " + e);
        } finally {
            drained = true;
            try {
                Files.deleteIfExists(output);
            } catch (IOException e) {
                output.toFile().deleteOnExit();
            }
        }
    }

    /**
     * Waits for the next output line. A child that exits (or crashes) before printing it fails the
     * wait at once, not after the whole timeout.
     */
    public String nextLine(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        try {
            while (true) {
                boolean finished = drained;
                long left = deadline - System.nanoTime();
                String line = lines.poll(Math.max(0, Math.min(left, 100_000_000L)), TimeUnit.NANOSECONDS);
                if (line != null) {
                    return line;
                }
                if (finished && lines.isEmpty()) {
                    Throwable failure = pumpFailure;
                    throw new AssertionError("child [" + description + "] "
                            + (failure == null ? "exited with " + process.exitValue() : "could not be followed")
                            + " without printing the line awaited", failure);
                }
                if (left <= 0) {
                    throw new AssertionError("no output from child [" + description + "] within " + timeout
                            + (process.isAlive() ? "" : "; it exited with " + process.exitValue()));
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** Waits for a line starting with {@code prefix}, skipping others; returns the rest of that line. */
    public String expect(String prefix, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            long left = deadline - System.nanoTime();
            String line = nextLine(Duration.ofNanos(Math.max(left, 1)));
            if (line.startsWith(prefix)) {
                return line.substring(prefix.length()).trim();
            }
        }
    }

    /** Sends a line to the child's standard input. */
    public void send(String line) {
        try {
            process.getOutputStream().write((line + "\n").getBytes(StandardCharsets.UTF_8));
            process.getOutputStream().flush();
        } catch (IOException e) {
            throw new AssertionError("cannot write to child [" + description + "]", e);
        }
    }

    public long pid() {
        return process.pid();
    }

    public Process process() {
        return process;
    }

    /** SIGKILL, and wait until the process is gone (reaped). */
    public void kill() {
        process.destroyForcibly();
        try {
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                throw new AssertionError("child " + pid() + " survived SIGKILL");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Waits for a normal exit and returns the exit code. */
    public int waitFor(Duration timeout) {
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                throw new AssertionError("child [" + description + "] did not exit within " + timeout);
            }
            return process.exitValue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            kill();
        }
    }
}
