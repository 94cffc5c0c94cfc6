package io.shmstore.jmh.peers;

import net.openhft.chronicle.map.ChronicleMap;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Chronicle Map persisted to a file in the shm directory, as its users share it between processes. */
final class ChronicleMapKeyValue extends ConcurrentMapKeyValue {
    private static final String FILE = "chronicle-map.dat";

    private final Path file;
    private final boolean maker;

    private ChronicleMapKeyValue(Path file, int entries, int valueSize, boolean maker) throws IOException {
        // the same builder makes the file or, where it exists, opens it
        super(ChronicleMap.of(String.class, byte[].class).name("bench").entries(entries)
                .averageKey("key-0001234").averageValueSize(valueSize).createPersistedTo(file.toFile()));
        this.file = file;
        this.maker = maker;
    }

    static ChronicleMapKeyValue create(Path dir, int entries, int valueSize) throws IOException {
        Path file = dir.resolve(FILE);
        if (Files.exists(file)) {
            throw new IOException(file + " exists already: each trial makes its map in a fresh directory");
        }
        return new ChronicleMapKeyValue(file, entries, valueSize, true);
    }

    static ChronicleMapKeyValue attach(Path dir, int entries, int valueSize) throws IOException {
        Path file = dir.resolve(FILE);
        if (!Files.exists(file)) {
            throw new IOException("no Chronicle Map at " + file + " to open");
        }
        return new ChronicleMapKeyValue(file, entries, valueSize, false);
    }

    @Override
    public byte[] getUsing(String key, byte[] reuse) {
        return ((ChronicleMap<String, byte[]>) map).getUsing(key, reuse);
    }

    @Override
    public long increment(String key) {
        return incrementByCompute(key, false);
    }

    @Override
    public void close() throws IOException {
        ((ChronicleMap<String, byte[]>) map).close();
        if (maker) {
            Files.deleteIfExists(file);
        }
    }
}
