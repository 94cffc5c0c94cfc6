package io.shmstore.examples;

import io.shmstore.SharedStore;
import io.shmstore.memory.Lifetime;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.concurrent.Callable;
import java.util.concurrent.locks.LockSupport;

/**
 * Puts orders with consecutive ids into a store, as fast as it can or at a given rate.
 *
 * <p><b>Restart after SIGKILL</b>: after each put the next id goes into {@code NAME.producer}. A kill
 * can fall between the two, leaving the order at the saved id already stored; a restart finds it
 * there and goes on after it, so no id is produced twice or skipped. That stored order is also put
 * again, unchanged: the store records a put in its change feed only after the entry is published, so
 * a kill in between would leave an order that no consumer is told about. The re-put is the same
 * order (same id, same stamps), published once more; consumers see it at least once.
 *
 * <p>One producer per store: the id counter is not shared between concurrent producers.
 */
@Command(name = "produce", description = "Put orders into a store (created if absent), resuming after a kill.")
final class ProduceCommand implements Callable<Integer> {
    private static final long SECOND = 1_000_000_000L;

    @Spec
    private CommandSpec spec;

    @ArgGroup(exclusive = true, multiplicity = "1")
    private OrdersArg store;

    @Option(names = "--count", defaultValue = "0", paramLabel = "N",
            description = "Orders to produce in this run; 0 = until stopped (default).")
    private long count;

    @Option(names = "--rate", defaultValue = "1000", paramLabel = "R",
            description = "Orders per second; 0 = as fast as possible (default: ${DEFAULT-VALUE}).")
    private long rate;

    @Override
    public Integer call() {
        if (count < 0 || rate < 0) {
            throw new ParameterException(spec.commandLine(), "--count and --rate must not be negative");
        }
        PrintWriter out = spec.commandLine().getOut();
        long pid = ProcessHandle.current().pid();
        try (SharedStore<Long, Order> orders = store.orders().lifetime(Lifetime.PERSISTENT).createOrOpen();
             SharedStore<String, Long> next = store.producer()
                     .lifetime(Lifetime.PERSISTENT).createOrOpen()) {
            long first = resume(orders, next, out);
            long interval = rate == 0 ? 0 : Math.max(1, SECOND / rate);
            long start = System.nanoTime();
            long reportAt = start + SECOND;
            long reported = 0;
            long produced = 0;
            for (long id = first; count == 0 || produced < count; id++) {
                if (interval > 0) {
                    pace(start + produced * interval);
                }
                orders.put(id, Order.create(id, pid));
                next.put(OrderStores.NEXT_ID, id + 1);
                produced++;
                long now = System.nanoTime();
                if (now - reportAt >= 0) {
                    out.printf("produced %,d orders, last id %d (%,d/s)%n", produced, id, produced - reported);
                    out.flush();
                    reported = produced;
                    reportAt += SECOND;
                }
            }
            long elapsed = System.nanoTime() - start;
            out.printf("produced %,d orders, ids %d to %d, in %.2f s%n", produced, first, first + produced - 1,
                    elapsed / 1e9);
            out.printf("summary produced=%d first-id=%d last-id=%d elapsed-ms=%d%n", produced, first,
                    first + produced - 1, elapsed / 1_000_000);
            return 0;
        }
    }

    /** The first id of this run; says whether it resumes. */
    private long resume(SharedStore<Long, Order> orders, SharedStore<String, Long> next, PrintWriter out) {
        OrderStores.warmUpCodec();
        long id = next.getOrDefault(OrderStores.NEXT_ID, 0L);
        Order unacknowledged = orders.get(id);
        if (unacknowledged != null) {
            orders.put(id, unacknowledged);
            out.println("re-published order " + id + ": stored by a producer killed before it counted it");
            id++;
            next.put(OrderStores.NEXT_ID, id);
        }
        out.println(id == 0 ? "starting at order id 0 in \"" + store + "\""
                : "resuming at order id " + id + " in \"" + store + "\" (from \"" + OrderStores.producerStore(store.toString()) + "\")");
        out.flush();
        return id;
    }

    /** Waits for an order's slot in the schedule; a late producer catches up without waiting. */
    private static void pace(long due) {
        for (long left = due - System.nanoTime(); left > 0; left = due - System.nanoTime()) {
            LockSupport.parkNanos(left);
        }
    }
}
