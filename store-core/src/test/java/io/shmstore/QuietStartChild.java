package io.shmstore;

import java.nio.file.Path;

/**
 * An application as a library user writes it, for {@link QuietStartTest}: a memory-only store and a
 * file-backed one, writes and reads, the change feed, the inspector. Prints {@code OK} and nothing else.
 */
public final class QuietStartChild {
    public static void main(String[] args) {
        try (SharedStore<String, Long> counts = SharedStore.of(String.class, Long.class).name(args[0])
                .entries(1000).createOrOpen();
             SharedStore<String, byte[]> files = SharedStore.of(String.class, byte[].class)
                     .persistedTo(Path.of(args[1])).entries(100).createOrOpen()) {
            counts.merge("clicks", 1L, Long::sum);
            files.put("blob", new byte[]{1, 2, 3});
            try (StoreInspector inspector = StoreInspector.open(args[0])) {
                if (counts.get("clicks") != 1L || files.get("blob").length != 3 || inspector.size() != 1
                        || counts.changes().lastSequence() != 0) {
                    throw new AssertionError("unexpected contents");
                }
            }
            files.destroy();
        }
        System.out.println("OK");
    }
}
