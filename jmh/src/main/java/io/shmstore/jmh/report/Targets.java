package io.shmstore.jmh.report;

import java.io.PrintStream;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The targets of the benchmark issues, each with what the inputs measured and whether it was met. A
 * target whose figures the inputs lack is left out. Ratios are ShmStore's over Chronicle Map's, on the
 * default 100-byte values.
 */
final class Targets {
    /** ShmStore's mean {@code get} time, at most this times Chronicle Map's. */
    static final double GET = 0.6;
    static final double GET_USING = 0.5;
    static final double PUT = 0.7;
    /** ShmStore's throughput per JVM of each role across processes, at least this times Chronicle Map's. */
    static final double CROSS_PROCESS = 1.5;
    /** ShmStore's p99 after the warm-up, at most this times Chronicle Map's. */
    static final double P99 = 1.0;
    static final double P999 = 1.5;
    /** ShmStore's bytes per entry, at most this times Chronicle Map's. */
    static final double MEMORY = 1.0;

    private Targets() {
    }

    static void print(List<Row> rows, List<Footprint> memory, PrintStream out) {
        out.println();
        out.println("Targets, as measured:");
        out.println();
        out.println("| target | measured | met |");
        out.println("|---|---|---|");
        String mean = Report.meanMode(rows);
        List<String> sizes = rows.stream().filter(r -> r.type().startsWith("MapBenchmark") && r.mode().equals(mean))
                .map(r -> r.param("entries")).distinct().sorted((a, b) -> Long.compare(Long.parseLong(a), Long.parseLong(b)))
                .collect(Collectors.toList());
        for (String size : sizes) {
            for (String op : List.of("get", "getUsing", "put")) {
                double target = op.equals("get") ? GET : op.equals("getUsing") ? GET_USING : PUT;
                meanTarget(rows, mean, "MapBenchmark1T." + op + " (1t)", size, "`" + op + "`, one thread", target, out);
                meanTarget(rows, mean, "MapBenchmark2T." + op + " (2t)", size, "`" + op + "`, two threads", target, out);
            }
        }
        for (String codec : List.of("bytes", "marshallable")) {
            find(rows, mean, "StoreCodecBenchmark.getUsing (1t)", "shmstore/" + codec, "")
                    .filter(r -> r.secondary().containsKey("gc.alloc.rate.norm"))
                    .ifPresent(r -> {
                        double b = r.secondary().get("gc.alloc.rate.norm");
                        // JMH's own bookkeeping shows as a few hundredths of a byte per operation
                        out.printf(Locale.ROOT, "| `getUsing`, %s codec: 0 B/op | %.2f B/op | %s |%n", codec, b, b < 0.5 ? "yes" : "no");
                    });
        }
        roundTripTarget(rows, "spin", "spinning", 2, out);
        roundTripTarget(rows, "await", "sleeping (`await`)", 50, out);
        crossProcess(rows, out);
        tails(rows, out);
        memory(memory, out);
    }

    private static void meanTarget(List<Row> rows, String mean, String benchmark, String entries, String what, double target,
                                   PrintStream out) {
        Optional<Row> shm = find(rows, mean, benchmark, Report.BASE, entries);
        Optional<Row> cm = find(rows, mean, benchmark, Report.PEER, entries);
        if (shm.isEmpty() || cm.isEmpty()) {
            return;
        }
        double ratio = shm.get().score() / cm.get().score();
        String p50 = find(rows, "sample", benchmark, Report.BASE, entries).flatMap(s -> find(rows, "sample", benchmark, Report.PEER, entries)
                .map(c -> String.format(Locale.ROOT, "; p50 %.2f×", s.percentile("50.0") / c.percentile("50.0")))).orElse("");
        out.printf(Locale.ROOT, "| %s, %,d entries: at most %.1f× Chronicle Map's time | %.2f× (%,.0f against %,.0f %s)%s | %s |%n",
                what, Long.parseLong(entries), target, ratio, shm.get().score(), cm.get().score(), shm.get().unit(), p50,
                atMost(ratio, target));
    }

