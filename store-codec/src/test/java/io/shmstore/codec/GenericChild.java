package io.shmstore.codec;

import io.shmstore.SharedStore;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** The other JVM of {@link GenericValueTypeTest}: reads one key, prints it with its element type, writes another. */
public final class GenericChild {
    public static void main(String[] args) {
        try (SharedStore<String, Map<String, List<Long>>> store = GenericValueTypeTest.series(args[0])) {
            Map<String, List<Long>> read = new TreeMap<>(store.get(args[1]));
            StringBuilder line = new StringBuilder();
            read.forEach((k, v) -> line.append(k).append('=').append(v).append(' '));
            Object element = read.get("ticks").get(0);
            System.out.println("READ " + line + "elements " + element.getClass().getName());
            store.put(args[2], Map.of("ticks", List.of(7L, 8L)));
            System.out.println("WROTE");
        }
    }
}
