package io.shmstore.jmh.peers;

import java.io.IOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Not a map: the least any map that keeps its values in shared memory must do, as a yardstick beside the
 * peers. A file in the benchmark's directory (tmpfs) holds one cell per entry, {@value #HEADER} bytes of
 * length then the value, each cell a whole number of cache lines; a key's cell is its
 * {@link String#hashCode} (cached in the String) spread over the cells. A {@code get} reads the length
 * and copies the value out: one random cache line (and its neighbour), no key kept or compared, no
 * collision handled (two keys may share a cell, and the later put wins), no lock, no checksum. What a
 * real store does beyond this, and what the benchmark's own choice of a random key costs, is what the
 * peers' times add on top.
 */
final class OneMissKeyValue implements KeyValue {
    private static final String FILE = "one-miss.dat";
    private static final int HEADER = 8;
    private static final VarHandle LONGS = MethodHandles.byteBufferViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    private final Path file;
    private final boolean owner;
    private final MappedByteBuffer cells;
    private final int cellSize;
    private final int count;

    private OneMissKeyValue(Path dir, int entries, int valueSize, boolean owner) throws IOException {
        if ((long) entries * cellSize(valueSize) > Integer.MAX_VALUE) {
            throw new IllegalArgumentException(entries + " entries of " + valueSize + " bytes: over 2 GiB of cells");
        }
        this.file = dir.resolve(FILE);
        this.owner = owner;
        this.cellSize = cellSize(valueSize);
        this.count = entries;
        long size = (long) entries * cellSize;
        try (FileChannel ch = owner
                ? FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.READ, StandardOpenOption.WRITE)
                : FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            this.cells = ch.map(FileChannel.MapMode.READ_WRITE, 0, size);
        }
        cells.order(ByteOrder.LITTLE_ENDIAN);
    }

    static KeyValue create(Path dir, int entries, int valueSize) throws IOException {
        return new OneMissKeyValue(dir, entries, valueSize, true);
    }

    static KeyValue attach(Path dir, int entries, int valueSize) throws IOException {
        return new OneMissKeyValue(dir, entries, valueSize, false);
    }

    /** The header and the value rounded up to whole 64-byte lines, so a cell starts a line. */
    private static int cellSize(int valueSize) {
        return (HEADER + valueSize + 63) & ~63;
    }

    private int cell(String key) {
        int h = key.hashCode() * 0x9E3779B9;
        return (int) (((h & 0xFFFF_FFFFL) * count) >>> 32) * cellSize;
    }

    @Override
    public byte[] get(String key) {
        return getUsing(key, null);
    }

    @Override
    public byte[] getUsing(String key, byte[] reuse) {
        int at = cell(key);
        int length = cells.getInt(at);
        if (length == 0) {
            return null;
        }
        byte[] v = reuse != null && reuse.length == length ? reuse : new byte[length];
        cells.get(at + HEADER, v, 0, length);
        return v;
    }

    @Override
    public void put(String key, byte[] value) {
        int at = cell(key);
        cells.put(at + HEADER, value, 0, value.length);
        cells.putInt(at, value.length);
    }

    @Override
    public boolean putIfAbsent(String key, byte[] value) {
        int at = cell(key);
        if (cells.getInt(at) != 0) {
            return false;
        }
        put(key, value);
        return true;
    }

    @Override
    public void remove(String key) {
        cells.putInt(cell(key), 0);
    }

    @Override
    public long increment(String key) {
        return (long) LONGS.getAndAdd(cells, cell(key) + HEADER, 1L) + 1;
    }

    @Override
    public void close() throws IOException {
        if (owner) {
            Files.deleteIfExists(file);
        }
    }
}
