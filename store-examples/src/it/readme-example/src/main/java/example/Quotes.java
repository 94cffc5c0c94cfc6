package example;

import io.shmstore.SharedStore;
import io.shmstore.codec.JsonCodec;

import java.time.Instant;

/**
 * The README's example, in two processes: {@code publish NAME N} puts N quotes and keeps the store open
 * until a reader acknowledges them; {@code read NAME N} reads them back and acknowledges.
 */
public final class Quotes {
    public static void main(String[] args) throws InterruptedException {
        String name = args[1];
        int n = Integer.parseInt(args[2]);
        try (SharedStore<String, Quote> quotes = SharedStore.of(String.class, Quote.class)
                .name(name)
                .entries(100_000)
                .averageKeySize(16)
                .averageValueSize(200)
                .valueCodec(JsonCodec.of(Quote.class))
                .createOrOpen()) {
            if (args[0].equals("publish")) {
                for (int i = 0; i < n; i++) {
                    quotes.put("SYM" + i, quote(i));
                }
                System.out.println("PUBLISHED " + n);
                long deadline = System.nanoTime() + 60_000_000_000L;
                while (!quotes.containsKey("ack") && System.nanoTime() < deadline) {
                    Thread.sleep(10);
                }
                System.out.println(quotes.containsKey("ack") ? "ACKNOWLEDGED" : "NOT ACKNOWLEDGED");
            } else {
                int same = 0;
                for (int i = 0; i < n; i++) {
                    if (quote(i).equals(quotes.get("SYM" + i))) {
                        same++;
                    }
                }
                quotes.put("ack", quote(-1));
                System.out.println("READ " + same + " of " + n + " at sequence " + quotes.changes().lastSequence());
            }
        }
    }

    static Quote quote(int i) {
        return new Quote("SYM" + i, 1 + i / 1000.0, 1.0002 + i / 1000.0, Instant.ofEpochSecond(1_800_000_000L + i));
    }
}