    private static void roundTripTarget(List<Row> rows, String consumer, String what, double micros, PrintStream out) {
        find(rows, "sample", "RoundTripBenchmark.roundTrip (1t)", consumer, "").ifPresent(r -> {
            double p50 = toMicros(r.percentile("50.0"), r.unit());
            out.printf(Locale.ROOT, "| round trip p50, %s consumer: under %.0f µs | %.2f µs | %s |%n", what, micros, p50,
                    p50 < micros ? "yes" : "no");
        });
    }

    private static void crossProcess(List<Row> rows, PrintStream out) {
        List<CrossProcessReport.Throughput> all = CrossProcessReport.throughputs(rows);
        for (CrossProcessReport.Throughput t : all) {
            // the scenarios: P readers, and readers with one writer; writers alone are shown, not targets
            if (!t.thisJvm() || !t.impl().equals(Report.BASE) || t.label().contains("valueSize=1024") || t.readers() == 0
                    || t.writers() > 1) {
                continue;
            }
            CrossProcessReport.pair(all, t.scenario(), t.label(), t.role(), true).ifPresent(p -> {
                double ratio = p[0] / p[1];
                out.printf(Locale.ROOT, "| across processes, %s, %s: at least %.1f× Chronicle Map's throughput | %.2f× (%,.0f against"
                        + " %,.0f ops/s) | %s |%n", t.scenario(), t.role(), CROSS_PROCESS, ratio, p[0], p[1],
                        ratio >= CROSS_PROCESS ? "yes" : String.format(Locale.ROOT, "no, %.2f× of it", ratio / CROSS_PROCESS));
            });
        }
    }

    private static void tails(List<Row> rows, PrintStream out) {
        for (Row r : rows) {
            if (!TailReport.isTail(r) || !r.mode().equals("sample") || !r.impl().equals(Report.BASE) || !r.defaultValues()) {
                continue;
            }
            TailReport.peer(rows, r).ifPresent(c -> {
                String what = r.benchmark() + (r.label().isEmpty() ? "" : " (" + r.label() + ")");
                for (String p : List.of("99.0", "99.9")) {
                    double target = p.equals("99.0") ? P99 : P999;
                    double ratio = r.percentile(p) / c.percentile(p);
                    out.printf(Locale.ROOT, "| %s, p%s after the warm-up: at most %.1f× Chronicle Map's | %.2f× (%,.0f against %,.0f %s)"
                            + " | %s |%n", what, p.replace(".0", ""), target, ratio, r.percentile(p), c.percentile(p), r.unit(),
                            atMost(ratio, target));
                }
            });
        }
    }

    private static void memory(List<Footprint> memory, PrintStream out) {
        for (Footprint f : memory) {
            if (!f.impl().equals(Report.BASE)) {
                continue;
            }
            MemoryReport.peer(memory, f).ifPresent(c -> {
                double ratio = f.bytesPerEntry() / c.bytesPerEntry();
                out.printf(Locale.ROOT, "| memory, %,d entries of %d bytes: at most %.1f× Chronicle Map's bytes per entry | %.2f×"
                        + " (%,.1f against %,.1f) | %s |%n", f.entries(), f.valueSize(), MEMORY, ratio, f.bytesPerEntry(),
                        c.bytesPerEntry(), atMost(ratio, MEMORY));
            });
        }
    }

    private static String atMost(double ratio, double target) {
        return ratio <= target ? "yes" : String.format(Locale.ROOT, "no, %.2f× over", ratio / target);
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

    /** The row of {@code impl} in {@code benchmark} and {@code mode}, with 100-byte values and, if given, {@code entries}. */
    private static Optional<Row> find(List<Row> rows, String mode, String benchmark, String impl, String entries) {
        return rows.stream().filter(r -> r.mode().equals(mode) && r.benchmark().equals(benchmark) && r.impl().equals(impl)
                && r.defaultValues() && (entries.isEmpty() || r.param("entries").equals(entries))).findFirst();
    }
}
