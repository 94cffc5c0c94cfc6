package io.shmstore.jmh.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.ChartEncoder;
import org.knowm.xchart.style.Styler;

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
import java.util.Optional;
import java.util.Set;

/**
 * Turns a JMH JSON result file into BENCHMARKS.md's tables (each peer's time as a ratio to
 * ShmStore's) and a bar chart, so neither is written by hand.
 *
 * <pre>{@code java -cp jmh/target/benchmarks.jar io.shmstore.jmh.report.Report results.json chart.png > tables.md}</pre>
 */
public final class Report {
    private static final String BASE = "shmstore";

    /** One score: benchmark, its parameters other than impl, and impl. */
    private record Row(String benchmark, String params, String impl, String mode, double score, String unit,
                       Map<String, Double> percentiles, Map<String, Double> secondary) {
    }

    private Report() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length != 2) {
            System.err.println("usage: Report <jmh-result.json> <chart.png>");
            System.exit(2);
        }
        List<Row> rows = read(Path.of(args[0]));
        PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
        tables(rows, out);
        targets(rows, out);
        chart(rows, Path.of(args[1]));
    }

    private static List<Row> read(Path json) throws IOException {
        List<Row> rows = new ArrayList<>();
        for (JsonNode r : new ObjectMapper().readTree(Files.readAllBytes(json))) {
            String name = r.get("benchmark").asText();
            String bench = name.substring(name.lastIndexOf('.', name.lastIndexOf('.') - 1) + 1);
            JsonNode params = r.path("params");
            String impl = params.has("impl") ? params.get("impl").asText() : params.has("codec")
                    ? "shmstore/" + params.get("codec").asText() : params.has("consumer") ? params.get("consumer").asText() : "";
            StringBuilder other = new StringBuilder();
            params.fieldNames().forEachRemaining(f -> {
                if (!f.equals("impl") && !f.equals("entries")) {
                    other.append(other.length() == 0 ? "" : ", ").append(f).append('=').append(params.get(f).asText());
                }
            });
            JsonNode primary = r.get("primaryMetric");
            Map<String, Double> pct = new LinkedHashMap<>();
            primary.path("scorePercentiles").fieldNames().forEachRemaining(
                    p -> pct.put(p, primary.get("scorePercentiles").get(p).asDouble()));
            Map<String, Double> secondary = new LinkedHashMap<>();
            r.path("secondaryMetrics").fieldNames().forEachRemaining(
                    m -> secondary.put(m, r.get("secondaryMetrics").get(m).get("score").asDouble()));
            rows.add(new Row(bench + " (" + r.get("threads").asInt() + "t)", other.toString(), impl, r.get("mode").asText(),
                    primary.get("score").asDouble(), primary.get("scoreUnit").asText(), pct, secondary));
        }
        return rows;
    }

    /**
     * The mode whose scores the ratio table and chart use: average time when the run measured it, else
     * sample mode (whose score is also the mean time per operation).
     */
    private static String meanMode(List<Row> rows) {
        return rows.stream().anyMatch(r -> r.mode().equals("avgt")) ? "avgt" : "sample";
    }

    private static void tables(List<Row> rows, PrintStream out) {
        String mean = meanMode(rows);
        Set<String> impls = new LinkedHashSet<>();
        rows.stream().filter(r -> r.mode().equals(mean)).forEach(r -> impls.add(r.impl()));
        out.println("| benchmark | params | " + String.join(" | ", impls) + " |");
        out.println("|---|---|" + "---|".repeat(impls.size()));
        Map<String, Map<String, Row>> byCase = new LinkedHashMap<>();
        for (Row r : rows) {
            if (r.mode().equals(mean)) {
                byCase.computeIfAbsent(r.benchmark() + "|" + r.params(), k -> new LinkedHashMap<>()).put(r.impl(), r);
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
        out.println();
        out.println("Sample mode, percentiles:");
        out.println();
        out.println("| benchmark | params | impl | p50 | p99 | p99.9 | unit |");
        out.println("|---|---|---|---|---|---|---|");
        for (Row r : rows) {
            if (r.mode().equals("sample")) {
                out.printf(Locale.ROOT, "| %s | %s | %s | %,.2f | %,.2f | %,.2f | %s |%n", r.benchmark(), r.params(), r.impl(),
                        r.percentiles().getOrDefault("50.0", Double.NaN), r.percentiles().getOrDefault("99.0", Double.NaN),
                        r.percentiles().getOrDefault("99.9", Double.NaN), r.unit());
            }
        }
        out.println();
        out.println("Allocation (`-prof gc`, bytes per operation), where measured:");
        out.println();
        out.println("| benchmark | params | impl | B/op |");
        out.println("|---|---|---|---|");
        for (Row r : rows) {
            Double alloc = r.secondary().get("gc.alloc.rate.norm");
            if (alloc != null && r.mode().equals(mean)) {
                out.printf(Locale.ROOT, "| %s | %s | %s | %,.1f |%n", r.benchmark(), r.params(), r.impl(), alloc);
            }
        }
    }

    /**
     * The targets of the benchmark issue, each with what this run measured and whether it met it: the
     * mean ratios to Chronicle Map (the p50 ratio beside them, since means on a shared machine carry
     * its tails), {@code getUsing}'s allocation, and the round trip's median.
     */
    private static void targets(List<Row> rows, PrintStream out) {
        String mean = meanMode(rows);
        out.println();
        out.println("Targets, as measured in this run:");
        out.println();
        out.println("| target | measured | met |");
        out.println("|---|---|---|");
        ratioTarget(rows, mean, "MapBenchmark1T.get (1t)", "`get`, one thread", 0.5, out);
        ratioTarget(rows, mean, "MapBenchmark2T.get (2t)", "`get`, two threads", 0.4, out);
        ratioTarget(rows, mean, "MapBenchmark1T.put (1t)", "`put`, one thread", 0.7, out);
        ratioTarget(rows, mean, "MapBenchmark2T.put (2t)", "`put`, two threads", 0.7, out);
        for (String codec : List.of("bytes", "marshallable")) {
            find(rows, mean, "StoreCodecBenchmark.getUsing (1t)", "shmstore/" + codec)
                    .filter(r -> r.secondary().containsKey("gc.alloc.rate.norm"))
                    .ifPresent(r -> {
                        double b = r.secondary().get("gc.alloc.rate.norm");
                        // JMH's own bookkeeping shows as a few hundredths of a byte per operation
                        out.printf(Locale.ROOT, "| `getUsing`, %s codec: 0 B/op | %.2f B/op | %s |%n", codec, b, b < 0.5 ? "yes" : "no");
                    });
        }
        roundTripTarget(rows, "spin", "spinning", 2, out);
        roundTripTarget(rows, "await", "sleeping (`await`)", 50, out);
    }

    private static void ratioTarget(List<Row> rows, String mean, String benchmark, String what, double target,
                                    PrintStream out) {
        Optional<Row> shm = find(rows, mean, benchmark, BASE);
        Optional<Row> cm = find(rows, mean, benchmark, "chronicle-map");
        if (shm.isEmpty() || cm.isEmpty()) {
            return;
        }
        double ratio = shm.get().score() / cm.get().score();
        String p50 = find(rows, "sample", benchmark, BASE).flatMap(s -> find(rows, "sample", benchmark, "chronicle-map")
                .map(c -> String.format(Locale.ROOT, "; p50 %.2f×", s.percentiles().getOrDefault("50.0", Double.NaN)
                        / c.percentiles().getOrDefault("50.0", Double.NaN)))).orElse("");
        out.printf(Locale.ROOT, "| %s: at most %.1f× Chronicle Map's time | %.2f× (%,.0f against %,.0f %s)%s | %s |%n", what,
                target, ratio, shm.get().score(), cm.get().score(), shm.get().unit(), p50,
                ratio <= target ? "yes" : String.format(Locale.ROOT, "no, %.2f× over", ratio / target));
    }

    private static void roundTripTarget(List<Row> rows, String consumer, String what, double micros, PrintStream out) {
        find(rows, "sample", "RoundTripBenchmark.roundTrip (1t)", consumer).ifPresent(r -> {
            double p50 = toMicros(r.percentiles().getOrDefault("50.0", Double.NaN), r.unit());
            out.printf(Locale.ROOT, "| round trip p50, %s consumer: under %.0f µs | %.2f µs | %s |%n", what, micros, p50,
                    p50 < micros ? "yes" : "no");
        });
    }

    private static double toMicros(double value, String unit) {
        switch (unit) {
            case "ns/op":
                return value / 1000;
            case "us/op":
                return value;
            case "ms/op":
                return value * 1000;
            default:
                throw new IllegalArgumentException("unexpected unit " + unit);
        }
    }

    /** The row of {@code impl} in {@code benchmark} and {@code mode}, with the default value size. */
    private static Optional<Row> find(List<Row> rows, String mode, String benchmark, String impl) {
        return rows.stream().filter(r -> r.mode().equals(mode) && r.benchmark().equals(benchmark) && r.impl().equals(impl)
                && !r.params().contains("valueSize=1024")).findFirst();
    }

    /** Average time per operation, one group per benchmark and thread count, one bar per implementation. */
    private static void chart(List<Row> rows, Path png) throws IOException {
        CategoryChart chart = new CategoryChartBuilder().width(1400).height(700)
                .title("Average time per operation (ns, log scale; lower is better)").xAxisTitle("operation")
                .yAxisTitle("ns/op").build();
        chart.getStyler().setYAxisLogarithmic(true);
        chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideE);
        chart.getStyler().setXAxisLabelRotation(20);
        Map<String, Map<String, Double>> series = new LinkedHashMap<>();
        List<String> categories = new ArrayList<>();
        String mean = meanMode(rows);
        for (Row r : rows) {
            if (r.mode().equals(mean) && r.unit().equals("ns/op") && !r.params().contains("valueSize=1024")
                    && r.benchmark().startsWith("MapBenchmark")) {
                String cat = r.benchmark().replace("MapBenchmark1T.", "").replace("MapBenchmark2T.", "");
                if (!categories.contains(cat)) {
                    categories.add(cat);
                }
                series.computeIfAbsent(r.impl(), k -> new LinkedHashMap<>()).put(cat, r.score());
            }
        }
        if (categories.isEmpty()) {
            return;
        }
        double min = Double.MAX_VALUE;
        double max = 1;
        for (Map.Entry<String, Map<String, Double>> s : series.entrySet()) {
            List<Double> ys = new ArrayList<>();
            for (String c : categories) {
                double y = Math.max(1.0, s.getValue().getOrDefault(c, 1.0));
                ys.add(y);
                min = Math.min(min, y);
                max = Math.max(max, y);
            }
            chart.addSeries(s.getKey(), categories, ys);
        }
        chart.getStyler().setYAxisMin(Math.max(1, Math.pow(10, Math.floor(Math.log10(min)))));
        chart.getStyler().setYAxisMax(Math.pow(10, Math.ceil(Math.log10(max))));
        ChartEncoder.saveChart(chart, png.toString(), "png");
    }
}
