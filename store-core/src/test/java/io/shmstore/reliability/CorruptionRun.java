package io.shmstore.reliability;

import io.shmstore.reliability.Mutation.TruncateWhileOpen;
import io.shmstore.testing.ChildJvm;
import io.shmstore.testing.CrashReports;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Runs damaged copies through {@link CorruptionChild} in child JVMs, several cases a child, and tells
 * for each case whether every step was a consistent answer or a typed error, and which of the engine's
 * cold paths it reached. A child that crashes, hangs or exits early fails its current case; the cases
 * after it run in a new child, so that one crash does not hide the others.
 */
final class CorruptionRun {
    /** A case that takes longer than this between two lines of the child is a hang (a step takes well under a second). */
    private static final Duration LINE_TIMEOUT = Duration.ofSeconds(20);
    /** Cases one child walks: a JVM start costs more than a case. */
    private static final int PER_CHILD = 25;
    /** Puts past capacity in the walk of a file cut while open, where every operation fails. */
    private static final int SHORT_WALK_PUTS = 50;
    static final List<String> PATHS = List.of("rehash", "eviction", "purge", "recovery", "growth");

    /** One damaged copy: the store it is a copy of and what was done to it. */
    record Case(int index, CorruptionCorpus corpus, List<Mutation> mutations) {
        @Override
        public String toString() {
            return "case " + index + " (" + corpus.name() + ": " + mutations + ")";
        }

        boolean truncatedWhileOpen() {
            return mutations.stream().anyMatch(m -> m instanceof TruncateWhileOpen);
        }
    }

    private final Path dir;
    private final String what;
    private final int puts;
    private final List<String> jvmFlags;
    private final Map<Integer, Case> cases = new LinkedHashMap<>();
    /** Why a case failed, by case index. */
    private final Map<Integer, String> failures = new TreeMap<>();
    /** The runs of each cold path (in {@link #PATHS} order) seen in each case, by case index. */
    private final Map<Integer, long[]> probes = new TreeMap<>();
    /** How often each step ended each way: shows how deep the damaged copies get. */
    private final Map<String, Integer> outcomes = new TreeMap<>();
    private int children;
    private long nanos;

    /**
     * @param what     names the run in its summary and failures
     * @param puts     how many puts each walk makes past capacity
     * @param jvmFlags for the children, after the usual ones (so they win)
     */
    CorruptionRun(Path dir, String what, int puts, List<String> jvmFlags) {
        this.dir = dir;
        this.what = what;
        this.puts = puts;
        this.jvmFlags = jvmFlags;
    }

