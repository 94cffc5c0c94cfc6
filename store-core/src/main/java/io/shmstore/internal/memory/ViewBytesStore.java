package io.shmstore.internal.memory;

import io.shmstore.internal.sync.SharedAtomics;
import io.shmstore.ReadOnlyStoreException;
import io.shmstore.internal.platform.Mapping;
import net.openhft.chronicle.bytes.Bytes;
import net.openhft.chronicle.bytes.NativeBytes;
import net.openhft.chronicle.bytes.RandomDataInput;
import net.openhft.chronicle.bytes.VanillaBytes;
import net.openhft.chronicle.bytes.internal.NativeBytesStore;
import org.jetbrains.annotations.NotNull;

import java.lang.ref.Cleaner;
import java.nio.ByteBuffer;

/**
 * The Chronicle {@code BytesStore} behind a {@link io.shmstore.memory.MemoryView}: native memory of one
 * mapping, given back when the last reference is released (never on Chronicle's background releaser,
 * so a closed view is gone when {@code close()} returns).
 *
 * <p>A read-only view is mapped {@code PROT_READ}, where a store through Unsafe would kill the JVM with
 * SIGSEGV. So every method that can write, directly or by handing out a write address, is overridden to
 * throw {@link ReadOnlyStoreException} first; the default methods of Chronicle's interfaces all end in
 * one of these. The contract test
 * {@code SharedMemoryTest#everyWritingMethodOfAReadOnlyViewIsRefusedWithoutCrashingTheJvm} calls every
 * writing method of the {@code BytesStore} interface on a read-only view, in a child JVM, to keep this
 * list complete.
 *
 * <p>Chronicle's native stores trust the offsets they are given; a view does not: the primitive
 * reads and every write check their range against the view and throw {@link IndexOutOfBoundsException}
 * naming it, where the plain store would touch memory outside the mapping.
 *
 * <p><b>Closing under a user.</b> The bytes are handed to callers, who may go on using them on
 * another thread while the view is closed; no check before an access can close that race. So the
 * last release does not unmap: it {@link Mapping#retire() retires} the mapping, which on Linux puts
 * private zero pages in place of the file's, and the placeholder is freed once this object is
 * unreachable (a {@link Cleaner}). A late access touches the placeholder instead of faulting, and every
 * primitive read checks afterwards that the view was still open, so a caller gets
 * {@link IllegalStateException}, not a zero from the placeholder. An owner that guarantees no use can
 * race the release (the store, which counts its uses) asks for an immediate unmap with
 * {@link #unmapOnRelease()}. (Longer than most classes here because it has to list Chronicle's read and
 * write paths one by one.)
 */
public final class ViewBytesStore extends NativeBytesStore<Void> {
    private static final Cleaner PLACEHOLDERS = Cleaner.create();

    private final boolean writable;
    private final String what;
    private final Mapping mapping;
    private volatile boolean released;
    private volatile boolean unmapOnRelease;

    public ViewBytesStore(Mapping mapping, long length, boolean writable, String what) {
        super(mapping.address(), length, null, false);
        this.mapping = mapping;
        this.writable = writable;
        this.what = what;
    }

    /** The owner counts every use of these bytes: the last release may unmap at once. */
    public void unmapOnRelease() {
        unmapOnRelease = true;
    }

    /**
     * Chronicle's release clears the store's {@code memory} field, which turns a racing access into a
     * NullPointerException; this one keeps it and gives the mapping back as the class comment says.
     */
    @Override
    protected void performRelease() {
        released = true;
        if (unmapOnRelease) {
            mapping.unmap();
        } else {
            PLACEHOLDERS.register(this, mapping.retire());
        }
    }

    /** @throws IllegalStateException when the view was closed, before or during the access */
    private void checkOpen() {
        if (released) {
            throw new IllegalStateException("the view of " + what + " is closed");
        }
    }

    public boolean writable() {
        return writable;
    }

    private void checkWrite() {
        checkOpen();
        if (!writable) {
            throw new ReadOnlyStoreException("cannot write to a read-only view of " + what);
        }
    }

    private void checkWrite(long offset, long length) {
        checkWrite();
        check(offset, length);
    }

    /**
     * Chronicle's native stores trust their callers' offsets; outside the mapping that means SIGSEGV
     * or SIGBUS. A view checks every range it is given.
     */
    private void check(long offset, long length) {
        checkOpen();
        if (offset < 0 || length < 0 || offset > limit - length) {
            throw new IndexOutOfBoundsException("bytes [" + offset + ", " + offset + " + " + length
                    + ") are outside the " + limit + "-byte view of " + what);
        }
    }

