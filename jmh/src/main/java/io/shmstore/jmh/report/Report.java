package io.shmstore.jmh.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Turns JMH JSON result files, and {@code MemoryFootprint}'s JSON, into BENCHMARKS.md's tables (each
 * peer's time as a ratio to ShmStore's), the targets with what was measured, and bar charts, so
 * none of them is written by hand.
 *
 * <pre>{@code java -cp jmh/target/benchmarks.jar io.shmstore.jmh.report.Report results.json [more.json ...] chart.png > tables.md}</pre>
 *
 * <p>Every argument but the last is an input: a JMH result file (a JSON array), or a memory footprint
 * file (an object of kind {@value Footprint#KIND}). The last is the chart of mean times; beside it go
 * {@code <chart>-cross-process.png}, {@code <chart>-tails.png} and {@code <chart>-memory.png}, each
 * where the inputs hold its figures.
 */
public final class Report {
    static final String BASE = "shmstore";
    static final String PEER = "chronicle-map";

    private Report() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length < 2 || !args[args.length - 1].endsWith(".png")) {
            System.err.println("usage: Report <jmh-result.json | memory.json>... <chart.png>");
            System.exit(2);
        }
        List<Row> rows = new ArrayList<>();
        List<Footprint> memory = new ArrayList<>();
        for (int i = 0; i < args.length - 1; i++) {
            read(Path.of(args[i]), rows, memory);
        }
        labels(rows);
        Path png = Path.of(args[args.length - 1]);
        PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
        tables(rows, out);
        TailReport.table(rows, out);
        CrossProcessReport.tables(rows, out);
        MemoryReport.table(memory, out);
        Targets.print(rows, memory, out);
        MeanChart.draw(rows, png);
        TailReport.chart(rows, sibling(png, "tails"));
        CrossProcessReport.chart(rows, sibling(png, "cross-process"));
        MemoryReport.chart(memory, sibling(png, "memory"));
    }

    private static Path sibling(Path png, String what) {
        String name = png.getFileName().toString();
        return png.resolveSibling(name.substring(0, name.length() - ".png".length()) + "-" + what + ".png");
    }

    private static void read(Path json, List<Row> rows, List<Footprint> memory) throws IOException {
        ObjectMapper mapper = new ObjectMapper();
        JsonNode doc = mapper.readTree(Files.readAllBytes(json));
        if (doc.isObject()) {
            if (!Footprint.KIND.equals(doc.path("kind").asText())) {
                throw new IOException(json + " is neither a JMH result file nor a memory footprint file");
            }
            for (JsonNode f : doc.get("results")) {
                memory.add(mapper.treeToValue(f, Footprint.class));
            }
            return;
        }
        for (JsonNode r : doc) {
            String name = r.get("benchmark").asText();
            String bench = name.substring(name.lastIndexOf('.', name.lastIndexOf('.') - 1) + 1);
            Map<String, String> params = new LinkedHashMap<>();
            r.path("params").properties().forEach(p -> params.put(p.getKey(), p.getValue().asText()));
            String impl = params.containsKey("impl") ? params.get("impl") : params.containsKey("codec")
                    ? "shmstore/" + params.get("codec") : params.getOrDefault("consumer", "");
            JsonNode primary = r.get("primaryMetric");
            Map<String, Double> pct = new LinkedHashMap<>();
            primary.path("scorePercentiles").properties().forEach(p -> pct.put(p.getKey(), p.getValue().asDouble()));
            Map<String, Double> secondary = new LinkedHashMap<>();
            r.path("secondaryMetrics").properties().forEach(m -> secondary.put(m.getKey(), m.getValue().get("score").asDouble()));
            rows.add(new Row(bench + " (" + r.get("threads").asInt() + "t)", bench.substring(0, bench.indexOf('.')),
                    bench.substring(bench.indexOf('.') + 1), params, "", impl, r.get("mode").asText(),
                    primary.get("score").asDouble(), primary.get("scoreUnit").asText(), pct, secondary));
        }
    }

    /**
     * Gives each row its label: its parameters but the implementation, and but the entries where every
     * row has the same number of them.
     */
    private static void labels(List<Row> rows) {
        boolean oneSize = rows.stream().map(r -> r.param("entries")).filter(e -> !e.isEmpty()).distinct().count() <= 1;
        for (int i = 0; i < rows.size(); i++) {
            Row r = rows.get(i);
            String label = r.params().entrySet().stream()
                    .filter(p -> !p.getKey().equals("impl") && !(oneSize && p.getKey().equals("entries")))
                    .map(p -> p.getKey() + "=" + p.getValue()).collect(Collectors.joining(", "));
            rows.set(i, new Row(r.benchmark(), r.type(), r.method(), r.params(), label, r.impl(), r.mode(), r.score(),
                    r.unit(), r.percentiles(), r.secondary()));
        }
    }

    /**
     * The mode whose scores the ratio table and chart use: average time when the run measured it, else
     * sample mode (whose score is also the mean time per operation).
     */
    static String meanMode(List<Row> rows) {
        return rows.stream().anyMatch(r -> r.mode().equals("avgt")) ? "avgt" : "sample";
    }

    /** The rows of the mean-time comparison: neither the tails' own runs nor the throughputs. */
    static boolean meanRow(Row r, String mean) {
        return r.mode().equals(mean) && !TailReport.isTail(r);
    }

    private static void tables(List<Row> rows, PrintStream out) {
        String mean = meanMode(rows);
        Set<String> impls = new LinkedHashSet<>();
        rows.stream().filter(r -> meanRow(r, mean)).forEach(r -> impls.add(r.impl()));
        if (impls.isEmpty()) {
            return;
        }
        out.println("| benchmark | params | " + String.join(" | ", impls) + " |");
        out.println("|---|---|" + "---|".repeat(impls.size()));
        Map<String, Map<String, Row>> byCase = new LinkedHashMap<>();
        for (Row r : rows) {
            if (meanRow(r, mean)) {
                byCase.computeIfAbsent(r.benchmark() + "|" + r.label(), k -> new LinkedHashMap<>()).put(r.impl(), r);
            }
        }
        for (Map.Entry<String, Map<String, Row>> c : byCase.entrySet()) {
            Row base = c.getValue().get(BASE);
            StringBuilder line = new StringBuilder("| " + c.getKey().replace("|", " | ") + " |");
            for (String impl : impls) {
                Row r = c.getValue().get(impl);
                if (r == null) {
                    line.append(" |");
                } else if (base == null || impl.equals(BASE)) {
                    line.append(String.format(Locale.ROOT, " %,.0f %s |", r.score(), r.unit()));
                } else {
                    line.append(String.format(Locale.ROOT, " %,.0f %s (%.2f×) |", r.score(), r.unit(), r.score() / base.score()));
                }
            }
            out.println(line);
        }
        if (rows.stream().anyMatch(r -> r.mode().equals("sample") && !TailReport.isTail(r))) {
            out.println();
            out.println("Sample mode, percentiles (the map operations' tails only after the long warm-up: `MapTail1T`/`MapTail2T`):");
            out.println();
            out.println("| benchmark | params | impl | p50 | p99 | p99.9 | unit |");
            out.println("|---|---|---|---|---|---|---|");
            for (Row r : rows) {
                if (r.mode().equals("sample") && !TailReport.isTail(r)) {
                    // the comparison's own warm-up is too short for its tails (BENCHMARKS.md, "Tail latency")
                    boolean tails = !r.type().startsWith("MapBenchmark");
                    out.printf(Locale.ROOT, "| %s | %s | %s | %,.2f | %s | %s | %s |%n", r.benchmark(), r.label(), r.impl(),
                            r.percentile("50.0"), tails ? String.format(Locale.ROOT, "%,.2f", r.percentile("99.0")) : "",
                            tails ? String.format(Locale.ROOT, "%,.2f", r.percentile("99.9")) : "", r.unit());
                }
            }
        }
        if (rows.stream().anyMatch(r -> r.secondary().containsKey("gc.alloc.rate.norm") && meanRow(r, mean))) {
            out.println();
            out.println("Allocation (`-prof gc`, bytes per operation), where measured:");
            out.println();
            out.println("| benchmark | params | impl | B/op |");
            out.println("|---|---|---|---|");
            for (Row r : rows) {
                Double alloc = r.secondary().get("gc.alloc.rate.norm");
                if (alloc != null && meanRow(r, mean)) {
                    out.printf(Locale.ROOT, "| %s | %s | %s | %,.1f |%n", r.benchmark(), r.label(), r.impl(), alloc);
                }
            }
        }
    }
}
