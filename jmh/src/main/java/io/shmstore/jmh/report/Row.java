package io.shmstore.jmh.report;

import java.util.Map;

/**
 * One score of a JMH result file.
 *
 * @param benchmark   class and method, with the thread count: {@code MapBenchmark1T.get (1t)}
 * @param type        the benchmark's class: {@code MapBenchmark1T}
 * @param method      the benchmark method: {@code get}
 * @param params      every parameter, as JMH wrote them
 * @param label       the parameters that tell cases apart, other than the implementation
 * @param impl        the implementation (the {@code impl} parameter, or what stands for it)
 * @param mode        JMH's mode: {@code avgt}, {@code sample}, {@code thrpt}
 * @param percentiles sample mode's percentiles, by JMH's keys ({@code "99.0"})
 * @param secondary   secondary results' scores, by name ({@code gc.alloc.rate.norm}, {@code otherReads})
 */
record Row(String benchmark, String type, String method, Map<String, String> params, String label, String impl,
           String mode, double score, String unit, Map<String, Double> percentiles, Map<String, Double> secondary) {

    String param(String name) {
        return params.getOrDefault(name, "");
    }

    double percentile(String p) {
        return percentiles.getOrDefault(p, Double.NaN);
    }

    /** The case the targets speak of: the default 100-byte values. */
    boolean defaultValues() {
        return !param("valueSize").equals("1024");
    }
}