    CorruptionRun run(List<Case> all) throws IOException {
        long start = System.nanoTime();
        for (Case c : all) {
            cases.put(c.index(), c);
        }
        Path run = Files.createTempDirectory(dir, "run-");
        Path errors = Files.createDirectory(run.resolve("hs_err"));
        int next = 0;
        while (next < all.size()) {
            List<Case> batch = all.subList(next, Math.min(all.size(), next + PER_CHILD));
            try {
                next += walked(batch, run, errors);
            } finally {
                for (Case c : batch) {
                    Files.deleteIfExists(copy(run, c));
                }
            }
        }
        try (Stream<Path> walk = Files.walk(run)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
        nanos = System.nanoTime() - start;
        return this;
    }

    /** Walks {@code batch} in one child, up to the first case that fails it; returns how many cases it went through. */
    private int walked(List<Case> batch, Path run, Path errors) throws IOException {
        List<String> args = new ArrayList<>();
        for (Case c : batch) {
            Path copy = copy(run, c);
            Files.write(copy, c.corpus().pristine());
            try (RandomAccessFile f = new RandomAccessFile(copy.toFile(), "rw")) {
                for (Mutation m : c.mutations()) {
                    m.apply(f);
                }
            }
            TruncateWhileOpen cut = c.mutations().stream().filter(m -> m instanceof TruncateWhileOpen)
                    .map(m -> (TruncateWhileOpen) m).findFirst().orElse(new TruncateWhileOpen(-1, 0));
            // a store cut while open fails every operation, slowly in the interpreter: a short walk
            int walkPuts = cut.length() >= 0 ? Math.min(puts, SHORT_WALK_PUTS) : puts;
            args.add(c.index() + "@" + copy + "@" + c.corpus().keys() + "@" + walkPuts + "@" + cut.length() + "@" + cut.warmUp());
        }
        List<String> command = CrashReports.sendTo(ChildJvm.command(CorruptionChild.class, args.toArray(String[]::new)), errors);
        command.addAll(command.indexOf(CorruptionChild.class.getName()), jvmFlags);
        children++;
        int current = batch.get(0).index();
        boolean inCase = false;
        int walked = 0;
        String step = "(starting the JVM)";
        int trace = 8;
        try (ChildJvm child = ChildJvm.start(command, "CorruptionChild, " + batch.size() + " cases")) {
            String line = "";
            while (!line.equals("DONE")) {
                try {
                    line = nextLine(child);
                } catch (AssertionError silent) {
                    if (!inCase) {
                        // between two cases: it is the next one that did not get through
                        current = batch.get(Math.min(walked, batch.size() - 1)).index();
                    }
                    boolean alive = child.process().isAlive();
                    child.kill();
                    fail(current, (alive ? "hung in step \"" + step + "\" (" + silent.getMessage() + ")"
                            : "the child died in step \"" + step + "\" (" + exit(child.process().exitValue()) + ")")
                            + crash(errors, child.pid()));
                    return walked + 1;
                }
                if (line.startsWith("CASE ")) {
                    current = Integer.parseInt(line.substring(5));
                    inCase = true;
                    step = "open";
                } else if (line.startsWith("END ")) {
                    inCase = false;
                    walked++;
                } else if (line.startsWith("STEP ")) {
                    step = line.substring(5);
                } else if (line.startsWith("PROBES ")) {
                    probes.put(current, parseProbes(line));
                } else if (line.startsWith("OK ")) {
                    outcomes.merge(line, 1, Integer::sum);
                } else if (line.startsWith("TYPED ")) {
                    // the classes, not how many of each: a tally of outcomes, not of counts
                    outcomes.merge(line.replaceAll("=\\d+", ""), 1, Integer::sum);
                } else if (line.startsWith("LATE ") && cases.get(current).truncatedWhileOpen() && !jvmFlags.contains("-Xint")) {
                    // see CorruptionChild.late: HotSpot's asynchronous report of a fault in compiled code,
                    // not a crash (the interpreter reports every fault where it happens)
                    outcomes.merge(line.substring(0, line.indexOf(' ', 5)), 1, Integer::sum);
                    trace = 8;
                } else if (line.startsWith("BAD ") || line.startsWith("LATE ") || line.startsWith("WRONG ")) {
                    fail(current, line);
                    trace = 0;
                } else if (line.startsWith("\tat ") && trace++ < 8) {
                    // the first frames of a BAD step's stack trace, to say where the check is missing
                    failures.merge(current, line, (a, b) -> a + "\n" + b);
                }
            }
            int exit = child.waitFor(LINE_TIMEOUT);
            if (exit != 0) {
                fail(current, "the child ended with " + exit(exit) + " after its last case" + crash(errors, child.pid()));
            }
        }
        return walked;
    }

    private static Path copy(Path run, Case c) {
        return run.resolve("copy-" + c.index() + ".store");
    }

    private void fail(int index, String why) {
        failures.merge(index, why, (a, b) -> a + "\n    " + b);
    }

    private static long[] parseProbes(String line) {
        long[] out = new long[PATHS.size()];
        for (String part : line.substring(7).split(" ")) {
            String[] kv = part.split("=");
            out[PATHS.indexOf(kv[0])] = Long.parseLong(kv[1]);
        }
        return out;
    }

    /**
     * The child's next line within {@link #LINE_TIMEOUT}; fails sooner when the child has died (a
     * crashed child prints nothing more, and waiting out the timeout would only slow the report).
     */
    private static String nextLine(ChildJvm child) {
        long deadline = System.nanoTime() + LINE_TIMEOUT.toNanos();
        while (true) {
            try {
                return child.nextLine(Duration.ofMillis(250));
            } catch (AssertionError none) {
                if (!child.process().isAlive()) {
                    // its last lines may still be on their way from the output file
                    return child.nextLine(Duration.ofSeconds(1));
                }
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("no output from the child within " + LINE_TIMEOUT, none);
                }
            }
        }
    }

    /** A JVM that crashed with a report exits with 1; one killed by a signal before it could write one, with 128 + the signal. */
    private static String exit(int code) {
        return "exit " + code + (code > 128 ? ": killed by signal " + (code - 128) + ", without a crash report" : "");
    }

    private static String crash(Path errors, long pid) throws IOException {
        var report = CrashReports.of(errors, pid);
        if (report.isEmpty()) {
            return "";
        }
        String frame = CrashReports.problematicFrame(report.get());
        // the faulting access is often Chronicle's or Unsafe's: then say which of our methods made it
        return "; JVM crash (hs_err): problematic frame " + frame
                + (frame.contains("io.shmstore.") ? "" : "; first ShmStore frame " + CrashReports.firstShmStoreFrame(report.get()));
    }

    // ---------------------------------------------------------------- results

    /** One line per failing case: the case (its store and mutations), the step, and what went wrong. */
    List<String> failures() {
        return failures.entrySet().stream().map(e -> what + ", " + cases.get(e.getKey()) + ": " + e.getValue())
                .collect(Collectors.toList());
    }

    /** Cases whose walk ran {@code path} (one of {@link #PATHS}) at least once. */
    int reached(String path) {
        int p = PATHS.indexOf(path);
        return (int) probes.values().stream().filter(v -> v[p] > 0).count();
    }

    /** How many runs of {@code path} all the walks made. */
    long runs(String path) {
        int p = PATHS.indexOf(path);
        return probes.values().stream().mapToLong(v -> v[p]).sum();
    }

    /** The cases that crashed the JVM (hs_err). */
    long crashes() {
        return failures.values().stream().filter(f -> f.contains("JVM crash (hs_err)")).count();
    }

    String summary() {
        StringBuilder s = new StringBuilder(what).append(": ").append(cases.size()).append(" cases in ").append(children)
                .append(" child JVMs, ").append(nanos / 1_000_000_000).append(" s; ").append(failures.size())
                .append(" failed (").append(crashes()).append(" JVM crashes)").append("; cold paths reached:");
        for (String p : PATHS) {
            s.append(' ').append(p).append(" in ").append(reached(p)).append(" cases (").append(runs(p)).append(" runs)");
        }
        Map<String, Integer> byStore = new TreeMap<>();
        cases.values().forEach(c -> byStore.merge(c.corpus().name(), 1, Integer::sum));
        return s.append("; stores ").append(byStore).append("\n  step outcomes: ").append(outcomes).toString();
    }
}
