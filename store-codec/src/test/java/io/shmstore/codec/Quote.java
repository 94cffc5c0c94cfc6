package io.shmstore.codec;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;

/** A record with the awkward parts: java.time, collections, nulls. */
public record Quote(String symbol, double price, Instant at, LocalDate day, Duration validFor, List<String> tags,
                    Map<String, Double> extra, String note) {
}
