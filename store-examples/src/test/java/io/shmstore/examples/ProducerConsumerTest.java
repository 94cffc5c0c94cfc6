package io.shmstore.examples;

import io.shmstore.ChangeCursor;
import io.shmstore.ChangeType;
import io.shmstore.SharedStore;
import io.shmstore.testing.ShmDirExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The producer and the consumer as separate JVMs, each SIGKILLed mid-stream and restarted: the
 * producer's ids stay gap-free and unique, and the consumer sees every order at least once.
 */
@ExtendWith(ShmDirExtension.class)
class ProducerConsumerTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static final Pattern ORDER_LINE = Pattern.compile("^order (\\d+) .*");

    @TempDir
    Path logs;

    @Test
    void killedAndRestartedProducerAndConsumerLoseAndDuplicateNoOrder() throws IOException {
        String name = "orders";
        ChildJvm c1 = ChildJvm.start(logs.resolve("c1.out"), "consume", "--store", name);
        ChildJvm p1 = null;
        ChildJvm p2 = null;
        ChildJvm c2 = null;
        try {
            c1.awaitLine(l -> l.startsWith("following"), TIMEOUT);
            p1 = ChildJvm.start(logs.resolve("p1.out"), "produce", "--store", name, "--rate", "2000");
            c1.awaitLine(l -> l.startsWith("order 200 "), TIMEOUT);
            // the consumer saves its position after each batch: kill it once it has, so that the restart
            // below has a saved position to resume at (the kill would otherwise race the first save)
            awaitSavedPosition(name);
            c1.kill();

            try (SharedStore<Long, Order> orders = OrderStores.orders(name).open()) {
                awaitPublished(orders, 600);
                p1.kill();
            }

            c2 = ChildJvm.start(logs.resolve("c2.out"), "consume", "--store", name);
            String following = c2.awaitLine(l -> l.startsWith("following"), TIMEOUT);
            assertThat(following).contains("(resumed at the position saved in \"orders.consumer\")");
            assertThat(sequenceIn(following)).as("c1 saved its position before it was killed").isPositive();

            p2 = ChildJvm.start(logs.resolve("p2.out"), "produce", "--store", name, "--rate", "4000", "--count", "1000");
            String resuming = p2.awaitLine(l -> l.startsWith("resuming at order id "), TIMEOUT);
            long resumedAt = Long.parseLong(resuming.split(" ")[4]);
            assertThat(resumedAt).as("p1 produced at least 600 orders").isGreaterThanOrEqualTo(600);
            p2.awaitSuccess(TIMEOUT);
            long total = resumedAt + 1000;

            Set<Long> seen = awaitConsumed(total, logs.resolve("c1.out"), c2);
            assertThat(seen).as("every order id reached the consumer at least once").hasSize((int) total);

            boolean republished = Files.readString(logs.resolve("p2.out")).contains("re-published order " + (resumedAt - 1));
            checkOrders(name, total, resumedAt, p1.pid(), p2.pid(), republished);
        } finally {
            for (ChildJvm c : new ChildJvm[]{c1, p1, c2, p2}) {
                if (c != null) {
                    c.close();
                }
            }
        }
    }

    /**
     * The store holds exactly ids 0 to total - 1, each made by the run that owned it, and the feed
     * recorded one put per order, two at most for the one a restarted producer re-published.
     */
    private static void checkOrders(String name, long total, long resumedAt, long p1, long p2, boolean republished) {
        try (SharedStore<Long, Order> orders = OrderStores.orders(name).open();
             SharedStore<String, Long> next = OrderStores.counters(OrderStores.producerStore(name), 16).open();
             ChangeCursor<Long> feed = orders.changes().cursorFrom(0)) {
            assertThat(next.get(OrderStores.NEXT_ID)).isEqualTo(total);
            assertThat(orders).hasSize((int) total);
            for (long id = 0; id < total; id++) {
                Order o = orders.get(id);
                assertThat(o).as("order " + id).isNotNull();
                assertThat(o.id()).isEqualTo(id);
                assertThat(o.producerPid()).as("order " + id + " was made by the run that owned its id")
                        .isEqualTo(id < resumedAt ? p1 : p2);
            }
            Map<Long, Integer> puts = new HashMap<>();
            feed.poll((seq, type, id) -> {
                assertThat(type).isEqualTo(ChangeType.PUT);
                puts.merge(id, 1, Integer::sum);
            });
            assertThat(feed.lost()).isZero();
            assertThat(puts.keySet()).hasSize((int) total);
            for (Map.Entry<Long, Integer> e : puts.entrySet()) {
                // p1 may have died after storing its last order and before the feed recorded it
                boolean again = republished && e.getKey() == resumedAt - 1;
                assertThat(e.getValue()).as("puts of order " + e.getKey()).isBetween(1, again ? 2 : 1);
            }
        }
    }

    private static void awaitSavedPosition(String name) {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        try (SharedStore<String, Long> positions = OrderStores.counters(OrderStores.consumerStore(name), 16).open()) {
            while (positions.get(OrderStores.POSITION) == null) {
                assertThat(System.nanoTime() - deadline).as("the consumer saved a position").isNegative();
                ChildJvm.sleepMillis(1);
            }
        }
    }

    private static void awaitPublished(SharedStore<Long, Order> orders, long records) {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (orders.changes().lastSequence() + 1 < records) {
            assertThat(System.nanoTime() - deadline).as("the producer published " + records + " orders in time").isNegative();
            ChildJvm.sleepMillis(5);
        }
    }

    /** Follows the restarted consumer until it has printed every id (with what the first one printed). */
    private static Set<Long> awaitConsumed(long total, Path firstRun, ChildJvm consumer) throws IOException {
        Set<Long> seen = new TreeSet<>();
        Files.readAllLines(firstRun).forEach(l -> addOrderId(l, seen));
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (seen.size() < total && System.nanoTime() - deadline < 0) {
            consumer.newLines().forEach(l -> addOrderId(l, seen));
            ChildJvm.sleepMillis(5);
        }
        assertThat(seen).allMatch(id -> id >= 0 && id < total);
        return seen;
    }

    private static void addOrderId(String line, Set<Long> ids) {
        Matcher m = ORDER_LINE.matcher(line);
        if (m.matches()) {
            ids.add(Long.parseLong(m.group(1)));
        }
    }

    private static long sequenceIn(String following) {
        Matcher m = Pattern.compile("from sequence (\\d+)").matcher(following);
        assertThat(m.find()).as(following).isTrue();
        return Long.parseLong(m.group(1));
    }

    @Test
    void aConsumerThatFellBehindIsToldHowManyRecordsItLostAndResyncs() {
        try (SharedStore<Long, Order> orders = OrderStores.orders("lapped").changeFeedCapacity(64).create()) {
            int capacity = orders.changes().capacity();
            assertThat(capacity).isEqualTo(64);
            for (long id = 0; id < 10; id++) {
                orders.put(id, Order.create(id, 1));
            }
            Tool.Result first = Tool.run("consume", "--store", "lapped", "--count", "10");
            assertThat(first.code()).as(first.toString()).isZero();

            for (long id = 10; id < 200; id++) {
                orders.put(id, Order.create(id, 1));
            }
            Tool.Result behind = Tool.run("consume", "--store", "lapped", "--count", "190");
            assertThat(behind.code()).as(behind.toString()).isZero();
            long lost = 200 - capacity - 10;
            assertThat(behind.out()).contains("from sequence 10 (resumed at the position saved")
                    .contains("lapped: " + lost + " change records were overwritten before they were read;"
                            + " continuing at sequence " + (200 - capacity))
                    .contains("resynced 200 orders from the store (lapped)");
            Set<Long> seen = new TreeSet<>();
            behind.lines().forEach(l -> addOrderId(l, seen));
            assertThat(seen).as("the resync read every order").hasSize(200);
            assertThat(ChildJvm.fields(behind.lines().get(behind.lines().size() - 1))).containsEntry("lost", Long.toString(lost));
        }
    }
}
