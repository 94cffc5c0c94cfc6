package io.shmstore.jmh.peers;

import net.openhft.chronicle.map.ChronicleMap;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Chronicle Map persisted to a file in the shm directory, as its users share it between processes. */
final class ChronicleMapKeyValue implements KeyValue {
    private final ChronicleMap<String, byte[]> map;
    private final Path file;

    ChronicleMapKeyValue(Path dir, int entries, int valueSize) throws IOException {
        file = dir.resolve("chronicle-map.dat");
        map = ChronicleMap.of(String.class, byte[].class).name("bench").entries(entries)
                .averageKey("key-0001234").averageValueSize(valueSize).createPersistedTo(file.toFile());
    }

    @Override
    public byte[] get(String key) {
        return map.get(key);
    }

    @Override
    public byte[] getUsing(String key, byte[] reuse) {
        return map.getUsing(key, reuse);
    }

    @Override
    public void put(String key, byte[] value) {
        map.put(key, value);
    }

    @Override
    public boolean putIfAbsent(String key, byte[] value) {
        return map.putIfAbsent(key, value) == null;
    }

    @Override
    public void remove(String key) {
        map.remove(key);
    }

    @Override
    public long increment(String key) {
        long[] out = new long[1];
        map.compute(key, (k, v) -> {
            out[0] = KeyValue.readLong(v) + 1;
            KeyValue.writeLong(v, out[0]);
            return v;
        });
        return out[0];
    }

    @Override
    public void close() throws IOException {
        map.close();
        Files.deleteIfExists(file);
    }
}
