package io.shmstore.jmh.report;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * {@code CrossProcessBenchmark}: each role's throughput when several JVMs share one store, ShmStore's
 * beside Chronicle Map's. A trial measures the role of the JMH fork ("this JVM") and, from the counts
 * the child JVMs publish, the other JVMs' roles in the same iterations ("other JVMs", per JVM).
 */
final class CrossProcessReport {
    static final String BENCHMARK = "CrossProcessBenchmark";

    /**
     * One role's throughput in one scenario, per JVM of that role.
     *
     * @param scenario  the JVMs, by role: {@code 1 reader JVM + 1 writer JVM}
     * @param readers   how many JVMs read in the scenario
     * @param writers   how many JVMs write in the scenario
     * @param label     the other parameters (entries, value size)
     * @param role      {@code reader} or {@code writer}
     * @param thisJvm   measured in the JMH fork; otherwise counted in the child JVMs
     * @param impl      the store
     * @param opsPerJvm operations per second of one JVM of the role (the mean where several have it)
     */
    record Throughput(String scenario, long readers, long writers, String label, String role, boolean thisJvm, String impl, double opsPerJvm) {
    }

    private CrossProcessReport() {
    }

    static List<Throughput> throughputs(List<Row> rows) {
        List<Throughput> out = new ArrayList<>();
        for (Row r : rows) {
            if (!r.type().equals(BENCHMARK) || !r.mode().equals("thrpt")) {
                continue;
            }
            String role = r.method().equals("write") ? "writer" : "reader";
            List<String> others = r.param("others").equals("none") ? List.of() : Arrays.asList(r.param("others").split("\\+"));
            long readers = others.stream().filter("reader"::equals).count() + (role.equals("reader") ? 1 : 0);
            long writers = others.stream().filter("writer"::equals).count() + (role.equals("writer") ? 1 : 0);
            String scenario = scenario(readers, writers);
            String label = r.params().entrySet().stream().filter(p -> !p.getKey().equals("impl") && !p.getKey().equals("others"))
                    .map(p -> p.getKey() + "=" + p.getValue()).collect(Collectors.joining(", "));
            double scale = toOpsPerSecond(r.unit());
            out.add(new Throughput(scenario, readers, writers, label, role, true, r.impl(), r.score() * scale));
            long otherReaders = others.stream().filter("reader"::equals).count();
            long otherWriters = others.size() - otherReaders;
            if (otherReaders > 0 && r.secondary().containsKey("otherReads")) {
                out.add(new Throughput(scenario, readers, writers, label, "reader", false, r.impl(), r.secondary().get("otherReads") * scale / otherReaders));
            }
            if (otherWriters > 0 && r.secondary().containsKey("otherWrites")) {
                out.add(new Throughput(scenario, readers, writers, label, "writer", false, r.impl(), r.secondary().get("otherWrites") * scale / otherWriters));
            }
        }
        // readers alone, fewest first; then readers with writers; then writers alone
        out.sort(Comparator.comparingLong((Throughput t) -> t.readers() == 0 ? 1 : 0).thenComparingLong(Throughput::writers)
                .thenComparingLong(Throughput::readers));
        return out;
    }

    private static String scenario(long readers, long writers) {
        List<String> parts = new ArrayList<>();
        if (readers > 0) {
            parts.add(readers + " reader JVM" + (readers > 1 ? "s" : ""));
        }
        if (writers > 0) {
            parts.add(writers + " writer JVM" + (writers > 1 ? "s" : ""));
        }
        return String.join(" + ", parts);
    }

    private static double toOpsPerSecond(String unit) {
        switch (unit) {
            case "ops/s":
                return 1;
            case "ops/ms":
                return 1e3;
            case "ops/us":
                return 1e6;
            default:
                throw new IllegalArgumentException("unexpected throughput unit " + unit);
        }
    }

