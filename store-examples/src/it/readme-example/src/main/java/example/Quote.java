package example;

import java.time.Instant;

/** The README's value: a record, stored as JSON. */
public record Quote(String symbol, double bid, double ask, Instant at) {
}
