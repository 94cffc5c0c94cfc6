package io.shmstore.jmh.report;

/**
 * What one peer's store of {@code entries} entries occupies: one row of {@code MemoryFootprint}'s
 * output, which {@link Report} reads back.
 *
 * @param impl          the peer, as the benchmarks' {@code impl} parameter names it
 * @param entries       entries filled (and the store sized for)
 * @param keySize       bytes of every key ({@code key-0001234})
 * @param valueSize     bytes of every value
 * @param measure       {@code blocks}: the blocks the store's files have allocated ({@code st_blocks} ×
 *                      512, what {@code du -B1} counts; in tmpfs the pages written or reserved);
 *                      {@code heap}: the heap in use after a full GC, less the heap before the store
 * @param bytes         the store's bytes by {@code measure}
 * @param apparentBytes the files' lengths (the heap bytes again for {@code heap})
 * @param files         how many files the store has
 * @param fillSeconds   how long the fill took
 * @param bytesPerEntry {@code bytes / entries}
 */
public record Footprint(String impl, long entries, int keySize, int valueSize, String measure, long bytes,
                        long apparentBytes, int files, double fillSeconds, double bytesPerEntry) {
    /** The kind of JSON document that holds footprints, as its {@code kind} field says. */
    public static final String KIND = "memory-footprint";

    public static Footprint of(String impl, long entries, int keySize, int valueSize, String measure, long bytes,
                               long apparentBytes, int files, double fillSeconds) {
        return new Footprint(impl, entries, keySize, valueSize, measure, bytes, apparentBytes, files, fillSeconds,
                (double) bytes / entries);
    }
}
