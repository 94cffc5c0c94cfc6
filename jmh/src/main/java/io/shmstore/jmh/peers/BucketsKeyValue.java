package io.shmstore.jmh.peers;

import net.openhft.chronicle.core.Memory;
import net.openhft.chronicle.core.OS;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A design yardstick, not a product: the layout ShmStore's next format could take, built only far
 * enough to be timed and weighed beside the peers. It is a real map (keys kept and compared, collisions
 * handled, a checksum checked on every read, lock-free readers validated by version words, writers
 * under lock words in the file, so a second JVM can attach), without what a store needs beyond that:
 * no recovery of a lock whose holder died, no repair, no growth, no expiry, no change feed, no entry
 * larger than a cell, ASCII keys only. What it answers: when the few places a key can be are known
 * from its hash alone, each a bucket of whole lines loaded at once, how near do reads and writes come to
 * {@code one-miss}, and at what bytes per entry? BENCHMARKS.md has the figures.
 *
 * <p>Bucketized cuckoo hashing. A file in the benchmark's directory (tmpfs) holds up to
 * {@value #LOCKS_MAX} lock words, one per line, then the buckets: {@value #CELLS} cells each, a cell
 * whole lines sized for one entry of the benchmark's size. A cell starts with its word
 * ({@code version << 32 | tag << 16 | busy << 1 | live}), then a checksum of the rest, the key's and
 * the value's lengths, the key and the value. A key lives in one of two buckets picked by its hash
 * (taken from {@link String#hashCode}, which the key caches), so a read loads every line of its first
 * bucket side by side, and of the second only when the key is not in the first. There are as many
 * buckets as {@code entries} need at {@value #LOAD} of the cells.
 *
 * <p>A write takes the lock words of the key's two buckets (lower first), writes the new entry into a
 * free cell of either (copy-on-write), makes it live with one ordered store of its word, and only then
 * drops the old entry with another. A reader reads a bucket's words, follows the live cells whose tag
 * matches, copies the value, checks the checksum and accepts the copy only if none of the words it read
 * (the first bucket's, and the second's when it looked there) changed, so a key between two cells is
 * never missed. A key whose two buckets are full moves another
 * entry to its other bucket (a cuckoo path, carried out from its far end, each move published before
 * it is dropped); an update whose buckets are full rewrites its cell in place with the busy bit set,
 * readers waiting.
 */
final class BucketsKeyValue implements KeyValue {
    private static final Memory MEMORY = OS.memory();
    private static final String FILE = "buckets.dat";
    private static final int LINE = 64;
    private static final int CELLS = 2;
    private static final double LOAD = 0.86;
    private static final int LOCKS_MAX = 1024;
    private static final int MAX_PATH = 500;
    /** word (8), checksum (4), key length (2), value length (2) */
    private static final int CELL_HEADER = 16;
    private static final int CHECKSUMMED_FROM = 12;
    private static final int KEY_SIZE = 11;
    private static final long LIVE = 1;
    private static final long BUSY = 2;
    private static final long VERSION = 1L << 32;
    private static final long SEED = 0x6275_636B_6574_7321L;
    private static final long BYTES = MEMORY.arrayBaseOffset(byte[].class);

    private final Path file;
    private final boolean owner;
    private final long address;
    private final int cell;
    private final int bucketSize;
    private final int buckets;
    private final int locks;
    private final long bucketsAt;
    /** Written only when a never-taken branch is taken: keeps the loads ahead from being removed. */
    private long sink;
    private volatile boolean closed;

    private BucketsKeyValue(Path dir, int entries, int valueSize, boolean owner) throws IOException {
        this.file = dir.resolve(FILE);
        this.owner = owner;
        this.cell = (CELL_HEADER + KEY_SIZE + valueSize + LINE - 1) & -LINE;
        this.bucketSize = CELLS * cell;
        this.buckets = (int) Math.ceil(entries / (LOAD * CELLS)) + 2;
        this.locks = (int) Math.min(LOCKS_MAX, Long.highestOneBit(Math.max(1, buckets / 16)));
        this.bucketsAt = ((long) locks * LINE + 4095) & -4096L;
        long size = bucketsAt + (long) buckets * bucketSize;
        if (owner && Files.exists(file)) {
            throw new IOException(file + " exists");
        }
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
            if (owner) {
                raf.setLength(size);
            } else if (raf.length() != size) {
                throw new IOException(file + " is " + raf.length() + " bytes, not the " + size + " expected");
            }
            this.address = OS.map(raf.getChannel(), FileChannel.MapMode.READ_WRITE, 0, size);
        }
    }

    static KeyValue create(Path dir, int entries, int valueSize) throws IOException {
        return new BucketsKeyValue(dir, entries, valueSize, true);
    }

    static KeyValue attach(Path dir, int entries, int valueSize) throws IOException {
        return new BucketsKeyValue(dir, entries, valueSize, false);
    }

    // ------------------------------------------------------------------ hashing and places

    /**
     * The key's hash: {@link String#hashCode}, which the String caches, spread to 64 bits. A read
     * needs it before it can load the buckets; taking the cached one, the loads start while the key's
     * characters (another object, usually another miss) are still on their way for the compare.
     */
    private static long hash(String key) {
        return finish(key.hashCode() * 0x9E3779B185EBCA87L ^ SEED);
    }

    /** {@link #hash} of the key kept in a cell: {@link String#hashCode}'s formula over its (Latin-1) bytes. */
    private static long hashAt(long c) {
        int n = MEMORY.readShort(c + 12) & 0xFFFF;
        int h = 0;
        for (int i = 0; i < n; i++) {
            h = 31 * h + (MEMORY.readByte(c + CELL_HEADER + i) & 0xFF);
        }
        return finish(h * 0x9E3779B185EBCA87L ^ SEED);
    }

    private static long mix(long h, long k) {
        k = Long.rotateLeft(k * 0xC2B2AE3D27D4EB4FL, 31) * 0x9E3779B185EBCA87L;
        return Long.rotateLeft(h ^ k, 27) * 5 + 0x52DCE729L;
    }

    private static long finish(long h) {
        h ^= h >>> 33;
        h *= 0xFF51AFD7ED558CCDL;
        h ^= h >>> 33;
        h *= 0xC4CEB9FE1A85EC53L;
        return h ^ h >>> 33;
    }

    private int first(long h) {
        return (int) (((h & 0xFFFF_FFFFL) * buckets) >>> 32);
    }

    /** The other bucket: never the first. */
    private int second(long h) {
        int first = first(h);
        int b = (int) (((h >>> 32) * (buckets - 1)) >>> 32);
        return b < first ? b : b + 1;
    }

    private int other(long h, int b) {
        int first = first(h);
        return b == first ? second(h) : first;
    }

    private static long tag(long h) {
        return ((h >>> 16 ^ h >>> 48) & 0xFFFF) << 16;
    }

    private long bucket(int b) {
        return address + bucketsAt + (long) b * bucketSize;
    }

    private static boolean live(long word) {
        return (word & LIVE) != 0;
    }

    // ------------------------------------------------------------------ entries

    private static boolean holds(long c, String key) {
        int n = key.length();
        if ((MEMORY.readShort(c + 12) & 0xFFFF) != n) {
            return false;
        }
        for (int i = 0; i < n; i++) {
            if (MEMORY.readByte(c + CELL_HEADER + i) != (byte) key.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    private static int checksum(long c, int length) {
        long h = length;
        long from = c + CHECKSUMMED_FROM;
        int i = 0;
        for (; i + 8 <= length; i += 8) {
            h = mix(h, MEMORY.readLong(from + i));
        }
        for (; i < length; i++) {
            h = mix(h, MEMORY.readByte(from + i));
        }
        return (int) (h ^ h >>> 32);
    }

    /**
     * Writes an entry (its size checked before the write began) into a cell readers do not follow (not
     * live) or wait on (busy).
     */
    private void writeEntry(long c, String key, byte[] value) {
        MEMORY.writeShort(c + 12, (short) key.length());
        MEMORY.writeShort(c + 14, (short) value.length);
        for (int i = 0; i < key.length(); i++) {
            MEMORY.writeByte(c + CELL_HEADER + i, (byte) key.charAt(i));
        }
        MEMORY.copyMemory(value, 0, c + CELL_HEADER + key.length(), value.length);
        MEMORY.writeInt(c + 8, checksum(c, 4 + key.length() + value.length));
    }

    // ------------------------------------------------------------------ reading (no lock)

    @Override
    public byte[] get(String key) {
        return getUsing(key, null);
    }

    @Override
    public byte[] getUsing(String key, byte[] reuse) {
        checkOpen();
        long h = hash(key);
        long a = bucket(first(h));
        long tag = tag(h);
        while (true) {
            // the first bucket's lines, loaded side by side: its words, and a word of each further line
            long a0 = MEMORY.readVolatileLong(a);
            long a1 = MEMORY.readVolatileLong(a + cell);
            loadAhead(a);
            if (((a0 | a1) & BUSY) != 0) {
                Thread.onSpinWait();
                continue;
            }
            long at = matchIn(a, a0, a1, tag, key);
            if (at != 0) {
                byte[] v = copy(at, key, reuse);
                if (unchanged(a, a0, a1)) {
                    if (v == null) {
                        throw damaged(at);
                    }
                    return v;
                }
                continue;
            }
            // not in its first bucket: the second, and neither may change meanwhile (a key moving between
            // them is published in one before it is dropped from the other)
            long b = bucket(second(h));
            long b0 = MEMORY.readVolatileLong(b);
            long b1 = MEMORY.readVolatileLong(b + cell);
            loadAhead(b);
            if (((b0 | b1) & BUSY) != 0) {
                Thread.onSpinWait();
                continue;
            }
            at = matchIn(b, b0, b1, tag, key);
            byte[] v = at == 0 ? null : copy(at, key, reuse);
            if (unchanged(b, b0, b1) && unchanged(a, a0, a1)) {
                if (at != 0 && v == null) {
                    throw damaged(at);
                }
                return v;
            }
        }
    }

    /**
     * Loads a word of each line of a bucket after the cells' first: their misses overlap. The words feed a
     * branch that is never taken, so the loads are neither dropped nor sunk.
     */
    private void loadAhead(long bucket) {
        long x = 0;
        for (int l = LINE; l < cell; l += LINE) {
            x ^= MEMORY.readLong(bucket + l) ^ MEMORY.readLong(bucket + cell + l);
        }
        if (x == SEED) {
            sink++;
        }
    }

    private IllegalStateException damaged(long at) {
        return new IllegalStateException("the cell at " + (at - address) + " is damaged");
    }

    private boolean unchanged(long bucket, long w0, long w1) {
        MEMORY.loadFence();
        return MEMORY.readVolatileLong(bucket) == w0 && MEMORY.readVolatileLong(bucket + cell) == w1;
    }

    /** The cell of the bucket whose word ({@code w0}, {@code w1}, read by the caller) matches the key, or 0. */
    private long matchIn(long bucket, long w0, long w1, long tag, String key) {
        long at = match(w0, bucket, tag, key);
        return at != 0 ? at : match(w1, bucket + cell, tag, key);
    }

    /** The cell if its word is live with the key's tag and it holds the key, else 0. */
    private static long match(long word, long c, long tag, String key) {
        return live(word) && (word & 0xFFFF_0000L) == tag && holds(c, key) ? c : 0;
    }

    /** The value of the entry in a cell, or null when its length or checksum is wrong (a race, or damage). */
    private byte[] copy(long c, String key, byte[] reuse) {
        int length = MEMORY.readShort(c + 14) & 0xFFFF;
        if (length + key.length() + CELL_HEADER > cell) {
            return null;
        }
        byte[] v = reuse != null && reuse.length == length ? reuse : new byte[length];
        MEMORY.copyMemory(c + CELL_HEADER + key.length(), v, BYTES, length);
        return checksum(c, 4 + key.length() + length) == MEMORY.readInt(c + 8) ? v : null;
    }

    // ------------------------------------------------------------------ writing (lock words held)

    private long lockWord(int b) {
        return address + (long) (b & (locks - 1)) * LINE;
    }

    private boolean tryLock(long word) {
        return MEMORY.compareAndSwapLong(null, word, 0, 1);
    }

    private void unlock(long word) {
        MEMORY.writeOrderedLong(word, 0);
    }

    /** Runs a write with the lock words of the key's two buckets held, the lower first. */
    private boolean locked(String key, byte[] value, boolean ifAbsent, boolean remove) {
        checkOpen();
        // before any cell changes: a refusal must not leave a cell busy or half written
        if (value != null && value.length + key.length() + CELL_HEADER > cell) {
            throw new IllegalArgumentException("a " + value.length + "-byte value under \"" + key + "\" does not fit a "
                    + cell + "-byte cell of this yardstick");
        }
        long h = hash(key);
        long l1 = lockWord(first(h));
        long l2 = lockWord(second(h));
        long lo = Math.min(l1, l2);
        long hi = Math.max(l1, l2);
        while (!tryLock(lo)) {
            Thread.onSpinWait();
        }
        while (hi != lo && !tryLock(hi)) {
            Thread.onSpinWait();
        }
        try {
            return write(h, key, value, ifAbsent, remove, lo, hi);
        } finally {
            if (hi != lo) {
                unlock(hi);
            }
            unlock(lo);
        }
    }

    private boolean write(long h, String key, byte[] value, boolean ifAbsent, boolean remove, long lo, long hi) {
        int b1 = first(h);
        int b2 = second(h);
        long tag = tag(h);
        long old = find(bucket(b1), tag, key);
        if (old == 0) {
            old = find(bucket(b2), tag, key);
        }
        if (remove || old != 0 && ifAbsent) {
            if (old != 0 && remove) {
                publish(old, 0);
            }
            return old != 0 && remove;
        }
        // the old entry's bucket first, else the first bucket; then the other
        boolean inSecond = old != 0 && bucketOf(old) == b2;
        long to = free(inSecond ? b2 : b1);
        if (to == 0) {
            to = free(inSecond ? b1 : b2);
        }
        if (to == 0 && old != 0) {
            long word = MEMORY.readLong(old);
            MEMORY.writeVolatileLong(old, word | BUSY);
            writeEntry(old, key, value);
            publish(old, word & 0xFFFF_FFFFL & ~BUSY);
            return true;
        }
        for (int tries = 0; to == 0; tries++) {
            if (tries == 16) {
                throw new IllegalStateException("both buckets of \"" + key + "\" are full and no cuckoo path of up to "
                        + MAX_PATH + " moves freed a cell: the yardstick is sized for " + LOAD + " of its cells");
            }
            to = cuckoo(ThreadLocalRandom.current().nextBoolean() ? b1 : b2, lo, hi);
        }
        writeEntry(to, key, value);
        publish(to, tag | LIVE);
        if (old != 0) {
            publish(old, 0);
        }
        return true;
    }

    private int bucketOf(long c) {
        return (int) ((c - address - bucketsAt) / bucketSize);
    }

    /** The live cell of the bucket holding the key, or 0. */
    private long find(long bucket, long tag, String key) {
        for (int i = 0; i < CELLS; i++) {
            long c = bucket + (long) i * cell;
            if (match(MEMORY.readLong(c), c, tag, key) != 0) {
                return c;
            }
        }
        return 0;
    }

    /** A cell of bucket {@code b} that is not live, or 0. */
    private long free(int b) {
        long bucket = bucket(b);
        for (int i = 0; i < CELLS; i++) {
            long c = bucket + (long) i * cell;
            if (!live(MEMORY.readLong(c))) {
                return c;
            }
        }
        return 0;
    }

    /** The cell's word becomes {@code word} (live, tag, busy bits) under the next version: one ordered store. */
    private static void publish(long c, long word) {
        long version = (MEMORY.readLong(c) & -VERSION) + VERSION;
        MEMORY.writeOrderedLong(c, version | word);
    }

    /**
     * Frees a cell of the full bucket {@code start} by a random walk of moves: each step picks an entry
     * of the bucket and looks at its other bucket, until one has room. The moves are then made from the
     * far end back, each entry published in its new cell before it is dropped from the old, under the
     * lock words of both buckets (taken if free, or already held as {@code lo}/{@code hi}).
     *
     * @return the cell freed in {@code start}, or 0 if no path was found or a lock word was busy
     */
    private long cuckoo(int start, long lo, long hi) {
        int[] from = new int[MAX_PATH];
        int[] cellOf = new int[MAX_PATH];
        int[] to = new int[MAX_PATH];
        ThreadLocalRandom random = ThreadLocalRandom.current();
        int b = start;
        for (int n = 0; n < MAX_PATH; n++) {
            int i = random.nextInt(CELLS);
            long c = bucket(b) + (long) i * cell;
            int alt = other(hashAt(c), b);
            from[n] = b;
            cellOf[n] = i;
            to[n] = alt;
            if (free(alt) != 0) {
                for (int k = n; k >= 0; k--) {
                    if (!move(from[k], cellOf[k], to[k], lo, hi)) {
                        return 0;
                    }
                }
                return bucket(start) + (long) cellOf[0] * cell;
            }
            b = alt;
        }
        return 0;
    }

    /** Moves the entry in cell {@code i} of bucket {@code b} to a free cell of {@code alt}. */
    private boolean move(int b, int i, int alt, long lo, long hi) {
        long src = bucket(b) + (long) i * cell;
        long l1 = lockWord(b);
        long l2 = lockWord(alt);
        boolean take1 = l1 != lo && l1 != hi;
        boolean take2 = l2 != lo && l2 != hi && l2 != l1;
        if (take1 && !tryLock(l1)) {
            return false;
        }
        try {
            if (take2 && !tryLock(l2)) {
                return false;
            }
            try {
                long dst = free(alt);
                long word = MEMORY.readLong(src);
                // an earlier move of the same path may have put another entry in this cell
                if (dst == 0 || !live(word) || other(hashAt(src), b) != alt) {
                    return false;
                }
                MEMORY.copyMemory(src + 8, dst + 8, cell - 8);
                publish(dst, word & 0xFFFF_FFFFL);
                publish(src, 0);
                return true;
            } finally {
                if (take2) {
                    unlock(l2);
                }
            }
        } finally {
            if (take1) {
                unlock(l1);
            }
        }
    }

    /** The share of cells in use, and the share of entries in their first bucket: for the yardstick's own check. */
    double[] load() {
        long live = 0;
        long inFirst = 0;
        for (int b = 0; b < buckets; b++) {
            for (int i = 0; i < CELLS; i++) {
                long c = bucket(b) + (long) i * cell;
                if (live(MEMORY.readLong(c))) {
                    live++;
                    inFirst += first(hashAt(c)) == b ? 1 : 0;
                }
            }
        }
        return new double[] {(double) live / ((long) buckets * CELLS), (double) inFirst / Math.max(1, live)};
    }

    // ------------------------------------------------------------------ the benchmark's operations

    @Override
    public void put(String key, byte[] value) {
        locked(key, value, false, false);
    }

    @Override
    public boolean putIfAbsent(String key, byte[] value) {
        return locked(key, value, true, false);
    }

    @Override
    public void remove(String key) {
        locked(key, null, false, true);
    }

    @Override
    public long increment(String key) {
        throw new UnsupportedOperationException("the buckets yardstick times get, getUsing and put only");
    }

    /**
     * Closes it for this process: later operations throw {@link IllegalStateException}; the file goes
     * if this process made it. The mapping itself stays until the JVM exits, so that an operation still
     * running in another thread finishes on mapped memory instead of faulting (a benchmark's fork, or a
     * test's JVM, ends soon after).
     */
    @Override
    public void close() throws IOException {
        closed = true;
        if (owner) {
            Files.deleteIfExists(file);
        }
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("the buckets yardstick at " + file + " is closed");
        }
    }
}
