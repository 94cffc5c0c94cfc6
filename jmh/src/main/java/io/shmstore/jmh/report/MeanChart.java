package io.shmstore.jmh.report;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The chart of mean times: one group per operation and thread count (and size, where there are several). */
final class MeanChart {
    private MeanChart() {
    }

    static void draw(List<Row> rows, Path png) throws IOException {
        String mean = Report.meanMode(rows);
        boolean sizes = rows.stream().filter(r -> r.type().startsWith("MapBenchmark")).map(r -> r.param("entries"))
                .distinct().count() > 1;
        Map<String, Map<String, Double>> series = new LinkedHashMap<>();
        List<String> categories = new ArrayList<>();
        for (Row r : rows) {
            if (Report.meanRow(r, mean) && r.unit().equals("ns/op") && r.defaultValues() && r.type().startsWith("MapBenchmark")) {
                String cat = r.benchmark().substring(r.benchmark().indexOf('.') + 1)
                        + (sizes ? String.format(Locale.ROOT, " %,d", Long.parseLong(r.param("entries"))) : "");
                if (!categories.contains(cat)) {
                    categories.add(cat);
                }
                series.computeIfAbsent(r.impl(), k -> new LinkedHashMap<>()).put(cat, r.score());
            }
        }
        Charts.bars("Average time per operation (ns, log scale; lower is better)", "ns/op", true, categories, series, 0, "",
                png);
    }
}
