package io.shmstore.jmh.peers;

import org.lmdbjava.Dbi;
import org.lmdbjava.DbiFlags;
import org.lmdbjava.Env;
import org.lmdbjava.EnvFlags;
import org.lmdbjava.PutFlags;
import org.lmdbjava.Txn;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.IntFunction;

/**
 * LMDB through lmdbjava, with {@code MDB_NOSYNC} (no fsync per commit, as a cache would run it), in a
 * file in the shm directory. Keys and values pass through per-thread direct buffers, as lmdbjava asks;
 * each thread keeps one read transaction and renews it per read, LMDB's fast path for reads.
 */
final class LmdbKeyValue implements KeyValue {
    private static final int FILL_BATCH = 100_000;

    private final Env<ByteBuffer> env;
    private final Dbi<ByteBuffer> db;
    private final Path file;
    private final ThreadLocal<ByteBuffer> keys = ThreadLocal.withInitial(() -> ByteBuffer.allocateDirect(64));
    private final ThreadLocal<ByteBuffer> values;
    private final List<Txn<ByteBuffer>> readTxns = new CopyOnWriteArrayList<>();
    private final ThreadLocal<Txn<ByteBuffer>> readTxn;

    LmdbKeyValue(Path dir, int entries, int valueSize) throws Exception {
        file = dir.resolve("lmdb.dat");
        env = Env.create().setMapSize((long) entries * (valueSize + 128) * 4 + (64L << 20)).setMaxDbs(1).setMaxReaders(64)
                .open(file.toFile(), EnvFlags.MDB_NOSUBDIR, EnvFlags.MDB_NOSYNC, EnvFlags.MDB_NOTLS);
        db = env.openDbi("bench", DbiFlags.MDB_CREATE);
        values = ThreadLocal.withInitial(() -> ByteBuffer.allocateDirect(valueSize + 64));
        readTxn = ThreadLocal.withInitial(() -> {
            Txn<ByteBuffer> txn = env.txnRead();
            txn.reset();
            readTxns.add(txn);
            return txn;
        });
    }

    private ByteBuffer key(String key) {
        ByteBuffer b = keys.get();
        b.clear();
        b.put(key.getBytes(StandardCharsets.UTF_8)).flip();
        return b;
    }

    private ByteBuffer value(byte[] v) {
        ByteBuffer b = values.get();
        if (b.capacity() < v.length) {
            b = ByteBuffer.allocateDirect(v.length);
            values.set(b);
        }
        b.clear();
        b.put(v).flip();
        return b;
    }

    @Override
    public byte[] get(String key) {
        Txn<ByteBuffer> txn = readTxn.get();
        txn.renew();
        try {
            ByteBuffer v = db.get(txn, key(key));
            if (v == null) {
                return null;
            }
            byte[] out = new byte[v.remaining()];
            v.get(out);
            return out;
        } finally {
            txn.reset();
        }
    }

    @Override
    public void put(String key, byte[] value) {
        db.put(key(key), value(value));
    }

    /**
     * In transactions of {@value #FILL_BATCH} puts: one transaction for millions of entries would pass
     * the pages a write transaction may dirty and fail with {@code MDB_TXN_FULL}.
     */
    @Override
    public void fill(String[] keys, IntFunction<byte[]> values) {
        for (int from = 0; from < keys.length; from += FILL_BATCH) {
            try (Txn<ByteBuffer> txn = env.txnWrite()) {
                for (int i = from; i < Math.min(keys.length, from + FILL_BATCH); i++) {
                    db.put(txn, key(keys[i]), value(values.apply(i)));
                }
                txn.commit();
            }
        }
    }

    @Override
    public boolean putIfAbsent(String key, byte[] value) {
        try (Txn<ByteBuffer> txn = env.txnWrite()) {
            boolean put = db.put(txn, key(key), value(value), PutFlags.MDB_NOOVERWRITE);
            txn.commit();
            return put;
        }
    }

    @Override
    public void remove(String key) {
        db.delete(key(key));
    }

    @Override
    public long increment(String key) {
        try (Txn<ByteBuffer> txn = env.txnWrite()) {
            ByteBuffer k = key(key);
            ByteBuffer v = db.get(txn, k);
            byte[] b = new byte[v.remaining()];
            v.get(b);
            long n = KeyValue.readLong(b) + 1;
            KeyValue.writeLong(b, n);
            db.put(txn, k, value(b));
            txn.commit();
            return n;
        }
    }

    @Override
    public void close() throws IOException {
        readTxns.forEach(Txn::close);
        db.close();
        env.close();
        Files.deleteIfExists(file);
        Files.deleteIfExists(file.resolveSibling(file.getFileName() + "-lock"));
    }
}
