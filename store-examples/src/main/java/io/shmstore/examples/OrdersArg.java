package io.shmstore.examples;

import io.shmstore.SharedStoreBuilder;
import picocli.CommandLine.Option;

import java.nio.file.Path;

/**
 * The orders store of {@code produce} and {@code consume}: memory-only by {@code --store NAME}, or
 * file-backed by {@code --file PATH}, with its companions beside it ({@code NAME.producer} and
 * {@code NAME.consumer}, or the files {@code PATH.producer} and {@code PATH.consumer}).
 */
final class OrdersArg {
    @Option(names = "--store", paramLabel = "NAME", required = true, description = "The orders store, memory-only, by name.")
    private String name;

    @Option(names = "--file", paramLabel = "PATH", required = true, description = "The orders store, file-backed, by its file.")
    private Path file;

    /** The orders store's settings. */
    SharedStoreBuilder<Long, Order> orders() {
        return OrderStores.orders(name, file);
    }

    /** The producer's companion: its next order id. */
    SharedStoreBuilder<String, Long> producer() {
        return companion(OrderStores.producerStore(toString()));
    }

    /** The consumer's companion: its next change-feed sequence. */
    SharedStoreBuilder<String, Long> consumer() {
        return companion(OrderStores.consumerStore(toString()));
    }

    private SharedStoreBuilder<String, Long> companion(String where) {
        return file != null ? OrderStores.counters(null, Path.of(where), 16) : OrderStores.counters(where, null, 16);
    }

    /** The store's name, or its file. */
    @Override
    public String toString() {
        return file != null ? file.toString() : name;
    }
}
