package io.shmstore.examples;

/**
 * What the producer puts and the consumer reads: a record, stored as JSON by {@code JsonCodec}.
 * Everything but the stamps follows from the id, so an order can be checked against its id.
 *
 * @param createdNanos {@link System#nanoTime()} just before the put: the monotonic clock, which Linux
 *                     shares across processes, so a consumer's {@code nanoTime() - createdNanos} is the
 *                     producer-to-consumer latency
 * @param producerPid  the process that created the order, so a test can tell which run produced it
 */
public record Order(long id, String symbol, Side side, int quantity, double price, long createdNanos,
                    long producerPid) {

    /** Which way the order trades. */
    public enum Side {
        /** A buy order. */
        BUY,
        /** A sell order. */
        SELL
    }

    private static final String[] SYMBOLS = {"AAPL", "MSFT", "GOOG", "AMZN", "TSLA", "EURUSD", "GBPUSD", "BTCUSD"};

    /** The order with this id, stamped now by this process. */
    static Order create(long id, long producerPid) {
        int s = (int) Math.floorMod(id, (long) SYMBOLS.length);
        return new Order(id, SYMBOLS[s], id % 2 == 0 ? Side.BUY : Side.SELL, 100 * (1 + (int) Math.floorMod(id, 10L)),
                (10_000 + s * 2_500 + Math.floorMod(id, 100L)) / 100.0, System.nanoTime(), producerPid);
    }

    /** One line for the consumer's output: id first, so a reader (or a test) can pick it out. */
    String describe() {
        return "order " + id + " " + symbol + " " + side + " " + quantity + " @ " + price;
    }
}
