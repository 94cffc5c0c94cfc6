package io.shmstore.jmh.peers;

import net.openhft.chronicle.map.ChronicleMap;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Chronicle Map persisted to a file in the shm directory, as its users share it between processes. */
final class ChronicleMapKeyValue extends ConcurrentMapKeyValue {
    private final Path file;

    ChronicleMapKeyValue(Path dir, int entries, int valueSize) throws IOException {
        super(ChronicleMap.of(String.class, byte[].class).name("bench").entries(entries)
                .averageKey("key-0001234").averageValueSize(valueSize)
                .createPersistedTo(dir.resolve("chronicle-map.dat").toFile()));
        file = dir.resolve("chronicle-map.dat");
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
        Files.deleteIfExists(file);
    }
}
