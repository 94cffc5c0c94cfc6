package io.shmstore.examples;

import io.shmstore.FullPolicy;
import io.shmstore.SharedStore;
import io.shmstore.SharedStoreBuilder;
import io.shmstore.codec.JsonCodec;
import net.openhft.chronicle.bytes.Bytes;

import java.nio.file.Path;

/**
 * The stores of the producer/consumer example, defined once so that whichever process comes first
 * creates them with the same geometry ({@code produce}, {@code consume} and {@code demo} all
 * create-or-open).
 *
 * <ul>
 *   <li>{@code NAME}: orders by id. Sized for 262,144 orders with room for their ~125-byte JSON; beyond
 *       that the oldest are evicted, so a producer may run without end. Its change feed holds as many
 *       records, so a consumer that falls that far behind is lapped.</li>
 *   <li>{@code NAME.producer}: the producer's next order id, its memory across SIGKILLs.</li>
 *   <li>{@code NAME.consumer}: the consumer's next change-feed sequence, its memory across SIGKILLs.</li>
 * </ul>
 * The companions are separate stores rather than reserved keys so that the orders store holds orders
 * only, and its change feed carries only order changes.
 */
final class OrderStores {
    static final long ORDER_CAPACITY = 1 << 18;
    static final String NEXT_ID = "next-id";
    static final String POSITION = "position";

    private static final JsonCodec<Order> ORDER_CODEC = JsonCodec.of(Order.class);

    private OrderStores() {
    }

    static SharedStoreBuilder<Long, Order> orders(String name) {
        return orders(name, null);
    }

    /** The orders store named {@code name}, or in {@code file} when the name is null. */
    static SharedStoreBuilder<Long, Order> orders(String name, Path file) {
        return place(SharedStore.of(Long.class, Order.class), name, file).entries(ORDER_CAPACITY).averageValueSize(128)
                .valueCodec(ORDER_CODEC).fullPolicy(FullPolicy.EVICT);
    }

    /**
     * Writes and reads one order through the JSON codec, so that Jackson builds its serializer and
     * deserializer now (tens of milliseconds) rather than on the first real order, where it would
     * show as latency of every order that arrives meanwhile.
     */
    static void warmUpCodec() {
        Bytes<?> scratch = Bytes.allocateElasticOnHeap(256);
        try {
            ORDER_CODEC.write(scratch, Order.create(0, 0));
            ORDER_CODEC.read(scratch, null);
        } finally {
            scratch.releaseLast();
        }
    }

    /** A small store of named counters. */
    static SharedStoreBuilder<String, Long> counters(String name, long entries) {
        return counters(name, null, entries);
    }

    /** A small store of named counters named {@code name}, or in {@code file} when the name is null. */
    static SharedStoreBuilder<String, Long> counters(String name, Path file, long entries) {
        return place(SharedStore.of(String.class, Long.class), name, file).entries(entries).averageKeySize(16);
    }

    private static <K, V> SharedStoreBuilder<K, V> place(SharedStoreBuilder<K, V> b, String name, Path file) {
        return name != null ? b.name(name) : b.persistedTo(file);
    }

    static String producerStore(String orders) {
        return orders + ".producer";
    }

    static String consumerStore(String orders) {
        return orders + ".consumer";
    }
}