    /** ShmStore's and Chronicle Map's throughput of {@code role} in a scenario, where both were measured. */
    static Optional<double[]> pair(List<Throughput> all, String scenario, String label, String role, boolean thisJvm) {
        Optional<Throughput> shm = find(all, scenario, label, role, thisJvm, Report.BASE);
        Optional<Throughput> cm = find(all, scenario, label, role, thisJvm, Report.PEER);
        return shm.isPresent() && cm.isPresent() ? Optional.of(new double[]{shm.get().opsPerJvm(), cm.get().opsPerJvm()})
                : Optional.empty();
    }

    private static Optional<Throughput> find(List<Throughput> all, String scenario, String label, String role, boolean thisJvm,
                                             String impl) {
        return all.stream().filter(t -> t.scenario().equals(scenario) && t.label().equals(label) && t.role().equals(role)
                && t.thisJvm() == thisJvm && t.impl().equals(impl)).findFirst();
    }

    /** One table per scenario: each role, ShmStore's and Chronicle Map's operations per second per JVM, the ratio. */
    static void tables(List<Row> rows, PrintStream out) {
        List<Throughput> all = throughputs(rows);
        if (all.isEmpty()) {
            return;
        }
        Set<String> impls = new LinkedHashSet<>();
        impls.add(Report.BASE);
        impls.add(Report.PEER);
        all.forEach(t -> impls.add(t.impl()));
        Map<String, List<Throughput>> byScenario = new LinkedHashMap<>();
        all.forEach(t -> byScenario.computeIfAbsent(t.scenario() + " (" + t.label() + ")", k -> new ArrayList<>()).add(t));
        out.println();
        out.println("Across processes (`CrossProcessBenchmark`), operations per second of one JVM of each role:");
        for (Map.Entry<String, List<Throughput>> s : byScenario.entrySet()) {
            out.println();
            out.println("**" + s.getKey() + "**");
            out.println();
            out.println("| role | measured in | " + impls.stream().map(i -> i + " ops/s").collect(Collectors.joining(" | "))
                    + " | shmstore ÷ chronicle-map |");
            out.println("|---|---|" + "---|".repeat(impls.size() + 1));
            Set<String> lines = new LinkedHashSet<>();
            for (boolean thisJvm : new boolean[]{true, false}) {
                for (String role : List.of("reader", "writer")) {
                    List<Throughput> ts = s.getValue().stream().filter(t -> t.role().equals(role) && t.thisJvm() == thisJvm)
                            .collect(Collectors.toList());
                    if (ts.isEmpty() || !lines.add(role + thisJvm)) {
                        continue;
                    }
                    Throughput any = ts.get(0);
                    StringBuilder line = new StringBuilder("| " + role + " | " + (thisJvm ? "this JVM (JMH)" : "other JVMs (counted)") + " |");
                    for (String impl : impls) {
                        line.append(ts.stream().filter(t -> t.impl().equals(impl)).findFirst()
                                .map(t -> String.format(Locale.ROOT, " %,.0f |", t.opsPerJvm())).orElse(" |"));
                    }
                    line.append(pair(all, any.scenario(), any.label(), role, thisJvm)
                            .map(p -> String.format(Locale.ROOT, " %.2f× |", p[0] / p[1])).orElse(" |"));
                    out.println(line);
                }
            }
        }
    }

    /** ShmStore's throughput over Chronicle Map's, for each scenario and role measured in the JMH fork, and the target. */
    static void chart(List<Row> rows, Path png) throws IOException {
        List<Throughput> all = throughputs(rows);
        Map<String, Double> ratios = new LinkedHashMap<>();
        boolean labels = all.stream().map(Throughput::label).distinct().count() > 1;
        for (Throughput t : all) {
            if (t.thisJvm() && t.impl().equals(Report.BASE)) {
                pair(all, t.scenario(), t.label(), t.role(), true).ifPresent(p -> ratios.put(t.scenario() + ": " + t.role()
                        + (labels ? " (" + t.label() + ")" : ""), p[0] / p[1]));
            }
        }
        Map<String, Map<String, Double>> series = new LinkedHashMap<>();
        series.put("shmstore ÷ chronicle-map", ratios);
        Charts.bars("Across processes: ShmStore's throughput per JVM over Chronicle Map's (higher is better)",
                "ratio", false, new ArrayList<>(ratios.keySet()), series, Targets.CROSS_PROCESS, "target", png);
    }
}