    @Override
    protected boolean canReleaseInBackground() {
        return false;
    }

    @Override
    public boolean sharedMemory() {
        return true;
    }

    /**
     * A cursor for reading. Chronicle's default makes one through {@link #bytesForWrite()}, which a
     * read-only view refuses, so build it directly; its writes still end in the guarded methods.
     */
    @NotNull
    @Override
    public Bytes<Void> bytesForRead() {
        checkOpen();
        if (writable) {
            return super.bytesForRead();
        }
        NativeBytes<Void> b = new NativeBytes<>(this, capacity());
        b.readLimit(capacity());
        return b;
    }

    @NotNull
    @Override
    public VanillaBytes<Void> bytesForWrite() {
        checkWrite();
        return super.bytesForWrite();
    }

    @Override
    public long addressForRead(long offset) {
        checkOpen();
        return super.addressForRead(offset);
    }

    @Override
    public long addressForWrite(long offset) {
        checkWrite();
        return super.addressForWrite(offset);
    }

    @Override
    public long addressForWritePosition() {
        checkWrite();
        return super.addressForWritePosition();
    }

    @Override
    public byte readByte(long offset) {
        check(offset, 1);
        byte v = super.readByte(offset);
        checkOpen();
        return v;
    }

    @Override
    public short readShort(long offset) {
        check(offset, 2);
        short v = super.readShort(offset);
        checkOpen();
        return v;
    }

    @Override
    public int readInt(long offset) {
        check(offset, 4);
        int v = super.readInt(offset);
        checkOpen();
        return v;
    }

    @Override
    public long readLong(long offset) {
        check(offset, 8);
        long v = super.readLong(offset);
        checkOpen();
        return v;
    }

    @Override
    public float readFloat(long offset) {
        check(offset, 4);
        float v = super.readFloat(offset);
        checkOpen();
        return v;
    }

    @Override
    public double readDouble(long offset) {
        check(offset, 8);
        double v = super.readDouble(offset);
        checkOpen();
        return v;
    }

    @Override
    public byte readVolatileByte(long offset) {
        check(offset, 1);
        byte v = super.readVolatileByte(offset);
        checkOpen();
        return v;
    }

    @Override
    public short readVolatileShort(long offset) {
        check(offset, 2);
        short v = super.readVolatileShort(offset);
        checkOpen();
        return v;
    }

    @Override
    public int readVolatileInt(long offset) {
        check(offset, 4);
        int v = super.readVolatileInt(offset);
        checkOpen();
        return v;
    }

    @Override
    public long readVolatileLong(long offset) {
        check(offset, 8);
        long v = super.readVolatileLong(offset);
        checkOpen();
        return v;
    }

    @Override
    public long read(long offsetInRDI, byte[] bytes, int offset, int length) {
        check(offsetInRDI, 0);
        long n = super.read(offsetInRDI, bytes, offset, length);
        checkOpen();
        return n;
    }

    @Override
    public void nativeRead(long position, long address, long size) {
        check(position, size);
        super.nativeRead(position, address, size);
        checkOpen();
    }

    @NotNull
    @Override
    public NativeBytesStore<Void> zeroOut(long start, long end) {
        checkWrite(start, Math.max(0, end - start));
        // guarded stores: Unsafe.setMemory faults inside the VM when the file was truncated
        SharedAtomics.zero(address + translate(start), Math.max(0, end - start));
        return this;
    }

    @Override
    public boolean compareAndSwapInt(long offset, int expected, int value) {
        checkWrite(offset, 4);
        return SharedAtomics.compareAndSwapInt(address + translate(offset), expected, value);
    }

    @Override
    public void testAndSetInt(long offset, int expected, int value) {
        checkWrite(offset, 4);
        if (!SharedAtomics.compareAndSwapInt(address + translate(offset), expected, value)) {
            throw new IllegalStateException("cannot change the int at offset " + offset + " of " + what + " from "
                    + expected + ": it is " + readVolatileInt(offset));
        }
    }

    @Override
    public boolean compareAndSwapLong(long offset, long expected, long value) {
        checkWrite(offset, 8);
        return SharedAtomics.compareAndSwapLong(address + translate(offset), expected, value);
    }

    @NotNull
    @Override
    public NativeBytesStore<Void> writeByte(long offset, byte i8) {
        checkWrite(offset, 1);
        return super.writeByte(offset, i8);
    }

