package io.shmstore.examples;

import io.shmstore.memory.SharedMemory;
import io.shmstore.testing.ShmDirExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/** demo and cache-demo, each once with small parameters, their child JVMs real. */
@ExtendWith(ShmDirExtension.class)
class DemosTest {

    @Test
    void demoLeadsWithHandOverLatencyThenReportsThroughputAndItsBacklogAsSuch() {
        Tool.Result fast = Tool.run("demo", "--handover-orders", "1000", "--handover-rate", "5000", "--orders", "3000");
        assertThat(fast.code()).as(fast.toString()).isZero();
        List<String> lines = fast.lines();
        int handover = indexOf(lines, "hand-over latency, producer put to consumer read: p50 ");
        int throughput = indexOf(lines, "2. throughput: a producer JVM puts 3,000 orders as fast as it can");
        int backlog = indexOf(lines, "time in the backlog (the consumer trails a producer at full speed: queueing, not hand-over)");
        assertThat(lines.get(1)).isEqualTo("1. hand-over: a producer JVM puts 1,000 orders at 5,000/s; the consumer waits"
                + " for each one");
        assertThat(handover).as(fast.out()).isGreaterThan(1).isLessThan(throughput);
        assertThat(throughput).isLessThan(backlog);
        assertThat(fast.out()).doesNotContain("\nlatency, ");
        assertThat(SharedMemory.list()).as("both runs' stores are gone").isEmpty();
    }

    private static int indexOf(List<String> lines, String prefix) {
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).startsWith(prefix)) {
                return i;
            }
        }
        return -1;
    }

    @Test
    void demoRunsAProducerAndAConsumerJvmAndReportsThroughputAndLatency() {
        Tool.Result r = Tool.run("demo", "--handover-orders", "0", "--orders", "2000", "--rate", "1000");
        assertThat(r.code()).as(r.toString()).isZero();
        assertThat(r.out()).doesNotContain("hand-over");
        assertThat(r.out()).contains("a producer JVM puts 2,000 orders")
                .contains("producer: 2,000 orders in ")
                .contains("consumer: 2,000 orders, ")
                .contains("0 change records lost to lapping");
        assertThat(r.lines()).as("a progress line per second of a two-second run")
                .anyMatch(l -> l.matches("\\s+produced\\s+[\\d,]+\\s+consumed\\s+[\\d,]+"));
        Matcher latency = Pattern.compile("p50 (\\d+) us, p99 (\\d+) us, p99.9 (\\d+) us, max (\\d+) us").matcher(r.out());
        assertThat(latency.find()).as(r.out()).isTrue();
        long p50 = Long.parseLong(latency.group(1));
        long p99 = Long.parseLong(latency.group(2));
        long p999 = Long.parseLong(latency.group(3));
        long max = Long.parseLong(latency.group(4));
        assertThat(p50).isLessThanOrEqualTo(p99);
        assertThat(p99).isLessThanOrEqualTo(p999);
        assertThat(p999).isLessThanOrEqualTo(max).isLessThan(10_000_000);
        assertThat(r.out()).contains("removed \"demo-" + ProcessHandle.current().pid() + "\" and its companions");
        assertThat(SharedMemory.list()).as("the demo's stores are gone").isEmpty();
    }

    @Test
    void cacheDemoComputesEachKeyOnceAcrossProcesses() {
        int keys = 12;
        Tool.Result r = Tool.run("cache-demo", "--processes", "3", "--keys", Integer.toString(keys), "--compute-ms", "20");
        assertThat(r.code()).as(r.toString()).isZero();
        Pattern worker = Pattern.compile("\\s+process (\\d+): computed (\\d+), found (\\d+) already computed: hit ratio (\\d+)%");
        List<Matcher> workers = r.lines().stream().map(worker::matcher).filter(Matcher::matches).toList();
        assertThat(workers).as(r.out()).hasSize(3);
        int computed = 0;
        for (Matcher m : workers) {
            int c = Integer.parseInt(m.group(2));
            int hits = Integer.parseInt(m.group(3));
            assertThat(c + hits).as("each process asked for every key").isEqualTo(keys);
            assertThat(Integer.parseInt(m.group(4))).isEqualTo(100 * hits / keys);
            computed += c;
        }
        assertThat(computed).as("computations across processes").isEqualTo(keys);
        assertThat(r.out()).contains(keys + " computations for " + keys + " distinct keys (" + keys + " entries)")
                .contains("ok: every key was computed exactly once across 3 processes");
        assertThat(SharedMemory.list()).as("the cache and its counters are gone").isEmpty();
    }
}
