package io.shmstore.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * HotSpot crash reports (hs_err files) of child JVMs: where they go, and the lines of one that say
 * which access crashed. A test that expects a child might crash (a damaged store walked by it) sends
 * the reports to a directory of its own, so that a crash fails the test with what crashed rather than
 * killing the build or leaving a file in the working directory.
 */
public final class CrashReports {
    private static final String FRAME = "# Problematic frame:";
    private static final String NATIVE_FRAMES = "Native frames:";
    private static final String JAVA_FRAMES = "Java frames:";

    private CrashReports() {
    }

    /**
     * Adds to a child's {@code command} (right after the java binary, so that later flags can still
     * override the rest) the flags that write its crash report into {@code dir} and skip core dumps.
     */
    public static List<String> sendTo(List<String> command, Path dir) {
        command.add(1, "-XX:ErrorFile=" + dir.resolve("hs_err_pid%p.log"));
        command.add(2, "-XX:-CreateCoredumpOnCrash");
        return command;
    }

    /** The crash report of process {@code pid} in {@code dir}, if it wrote one. */
    public static Optional<Path> of(Path dir, long pid) {
        Path report = dir.resolve("hs_err_pid" + pid + ".log");
        return Files.exists(report) ? Optional.of(report) : Optional.empty();
    }

    /** Every crash report in {@code dir}. */
    public static List<Path> all(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(p -> p.getFileName().toString().startsWith("hs_err")).sorted().collect(Collectors.toList());
        }
    }

    /**
     * The report's "Problematic frame" (the frame that faulted: {@code J ... io.shmstore...Segment.rehash()V}
     * for compiled Java code, {@code C [libc.so.6+...]} for native code), or a note that there is none.
     */
    public static String problematicFrame(Path report) throws IOException {
        List<String> lines = Files.readAllLines(report);
        int at = lines.indexOf(FRAME);
        return at >= 0 && at + 1 < lines.size() ? lines.get(at + 1).replaceFirst("^#\\s*", "")
                : "(no problematic frame in " + report.getFileName() + ")";
    }

    /**
     * The first frame of ShmStore's own code on the crashed thread's stack (the access that faulted is
     * usually a Chronicle or Unsafe frame above it), e.g. {@code j io.shmstore.internal.store.Segment.rehash()V+148}.
     */
    public static String firstShmStoreFrame(Path report) throws IOException {
        return frames(Files.readAllLines(report)).stream().filter(f -> f.contains("io.shmstore.")).findFirst()
                .orElse("(no ShmStore frame)");
    }

    /** The signal line, the problematic frame and the first {@code frames} frames of the crashed thread. */
    public static String summary(Path report, int frames) throws IOException {
        List<String> lines = Files.readAllLines(report);
        List<String> out = new ArrayList<>();
        lines.stream().filter(l -> l.startsWith("#  SIG")).findFirst().ifPresent(l -> out.add(l.replaceFirst("^#\\s*", "")));
        out.add("problematic frame: " + problematicFrame(report));
        frames(lines).stream().limit(frames).forEach(f -> out.add("  " + f));
        return String.join("\n", out);
    }

    /**
     * The crashed thread's frames: the "Native frames" list (which interleaves Java frames), or the
     * "Java frames" list when the report has no native one.
     */
    private static List<String> frames(List<String> lines) {
        List<String> out = new ArrayList<>();
        int at = -1;
        for (int i = 0; i < lines.size() && at < 0; i++) {
            if (lines.get(i).startsWith(NATIVE_FRAMES) || lines.get(i).startsWith(JAVA_FRAMES)) {
                at = i;
            }
        }
        for (int i = at + 1; at >= 0 && i < lines.size() && !lines.get(i).isBlank(); i++) {
            out.add(lines.get(i));
        }
        return out;
    }
}