    @NotNull
    @Override
    public NativeBytesStore<Void> writeShort(long offset, short i16) {
        checkWrite(offset, 2);
        return super.writeShort(offset, i16);
    }

    @NotNull
    @Override
    public NativeBytesStore<Void> writeInt(long offset, int i32) {
        checkWrite(offset, 4);
        return super.writeInt(offset, i32);
    }

    @NotNull
    @Override
    public NativeBytesStore<Void> writeOrderedInt(long offset, int i) {
        checkWrite(offset, 4);
        return super.writeOrderedInt(offset, i);
    }

    @NotNull
    @Override
    public NativeBytesStore<Void> writeLong(long offset, long i64) {
        checkWrite(offset, 8);
        return super.writeLong(offset, i64);
    }

    @NotNull
    @Override
    public NativeBytesStore<Void> writeOrderedLong(long offset, long i) {
        checkWrite(offset, 8);
        return super.writeOrderedLong(offset, i);
    }

    @NotNull
    @Override
    public NativeBytesStore<Void> writeFloat(long offset, float f) {
        checkWrite(offset, 4);
        return super.writeFloat(offset, f);
    }

    @NotNull
    @Override
    public NativeBytesStore<Void> writeDouble(long offset, double d) {
        checkWrite(offset, 8);
        return super.writeDouble(offset, d);
    }

    @NotNull
    @Override
    public NativeBytesStore<Void> writeVolatileByte(long offset, byte i8) {
        checkWrite(offset, 1);
        return super.writeVolatileByte(offset, i8);
    }

    @NotNull
    @Override
    public NativeBytesStore<Void> writeVolatileShort(long offset, short i16) {
        checkWrite(offset, 2);
        return super.writeVolatileShort(offset, i16);
    }

    @NotNull
    @Override
    public NativeBytesStore<Void> writeVolatileInt(long offset, int i32) {
        checkWrite(offset, 4);
        return super.writeVolatileInt(offset, i32);
    }

    @NotNull
    @Override
    public NativeBytesStore<Void> writeVolatileLong(long offset, long i64) {
        checkWrite(offset, 8);
        return super.writeVolatileLong(offset, i64);
    }

    @NotNull
    @Override
    public NativeBytesStore<Void> write(long offsetInRDO, byte[] byteArray, int offset, int length) {
        checkWrite(offsetInRDO, length);
        return super.write(offsetInRDO, byteArray, offset, length);
    }

    @Override
    public void write(long offsetInRDO, @NotNull ByteBuffer bytes, int offset, int length) {
        checkWrite(offsetInRDO, length);
        super.write(offsetInRDO, bytes, offset, length);
    }

    @NotNull
    @Override
    public NativeBytesStore<Void> write(long writeOffset, @NotNull RandomDataInput bytes, long readOffset, long length) {
        checkWrite(writeOffset, length);
        return super.write(writeOffset, bytes, readOffset, length);
    }

    @Override
    public void write0(long offsetInRDO, @NotNull RandomDataInput bytes, long offset, long length) {
        checkWrite(offsetInRDO, length);
        super.write0(offsetInRDO, bytes, offset, length);
    }

    @Override
    public void nativeWrite(long address, long position, long size) {
        checkWrite(position, size);
        super.nativeWrite(address, position, size);
    }

    @Override
    public long write8bit(long position, @NotNull net.openhft.chronicle.bytes.BytesStore<?, ?> bs) {
        checkWrite(position, bs.readRemaining() + 5);
        return super.write8bit(position, bs);
    }

    @Override
    public long write8bit(long position, @NotNull String s, int start, int length) {
        checkWrite(position, length + 5L);
        return super.write8bit(position, s, start, length);
    }

    @Override
    public long appendUtf8(long pos, char[] chars, int offset, int length) {
        checkWrite(pos, length * 3L);
        return super.appendUtf8(pos, chars, offset, length);
    }

    @Override
    public void move(long from, long to, long length) {
        checkWrite(to, length);
        check(from, length);
        super.move(from, to, length);
    }

    @Override
    public long appendAndReturnLength(long writePosition, boolean negative, long mantissa, int exponent, boolean append0) {
        checkWrite();
        return super.appendAndReturnLength(writePosition, negative, mantissa, exponent, append0);
    }

    @Override
    protected void reverseBytesFrom(long start, long end) {
        checkWrite();
        super.reverseBytesFrom(start, end);
    }
}
