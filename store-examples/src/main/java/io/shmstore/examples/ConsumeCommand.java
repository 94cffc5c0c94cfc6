package io.shmstore.examples;

import io.shmstore.ChangeCursor;
import io.shmstore.ChangeListener;
import io.shmstore.ChangeType;
import io.shmstore.SharedStore;
import io.shmstore.memory.Lifetime;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * Follows a store's change feed and reads every order put into it.
 *
 * <p><b>At least once, across kills</b>: the consumer handles a batch of at most {@value #BATCH}
 * records, flushes its output, and only then saves the sequence after the batch in
 * {@code NAME.consumer}. A kill before the save repeats the batch on restart; a kill after it loses
 * nothing, because the batch's lines were already out. A restart resumes from the saved sequence.
 *
 * <p><b>Lapping</b>: a consumer that falls more than the ring's capacity behind is told how many
 * records it lost; it reads the whole store again (every order there counts as received), so nothing
 * put before the lapping is missed, at the price of orders seen twice.
 */
@Command(name = "consume", description = "Follow a store's change feed and read each order; resumes after a kill.")
final class ConsumeCommand implements Callable<Integer> {
    static final int BATCH = 1000;
    private static final long SECOND = 1_000_000_000L;

    @Spec
    private CommandSpec spec;

    @ArgGroup(exclusive = true, multiplicity = "1")
    private OrdersArg store;

    @Option(names = "--from", paramLabel = "SEQ",
            description = "Change-feed sequence to start at (default: the saved position, else 0).")
    private Long from;

    @Option(names = "--count", defaultValue = "0", paramLabel = "N",
            description = "Stop after receiving N orders; 0 = until stopped (default).")
    private long count;

    @Option(names = "--quiet", description = "A progress line per second instead of a line per order.")
    private boolean quiet;

    @Override
    public Integer call() {
        if (count < 0 || (from != null && from < 0)) {
            throw new ParameterException(spec.commandLine(), "--count and --from must not be negative");
        }
        PrintWriter out = spec.commandLine().getOut();
        try (SharedStore<Long, Order> orders = store.orders().lifetime(Lifetime.PERSISTENT).createOrOpen();
             SharedStore<String, Long> positions = store.consumer()
                     .lifetime(Lifetime.PERSISTENT).createOrOpen();
             ChangeCursor<Long> cursor = orders.changes().cursorFrom(start(orders, positions, out))) {
            Receiver receiver = new Receiver(orders, out, quiet);
            long reportAt = System.nanoTime() + SECOND;
            long reported = 0;
            while (count == 0 || receiver.received < count) {
                if (cursor.await(Duration.ofMillis(100))) {
                    cursor.poll(receiver, count == 0 ? BATCH : (int) Math.min(BATCH, count - receiver.received));
                    out.flush();
                    positions.put(OrderStores.POSITION, cursor.nextSequence());
                }
                if (quiet && System.nanoTime() - reportAt >= 0) {
                    out.printf("consumed %,d orders (%,d/s), next sequence %d%n", receiver.received,
                            receiver.received - reported, cursor.nextSequence());
                    out.flush();
                    reported = receiver.received;
                    reportAt += SECOND;
                }
            }
            LatencyHistogram h = receiver.latencies;
            long endToEnd = h.count() == 0 ? 0 : receiver.lastReceived - receiver.firstCreated;
            out.printf("consumed %,d orders; %,d change records lost to lapping; latency p50 %,d us, p99 %,d us,"
                            + " p99.9 %,d us%n", receiver.received, cursor.lost(), h.percentile(50) / 1000,
                    h.percentile(99) / 1000, h.percentile(99.9) / 1000);
            out.printf("summary consumed=%d lost=%d measured=%d elapsed-ms=%d p50-us=%d p99-us=%d p999-us=%d"
                            + " max-us=%d%n", receiver.received, cursor.lost(), h.count(),
                    endToEnd / 1_000_000, h.percentile(50) / 1000,
                    h.percentile(99) / 1000, h.percentile(99.9) / 1000, h.max() / 1000);
            return 0;
        }
    }

    /** Where to start, and a line saying so (the demo and the tests wait for "following"). */
    private long start(SharedStore<Long, Order> orders, SharedStore<String, Long> positions, PrintWriter out) {
        OrderStores.warmUpCodec();
        Long saved = positions.get(OrderStores.POSITION);
        long end = orders.changes().lastSequence() + 1;
        long at;
        String why;
        if (from != null) {
            at = from;
            why = "(--from)";
        } else if (saved == null) {
            at = 0;
            why = "(no saved position)";
        } else if (saved > end) {
            at = 0;
            why = "(the saved position " + saved + " is past the feed's end " + end + ": the store was recreated)";
        } else {
            at = saved;
            why = "(resumed at the position saved in \"" + OrderStores.consumerStore(store.toString()) + "\")";
        }
        out.println("following \"" + store + "\" from sequence " + at + " " + why);
        out.flush();
        return at;
    }

    /** Reads the order behind each PUT record; counts, prints and times it. */
    private static final class Receiver implements ChangeListener<Long> {
        private final SharedStore<Long, Order> orders;
        private final PrintWriter out;
        private final boolean quiet;
        private final LatencyHistogram latencies = new LatencyHistogram();
        private long received;
        private long firstCreated;
        private long lastReceived;

        Receiver(SharedStore<Long, Order> orders, PrintWriter out, boolean quiet) {
            this.orders = orders;
            this.out = out;
            this.quiet = quiet;
        }

        @Override
        public void onChange(long sequence, ChangeType type, Long id) {
            if (type != ChangeType.PUT) {
                if (!quiet) {
                    out.println(type + (id == null ? "" : " order " + id));
                }
                return;
            }
            if (id == null) {
                resync("a put record without its key");
                return;
            }
            Order order = orders.get(id);
            long now = System.nanoTime();
            received++;
            lastReceived = now;
            if (order == null) {
                if (!quiet) {
                    out.println("order " + id + " is gone (evicted or removed before it was read)");
                }
                return;
            }
            long latency = now - order.createdNanos();
            if (latencies.count() == 0) {
                firstCreated = order.createdNanos();
            }
            latencies.record(latency);
            if (!quiet) {
                out.println(order.describe() + ", " + latency / 1000 + " us after it was created");
            }
        }

        @Override
        public void onLapped(long lost, long resumedAt) {
            out.printf("lapped: %d change records were overwritten before they were read; continuing at sequence"
                    + " %d%n", lost, resumedAt);
            resync("lapped");
        }

        private void resync(String why) {
            long n = 0;
            for (Map.Entry<Long, Order> e : orders.entrySet()) {
                n++;
                received++;
                if (!quiet) {
                    out.println(e.getValue().describe() + " (resync)");
                }
            }
            lastReceived = System.nanoTime();
            out.printf("resynced %,d orders from the store (%s)%n", n, why);
        }
    }
}
