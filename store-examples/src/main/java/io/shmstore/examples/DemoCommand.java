package io.shmstore.examples;

import io.shmstore.SharedStore;
import io.shmstore.memory.SharedMemory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * The first thing a new user runs: a producer JVM and a consumer JVM ({@code produce} and
 * {@code consume} as child processes) share a fresh memory-only store; this process shows their
 * progress and removes the stores. It runs twice, and reports each run for what it measures:
 * <ol>
 *   <li><b>Hand-over</b>: orders paced at {@code --handover-rate} (20,000/s), so the consumer is waiting
 *       for each one; the latency from the producer's put to the consumer's read is what handing an object
 *       to another process costs. This comes first.</li>
 *   <li><b>Throughput</b>: {@code --orders} as fast as the producer can ({@code --rate 0}); the consumer
 *       trails it through a backlog, so the latency of this run is time spent queueing, and is shown as
 *       such.</li>
 * </ol>
 *
 * <p>This process creates each run's three stores itself (orders, the producer's counter, the consumer's
 * position) with the default lifetime, until the last process closes them, and holds them open: the
 * children then open what exists, so if the demo is killed nothing is left behind once they exit.
 * Progress is read from the stores, not from the children's output: produced is the orders feed's
 * length, consumed is the position the consumer saves.
 */
@Command(name = "demo", description = "Run a producer JVM and a consumer JVM on one store; report hand-over latency, then throughput.")
final class DemoCommand implements Callable<Integer> {
    private static final Duration START_TIMEOUT = Duration.ofSeconds(30);

    @Spec
    private CommandSpec spec;

    @Option(names = "--handover-orders", defaultValue = "20000", paramLabel = "N",
            description = "Orders of the hand-over run; 0 skips it (default: ${DEFAULT-VALUE}).")
    private long handoverOrders;

    @Option(names = "--handover-rate", defaultValue = "20000", paramLabel = "R",
            description = "Orders per second of the hand-over run (default: ${DEFAULT-VALUE}).")
    private long handoverRate;

    @Option(names = "--orders", defaultValue = "200000", paramLabel = "N",
            description = "Orders of the throughput run (default: ${DEFAULT-VALUE}).")
    private long orders;

    @Option(names = "--rate", defaultValue = "0", paramLabel = "R",
            description = "Orders per second of the throughput run; 0 = as fast as possible (default).")
    private long rate;

    @Option(names = "--timeout", defaultValue = "120", paramLabel = "SECONDS",
            description = "Give up after this long (default: ${DEFAULT-VALUE}).")
    private long timeoutSeconds;

    @Override
    public Integer call() throws IOException {
        if (orders < 1 || orders > OrderStores.ORDER_CAPACITY || rate < 0 || timeoutSeconds < 1 || handoverOrders < 0
                || handoverOrders > OrderStores.ORDER_CAPACITY || handoverRate < 1) {
            throw new ParameterException(spec.commandLine(), "--orders must be 1 to " + OrderStores.ORDER_CAPACITY
                    + ", --handover-orders 0 to " + OrderStores.ORDER_CAPACITY + ", --rate not negative, --handover-rate"
                    + " and --timeout at least 1 (given --orders " + orders + ", --handover-orders " + handoverOrders
                    + ", --rate " + rate + ", --handover-rate " + handoverRate + ", --timeout " + timeoutSeconds + ")");
        }
        PrintWriter out = spec.commandLine().getOut();
        String name = "demo-" + ProcessHandle.current().pid();
        out.printf("store \"%s\" (backend %s): a producer JVM puts orders, a consumer JVM follows the change feed%n",
                name, SharedMemory.backendName());
        if (handoverOrders > 0) {
            out.printf("1. hand-over: a producer JVM puts %,d orders at %,d/s; the consumer waits for each one%n",
                    handoverOrders, handoverRate);
            out.flush();
            Map<String, String> consumed = run(name + ".handover", handoverOrders, handoverRate, out).consumed();
            out.printf("hand-over latency, producer put to consumer read: p50 %s us, p99 %s us, p99.9 %s us, max %s us%n",
                    consumed.get("p50-us"), consumed.get("p99-us"), consumed.get("p999-us"), consumed.get("max-us"));
        }
        out.printf("%s throughput: a producer JVM puts %,d orders %s%n", handoverOrders > 0 ? "2." : "1.", orders,
                rate == 0 ? "as fast as it can" : String.format("at %,d/s", rate));
        out.flush();
        Summaries summaries = run(name, orders, rate, out);
        report(summaries.produced(), summaries.consumed(), rate, out);
        boolean gone = SharedMemory.list().stream().noneMatch(o -> o.name().equals(name) || o.name().startsWith(name + "."));
        out.println(gone ? "removed \"" + name + "\" and its companions" : "some of \"" + name + "\" is still listed");
        return gone ? 0 : 1;
    }

