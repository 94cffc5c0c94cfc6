package io.shmstore.jmh.report;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The tails: {@code MapTail1T}/{@code MapTail2T}, sample mode after a warm-up that outlasts the
 * compilation, p99 and p99.9 of each peer side by side with their ratios to Chronicle Map's.
 */
final class TailReport {
    private TailReport() {
    }

    static boolean isTail(Row r) {
        return r.type().startsWith("MapTail");
    }

    private static List<Row> tails(List<Row> rows) {
        List<Row> out = new ArrayList<>();
        rows.stream().filter(r -> isTail(r) && r.mode().equals("sample")).forEach(out::add);
        return out;
    }

    /** Chronicle Map's row of the same case as {@code r}. */
    static Optional<Row> peer(List<Row> rows, Row r) {
        return rows.stream().filter(c -> c.impl().equals(Report.PEER) && c.benchmark().equals(r.benchmark())
                && c.label().equals(r.label()) && c.mode().equals(r.mode())).findFirst();
    }

    static void table(List<Row> rows, PrintStream out) {
        List<Row> tails = tails(rows);
        if (tails.isEmpty()) {
            return;
        }
        out.println();
        out.println("Tail latency (`MapTail1T`, `MapTail2T`: sample mode, measured after their warm-up), each beside"
                + " Chronicle Map's:");
        out.println();
        out.println("| benchmark | params | impl | p50 | p99 | p99.9 | p99 ÷ chronicle-map | p99.9 ÷ chronicle-map | unit |");
        out.println("|---|---|---|---|---|---|---|---|---|");
        for (Row r : tails) {
            Optional<Row> cm = peer(tails, r);
            String p99 = cm.map(c -> String.format(Locale.ROOT, "%.2f×", r.percentile("99.0") / c.percentile("99.0"))).orElse("");
            String p999 = cm.map(c -> String.format(Locale.ROOT, "%.2f×", r.percentile("99.9") / c.percentile("99.9"))).orElse("");
            out.printf(Locale.ROOT, "| %s | %s | %s | %,.0f | %,.0f | %,.0f | %s | %s | %s |%n", r.benchmark(), r.label(), r.impl(),
                    r.percentile("50.0"), r.percentile("99.0"), r.percentile("99.9"), p99, p999, r.unit());
        }
    }

    /** p99 and p99.9 of every peer, one group per operation, thread count and percentile. */
    static void chart(List<Row> rows, Path png) throws IOException {
        Map<String, Map<String, Double>> series = new LinkedHashMap<>();
        List<String> categories = new ArrayList<>();
        boolean sizes = tails(rows).stream().map(r -> r.param("entries")).distinct().count() > 1;
        for (Row r : tails(rows)) {
            if (!r.defaultValues()) {
                continue;
            }
            String name = r.benchmark().substring(r.benchmark().indexOf('.') + 1)
                    + (sizes ? String.format(Locale.ROOT, " %,d", Long.parseLong(r.param("entries"))) : "");
            for (String p : List.of("99.0", "99.9")) {
                String cat = name + " p" + p.replace(".0", "");
                if (!categories.contains(cat)) {
                    categories.add(cat);
                }
                series.computeIfAbsent(r.impl(), k -> new LinkedHashMap<>()).put(cat, r.percentile(p));
            }
        }
        Charts.bars("Tail latency after the warm-up: p99 and p99.9 (" + (tails(rows).isEmpty() ? "" : tails(rows).get(0).unit())
                + ", log scale; lower is better)", "time per operation", true, categories, series, 0, "", png);
    }
}
