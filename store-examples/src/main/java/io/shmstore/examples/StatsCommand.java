package io.shmstore.examples;

import io.shmstore.ChangeFeed;
import io.shmstore.StoreInspector;
import io.shmstore.StoreStats;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * A store's types, fill and history, through the untyped {@link StoreInspector}. The per-process
 * counters of {@link StoreStats} (hits, misses) are left out: they describe this process, which has
 * just opened the store.
 */
@Command(name = "stats", description = "Show a store's types, entries, space, repairs and change feed.")
final class StatsCommand implements Callable<Integer> {
    @Spec
    private CommandSpec spec;

    @Mixin
    private StoreArg target;

    @Option(names = "--json", description = "One JSON object, for scripts and monitoring.")
    private boolean json;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        try (StoreInspector store = target.open()) {
            StoreStats s = store.stats();
            ChangeFeed<byte[]> feed = store.changes();
            if (json) {
                out.println(Formats.json(asJson(store, s, feed)));
                return 0;
            }
            out.printf("store \"%s\"%n", store.name());
            out.printf("  keys          %s%n", store.keyDescription());
            out.printf("  values        %s%n", store.valueDescription());
            out.printf("  entries       %,d; sized for %,d, may grow to %,d%n", s.entries(), s.capacity(), s.maxEntries());
            out.printf("  data          %s of %s in use; %d segments, the fullest %.1f%% full%n",
                    Formats.bytes(s.bytesUsed()), Formats.bytes(s.bytesCapacity()), s.segmentLoad().length,
                    100 * s.maxSegmentLoad());
            out.printf("  memory        %s reserved, %s per live entry; %,d growths%n", Formats.bytes(s.bytesReserved()),
                    s.entries() == 0 ? "-" : String.format("%.1f bytes", s.bytesPerEntry()), s.growths());
            out.printf("  repairs       %,d segment repairs (a writer died, or damage was found)%n", s.recoveries());
            out.printf("  evictions     %,d%n", s.evictions());
            out.printf("  expirations   %,d%n", s.expirations());
            out.printf("  damaged       %,d (entries dropped by online repairs)%n", s.damaged());
            out.printf("  change feed   %,d records published; the ring holds the last %,d%n", feed.lastSequence() + 1,
                    feed.capacity());
        }
        return 0;
    }

    /** The same facts as the text, under stable names, in bytes and counts rather than formatted. */
    private static Map<String, Object> asJson(StoreInspector store, StoreStats s, ChangeFeed<byte[]> feed) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("store", store.name());
        m.put("keys", store.keyDescription());
        m.put("values", store.valueDescription());
        m.put("entries", s.entries());
        m.put("capacity", s.capacity());
        m.put("maxEntries", s.maxEntries());
        m.put("bytesUsed", s.bytesUsed());
        m.put("bytesCapacity", s.bytesCapacity());
        m.put("bytesReserved", s.bytesReserved());
        m.put("segments", s.segmentLoad().length);
        m.put("maxSegmentLoad", s.maxSegmentLoad());
        m.put("growths", s.growths());
        m.put("recoveries", s.recoveries());
        m.put("evictions", s.evictions());
        m.put("expirations", s.expirations());
        m.put("damaged", s.damaged());
        m.put("feedPublished", feed.lastSequence() + 1);
        m.put("feedCapacity", feed.capacity());
        return m;
    }
}