    /** One run on fresh stores of this name; returns the producer's and the consumer's summaries. */
    private Summaries run(String name, long count, long perSecond, PrintWriter out) throws IOException {
        try (ChildJvm.Logs logs = new ChildJvm.Logs("shmstore-demo-");
             SharedStore<Long, Order> store = OrderStores.orders(name).create();
             SharedStore<String, Long> positions = OrderStores.counters(OrderStores.consumerStore(name), 16).create();
             SharedStore<String, Long> producerIds = OrderStores.counters(OrderStores.producerStore(name), 16).create();
             ChildJvm consumer = ChildJvm.start(logs.file("consumer.out"), "consume", "--store", name,
                     "--count", Long.toString(count), "--quiet")) {
            consumer.awaitLine(l -> l.startsWith("following"), START_TIMEOUT);
            Summaries summaries;
            try (ChildJvm producer = ChildJvm.start(logs.file("producer.out"), "produce", "--store", name,
                    "--count", Long.toString(count), "--rate", Long.toString(perSecond))) {
                follow(producer, consumer, store, positions, out);
                summaries = new Summaries(producer.summary(), consumer.summary());
            }
            store.destroy();
            positions.destroy();
            producerIds.destroy();
            return summaries;
        }
    }

    /** What the producer and the consumer of one run reported. */
    private record Summaries(Map<String, String> produced, Map<String, String> consumed) {
    }

    /** A progress line per second until both children have exited; fails on either's failure. */
    private void follow(ChildJvm producer, ChildJvm consumer, SharedStore<Long, Order> store,
                        SharedStore<String, Long> positions, PrintWriter out) {
        long deadline = System.nanoTime() + Duration.ofSeconds(timeoutSeconds).toNanos();
        while (producer.isAlive() || consumer.isAlive()) {
            boolean exited = (consumer.isAlive() ? consumer : producer).waitFor(Duration.ofSeconds(1));
            failed(producer, "producer");
            failed(consumer, "consumer");
            if (!exited) {
                out.printf("  produced %,9d   consumed %,9d%n", store.changes().lastSequence() + 1,
                        positions.getOrDefault(OrderStores.POSITION, 0L));
                out.flush();
            }
            if (System.nanoTime() - deadline > 0) {
                throw new ToolException("the demo did not finish within " + timeoutSeconds + " s");
            }
        }
    }

    private static void failed(ChildJvm child, String role) {
        if (!child.isAlive() && child.exitValue() != 0) {
            throw new ToolException("the " + role + " failed with exit code " + child.exitValue());
        }
    }

    private static void report(Map<String, String> produced, Map<String, String> consumed, long rate, PrintWriter out) {
        long n = Long.parseLong(produced.get("produced"));
        long produceMs = Math.max(1, Long.parseLong(produced.get("elapsed-ms")));
        long endToEndMs = Math.max(1, Long.parseLong(consumed.get("elapsed-ms")));
        out.printf("producer: %,d orders in %,d ms (%,d orders/s)%n", n, produceMs, n * 1000 / produceMs);
        out.printf("consumer: %,d orders, the last read %,d ms after the first was created (%,d orders/s end to end);"
                        + " %s change records lost to lapping%n", Long.parseLong(consumed.get("consumed")), endToEndMs,
                Long.parseLong(consumed.get("measured")) * 1000 / endToEndMs, consumed.get("lost"));
        out.printf("%s, producer put to consumer read: p50 %s us, p99 %s us, p99.9 %s us, max %s us%n",
                rate == 0 ? "time in the backlog (the consumer trails a producer at full speed: queueing, not hand-over)"
                        : "latency", consumed.get("p50-us"), consumed.get("p99-us"), consumed.get("p999-us"),
                consumed.get("max-us"));
    }
}
