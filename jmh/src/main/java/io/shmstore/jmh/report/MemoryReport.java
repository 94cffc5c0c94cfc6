package io.shmstore.jmh.report;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/** {@code MemoryFootprint}'s results: bytes per entry of every peer, and each one's ratio to Chronicle Map's. */
final class MemoryReport {
    private MemoryReport() {
    }

    /** Chronicle Map's footprint at the same size and values as {@code f}. */
    static Optional<Footprint> peer(List<Footprint> memory, Footprint f) {
        return memory.stream().filter(c -> c.impl().equals(Report.PEER) && c.entries() == f.entries()
                && c.valueSize() == f.valueSize()).findFirst();
    }

    static void table(List<Footprint> memory, PrintStream out) {
        if (memory.isEmpty()) {
            return;
        }
        out.println();
        out.println("Memory (`MemoryFootprint`): what each store occupies once filled, per entry (blocks: the files' allocated"
                + " blocks; heap: the heap after a full GC):");
        out.println();
        out.println("| entries | value bytes | impl | bytes/entry | ÷ chronicle-map | measure | fill |");
        out.println("|---|---|---|---|---|---|---|");
        for (Footprint f : memory) {
            String ratio = peer(memory, f).map(c -> String.format(Locale.ROOT, "%.2f×", f.bytesPerEntry() / c.bytesPerEntry()))
                    .orElse("");
            out.printf(Locale.ROOT, "| %,d | %d | %s | %,.1f | %s | %s | %.1f s |%n", f.entries(), f.valueSize(), f.impl(),
                    f.bytesPerEntry(), ratio, f.measure(), f.fillSeconds());
        }
    }

    /** Bytes per entry, one group per size, one bar per peer. */
    static void chart(List<Footprint> memory, Path png) throws IOException {
        Map<String, Map<String, Double>> series = new LinkedHashMap<>();
        List<String> categories = new ArrayList<>();
        for (Footprint f : memory) {
            String cat = String.format(Locale.ROOT, "%,d entries, %d-byte values", f.entries(), f.valueSize());
            if (!categories.contains(cat)) {
                categories.add(cat);
            }
            series.computeIfAbsent(f.impl(), k -> new LinkedHashMap<>()).put(cat, f.bytesPerEntry());
        }
        Charts.bars("Memory per entry once filled (bytes; lower is better)", "bytes/entry", false, categories, series, 0, "", png);
    }
}
