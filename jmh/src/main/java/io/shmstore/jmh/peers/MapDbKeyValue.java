package io.shmstore.jmh.peers;

import org.mapdb.DB;
import org.mapdb.DBMaker;
import org.mapdb.Serializer;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** MapDB's HTreeMap in a memory-mapped file in the shm directory, without transactions. */
final class MapDbKeyValue extends ConcurrentMapKeyValue {
    private final DB db;
    private final Path file;

    MapDbKeyValue(Path dir) {
        this(DBMaker.fileDB(dir.resolve("mapdb.dat").toFile()).fileMmapEnable().fileMmapPreclearDisable()
                .cleanerHackEnable().closeOnJvmShutdown().make(), dir.resolve("mapdb.dat"));
    }

    private MapDbKeyValue(DB db, Path file) {
        super(db.hashMap("bench", Serializer.STRING, Serializer.BYTE_ARRAY).createOrOpen());
        this.db = db;
        this.file = file;
    }

    /** A compare-and-replace loop on copies, since MapDB hands out deserialized copies of its values. */
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
    public void close() throws IOException {
        db.close();
        Files.deleteIfExists(file);
    }
}
