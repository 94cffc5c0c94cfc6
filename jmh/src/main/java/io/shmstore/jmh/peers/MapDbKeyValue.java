package io.shmstore.jmh.peers;

import org.mapdb.DB;
import org.mapdb.DBMaker;
import org.mapdb.HTreeMap;
import org.mapdb.Serializer;

import java.nio.file.Files;
import java.nio.file.Path;

/** MapDB's HTreeMap in a memory-mapped file in the shm directory, without transactions. */
final class MapDbKeyValue implements KeyValue {
    private final DB db;
    private final HTreeMap<String, byte[]> map;
    private final Path file;

    MapDbKeyValue(Path dir) {
        file = dir.resolve("mapdb.dat");
        db = DBMaker.fileDB(file.toFile()).fileMmapEnable().fileMmapPreclearDisable().cleanerHackEnable()
                .closeOnJvmShutdown().make();
        map = db.hashMap("bench", Serializer.STRING, Serializer.BYTE_ARRAY).createOrOpen();
    }

    @Override
    public byte[] get(String key) {
        return map.get(key);
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
        while (true) {
            byte[] v = map.get(key);
            byte[] next = v.clone();
            long n = KeyValue.readLong(v) + 1;
            KeyValue.writeLong(next, n);
            if (map.replace(key, v, next)) {
                return n;
            }
        }
    }

    @Override
    public void close() throws Exception {
        db.close();
        Files.deleteIfExists(file);
    }
}
