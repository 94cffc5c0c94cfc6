package io.shmstore.jmh;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.shmstore.JvmFlags;
import io.shmstore.jmh.peers.KeyValue;
import io.shmstore.jmh.report.Footprint;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Bytes per entry of every peer's store, filled with the same data: for each size, each peer makes a
 * store sized for {@code N} entries (keys like {@code key-0001234}, {@code valueSize}-byte values, the
 * configuration {@link KeyValue#open} gives every peer) in a fresh directory under the shm directory,
 * fills it with {@code N} distinct values, and counts what its files really occupy: the blocks they
 * have allocated ({@code st_blocks} × 512, as {@code du -B1} counts; in tmpfs that is the pages written
 * or reserved with {@code fallocate}), not their lengths, since a sparse file's length costs nothing.
 * The heap map ({@code chm}) is measured as the heap in use after a full GC, less the heap before it.
 *
 * <p>Each store is made in a JVM of its own (one peer's heap and mappings cannot disturb another's),
 * and the tool prints a table with each peer's ratio to Chronicle Map, and writes JSON and CSV that
 * {@link io.shmstore.jmh.report.Report} reads:
 *
 * <pre>{@code java -cp jmh/target/benchmarks.jar io.shmstore.jmh.MemoryFootprint
 *     [--entries 1000000,5000000] [--impls shmstore,chronicle-map,lmdb,mapdb,chm] [--value-size 100]
 *     [--json memory.json] [--csv memory.csv]}</pre>
 */
public final class MemoryFootprint {
    private static final String MARK = "FOOTPRINT ";
    private static final int KEY_SIZE = 11;
    private static final long CHILD_TIMEOUT_MINUTES = 30;

    private MemoryFootprint() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> opts = options(args);
        List<Integer> sizes = Arrays.stream(opts.getOrDefault("--entries", "1000000,5000000").split(","))
                .map(String::trim).map(Integer::parseInt).collect(Collectors.toList());
        List<String> impls = Arrays.asList(opts.getOrDefault("--impls", "shmstore,chronicle-map,lmdb,mapdb,chm").split(","));
        int valueSize = Integer.parseInt(opts.getOrDefault("--value-size", "100"));
        PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
        List<Footprint> results = new ArrayList<>();
        for (int n : sizes) {
            if (n < 1 || n > 10_000_000) {
                throw new IllegalArgumentException("--entries " + n + ": use 1 to 10,000,000 (the keys have 7 digits)");
            }
        }
        for (int n : sizes) {
            for (String impl : impls) {
                long start = System.nanoTime();
                Footprint f = measureInChild(impl.trim(), n, valueSize);
                out.printf(Locale.ROOT, "%s, %,d entries: %,.1f bytes/entry (%s), filled in %.1f s, %.1f s in all%n", f.impl(),
                        f.entries(), f.bytesPerEntry(), f.measure(), f.fillSeconds(), (System.nanoTime() - start) / 1e9);
                results.add(f);
            }
        }
        out.println();
        table(results, out);
        if (opts.containsKey("--json")) {
            Map<String, Object> doc = new LinkedHashMap<>();
            doc.put("kind", Footprint.KIND);
            doc.put("results", results);
            new ObjectMapper().writerWithDefaultPrettyPrinter().writeValue(Path.of(opts.get("--json")).toFile(), doc);
        }
        if (opts.containsKey("--csv")) {
            List<String> lines = new ArrayList<>();
            lines.add("impl,entries,keySize,valueSize,measure,bytes,apparentBytes,files,fillSeconds,bytesPerEntry");
            for (Footprint f : results) {
                lines.add(String.format(Locale.ROOT, "%s,%d,%d,%d,%s,%d,%d,%d,%.3f,%.2f", f.impl(), f.entries(), f.keySize(),
                        f.valueSize(), f.measure(), f.bytes(), f.apparentBytes(), f.files(), f.fillSeconds(), f.bytesPerEntry()));
            }
            Files.write(Path.of(opts.get("--csv")), lines);
        }
    }

    private static Map<String, String> options(String[] args) {
        Map<String, String> opts = new LinkedHashMap<>();
        for (int i = 0; i < args.length; i += 2) {
            if (!List.of("--entries", "--impls", "--value-size", "--json", "--csv").contains(args[i]) || i + 1 == args.length) {
                System.err.println("usage: MemoryFootprint [--entries 1000000,5000000] [--impls shmstore,chronicle-map,lmdb,mapdb,chm]"
                        + " [--value-size 100] [--json FILE] [--csv FILE]");
                System.exit(2);
            }
            opts.put(args[i], args[i + 1]);
        }
        return opts;
    }

    /** The peer's store, made and measured by a JVM of its own in a fresh shm directory. */
    private static Footprint measureInChild(String impl, int entries, int valueSize) throws Exception {
        Path dir = Scratch.freshShmDir();
        try {
            Process child = new ProcessBuilder(JvmFlags.childCommand(Measure.class, List.of(), impl,
                    Integer.toString(entries), Integer.toString(valueSize), dir.toString()))
                    .redirectError(ProcessBuilder.Redirect.INHERIT).start();
            Footprint result = null;
            try (BufferedReader lines = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                    if (line.startsWith(MARK)) {
                        result = new ObjectMapper().readValue(line.substring(MARK.length()), Footprint.class);
                    } else {
                        System.out.println(line);
                    }
                }
            }
            if (!child.waitFor(CHILD_TIMEOUT_MINUTES, TimeUnit.MINUTES)) {
                child.destroyForcibly();
                throw new IllegalStateException(impl + " at " + entries + " entries took more than " + CHILD_TIMEOUT_MINUTES + " minutes");
            }
            if (child.exitValue() != 0 || result == null) {
                throw new IllegalStateException(impl + " at " + entries + " entries: the measuring JVM exited with "
                        + child.exitValue() + (result == null ? " and no result" : ""));
            }
            return result;
        } finally {
            Scratch.delete(dir);
        }
    }

    private static void table(List<Footprint> results, PrintStream out) {
        out.println("| entries | impl | bytes/entry | ÷ chronicle-map | measure | bytes | apparent bytes | files | fill |");
        out.println("|---|---|---|---|---|---|---|---|---|");
        for (Footprint f : results) {
            String ratio = results.stream().filter(c -> c.entries() == f.entries() && c.impl().equals("chronicle-map")).findFirst()
                    .map(c -> String.format(Locale.ROOT, "%.2f×", f.bytesPerEntry() / c.bytesPerEntry())).orElse("");
            out.printf(Locale.ROOT, "| %,d | %s | %,.1f | %s | %s | %,d | %,d | %d | %.1f s |%n", f.entries(), f.impl(),
                    f.bytesPerEntry(), ratio, f.measure(), f.bytes(), f.apparentBytes(), f.files(), f.fillSeconds());
        }
    }

    /** A value of its own for every entry (the heap map keeps the arrays it is given). */
    static byte[] value(int i, int valueSize) {
        byte[] v = new byte[valueSize];
        KeyValue.writeLong(v, i);
        return v;
    }

    /** The measuring JVM: {@code impl entries valueSize dir}; prints one line, {@value #MARK} and JSON. */
    public static final class Measure {
        private Measure() {
        }

        public static void main(String[] args) throws Exception {
            String impl = args[0];
            int entries = Integer.parseInt(args[1]);
            int valueSize = Integer.parseInt(args[2]);
            Path dir = Path.of(args[3]);
            boolean heap = impl.equals("chm");
            long heapBefore = heap ? heapAfterGc() : 0;
            String[] keys = MapOps.keys(entries);
            long start = System.nanoTime();
            KeyValue map = KeyValue.open(impl, dir, entries, valueSize);
            map.fill(keys, i -> value(i, valueSize));
            double fillSeconds = (System.nanoTime() - start) / 1e9;
            for (int i = 0; i < entries; i += Math.max(1, entries / 1000)) {
                byte[] v = map.get(keys[i]);
                if (v == null || v.length != valueSize || KeyValue.readLong(v) != i) {
                    throw new IllegalStateException(impl + " does not hold what was put under " + keys[i]);
                }
            }
            Footprint f;
            if (heap) {
                keys = null;
                long bytes = heapAfterGc() - heapBefore;
                f = Footprint.of(impl, entries, KEY_SIZE, valueSize, "heap", bytes, bytes, 0, fillSeconds);
            } else {
                long[] blocks = blocks(dir);
                f = Footprint.of(impl, entries, KEY_SIZE, valueSize, "blocks", blocks[0], blocks[1], (int) blocks[2], fillSeconds);
            }
            System.out.println(MARK + new ObjectMapper().writeValueAsString(f));
            map.close();
        }

        /** The heap in use once full collections no longer shrink it. */
        private static long heapAfterGc() {
            long used = Long.MAX_VALUE;
            for (int i = 0; i < 5; i++) {
                System.gc();
                long now = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
                if (now >= used) {
                    return now;
                }
                used = now;
            }
            return used;
        }
    }

    /**
     * The allocated bytes, the lengths and the number of the regular files under {@code dir}, from
     * {@code stat}: the JDK's file attributes have no block count.
     */
    static long[] blocks(Path dir) throws IOException, InterruptedException {
        List<String> files;
        try (Stream<Path> walk = Files.walk(dir)) {
            files = walk.filter(Files::isRegularFile).map(Path::toString).sorted().collect(Collectors.toList());
        }
        long[] out = new long[3];
        if (files.isEmpty()) {
            return out;
        }
        List<String> cmd = new ArrayList<>(List.of("stat", "--format=%b %B %s"));
        cmd.addAll(files);
        Process stat = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        List<String> lines;
        try (BufferedReader r = new BufferedReader(new InputStreamReader(stat.getInputStream(), StandardCharsets.UTF_8))) {
            lines = r.lines().collect(Collectors.toList());
        }
        if (stat.waitFor() != 0 || lines.size() != files.size()) {
            throw new IOException("stat failed on " + files + ": " + lines);
        }
        for (String line : lines) {
            String[] f = line.trim().split(" ");
            out[0] += Long.parseLong(f[0]) * Long.parseLong(f[1]);
            out[1] += Long.parseLong(f[2]);
        }
        out[2] = files.size();
        return out;
    }
}
