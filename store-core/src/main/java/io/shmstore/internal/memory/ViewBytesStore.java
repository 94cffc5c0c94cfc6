package io.shmstore.internal.memory;

import io.shmstore.ReadOnlyStoreException;
import net.openhft.chronicle.bytes.RandomDataInput;
import net.openhft.chronicle.bytes.VanillaBytes;
import net.openhft.chronicle.bytes.internal.NativeBytesStore;
import org.jetbrains.annotations.NotNull;

import java.nio.ByteBuffer;

/**
 * The Chronicle {@code BytesStore} behind a {@link io.shmstore.memory.MemoryView}: native memory of one
 * mapping, unmapped when the last reference is released (never on Chronicle's background releaser, so
 * a closed view is gone when {@code close()} returns).
 *
 * <p>A read-only view is mapped {@code PROT_READ}, where a store through Unsafe would kill the JVM with
 * SIGSEGV. So every method that can write, directly or by handing out a write address, is overridden to
 * throw {@link ReadOnlyStoreException} first; the default methods of Chronicle's interfaces all end in
 * one of these. The contract test {@code ReadOnlyViewTest} calls every writing method of the
 * {@code BytesStore} interface on a read-only view to keep this list complete.
 */
public final class ViewBytesStore extends NativeBytesStore<Void> {
    private final boolean writable;
    private final String what;

    public ViewBytesStore(long address, long length, boolean writable, Runnable unmap, String what) {
        super(address, length, unmap, false);
        this.writable = writable;
        this.what = what;
    }

    public boolean writable() {
        return writable;
    }

    private void checkWrite() {
        if (!writable) {
            throw new ReadOnlyStoreException("cannot write to a read-only view of " + what);
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

    @NotNull
    @Override
    public VanillaBytes<Void> bytesForWrite() {
        checkWrite();
        return super.bytesForWrite();
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

    @NotNull
    @Override
    public NativeBytesStore<Void> zeroOut(long start, long end) {
        checkWrite();
        return super.zeroOut(start, end);
    }

    @Override
    public boolean compareAndSwapInt(long offset, int expected, int value) {
        checkWrite();
        return super.compareAndSwapInt(offset, expected, value);
    }

    @Override
    public void testAndSetInt(long offset, int expected, int value) {
        checkWrite();
        super.testAndSetInt(offset, expected, value);
    }

    @Override
    public boolean compareAndSwapLong(long offset, long expected, long value) {
        checkWrite();
        return super.compareAndSwapLong(offset, expected, value);
    }

    @NotNull
    @Override
    public NativeBytesStore<Void> writeByte(long offset, byte i8) {
        checkWrite();
        return super.writeByte(offset, i8);
    }

    @NotNull
    @Override
    public NativeBytesStore<Void> writeShort(long offset, short i16) {
        checkWrite();
        return super.writeShort(offset, i16);
    }

    @NotNull
    @Override
    public NativeBytesStore<Void> writeInt(long offset, int i32) {
        checkWrite();
        return super.writeInt(offset, i32);
    }

    @NotNull
    @Override
    public NativeBytesStore<Void> writeOrderedInt(long offset, int i) {
        checkWrite();
        return super.writeOrderedInt(offset, i);
    }

    @NotNull
    @Override
    public NativeBytesStore<Void> writeLong(long offset, long i64) {
        checkWrite();
        return super.writeLong(offset, i64);
    }

    @NotNull
    @Override
    public NativeBytesStore<Void> writeOrderedLong(long offset, long i) {
        checkWrite();
        return super.writeOrderedLong(offset, i);
    }

    @NotNull
    @Override
    public NativeBytesStore<Void> writeFloat(long offset, float f) {
        checkWrite();
        return super.writeFloat(offset, f);
    }

    @NotNull
    @Override
    public NativeBytesStore<Void> writeDouble(long offset, double d) {
        checkWrite();
        return super.writeDouble(offset, d);
    }

    @NotNull
    @Override
    public NativeBytesStore<Void> writeVolatileByte(long offset, byte i8) {
        checkWrite();
        return super.writeVolatileByte(offset, i8);
    }

    @NotNull
    @Override
    public NativeBytesStore<Void> writeVolatileShort(long offset, short i16) {
        checkWrite();
        return super.writeVolatileShort(offset, i16);
    }

    @NotNull
    @Override
    public NativeBytesStore<Void> writeVolatileInt(long offset, int i32) {
        checkWrite();
        return super.writeVolatileInt(offset, i32);
    }

    @NotNull
    @Override
    public NativeBytesStore<Void> writeVolatileLong(long offset, long i64) {
        checkWrite();
        return super.writeVolatileLong(offset, i64);
    }

    @NotNull
    @Override
    public NativeBytesStore<Void> write(long offsetInRDO, byte[] byteArray, int offset, int length) {
        checkWrite();
        return super.write(offsetInRDO, byteArray, offset, length);
    }

    @Override
    public void write(long offsetInRDO, @NotNull ByteBuffer bytes, int offset, int length) {
        checkWrite();
        super.write(offsetInRDO, bytes, offset, length);
    }

    @NotNull
    @Override
    public NativeBytesStore<Void> write(long writeOffset, @NotNull RandomDataInput bytes, long readOffset, long length) {
        checkWrite();
        return super.write(writeOffset, bytes, readOffset, length);
    }

    @Override
    public void write0(long offsetInRDO, @NotNull RandomDataInput bytes, long offset, long length) {
        checkWrite();
        super.write0(offsetInRDO, bytes, offset, length);
    }

    @Override
    public void nativeWrite(long address, long position, long size) {
        checkWrite();
        super.nativeWrite(address, position, size);
    }

    @Override
    public long write8bit(long position, @NotNull net.openhft.chronicle.bytes.BytesStore<?, ?> bs) {
        checkWrite();
        return super.write8bit(position, bs);
    }

    @Override
    public long write8bit(long position, @NotNull String s, int start, int length) {
        checkWrite();
        return super.write8bit(position, s, start, length);
    }

    @Override
    public long appendUtf8(long pos, char[] chars, int offset, int length) {
        checkWrite();
        return super.appendUtf8(pos, chars, offset, length);
    }

    @Override
    public void move(long from, long to, long length) {
        checkWrite();
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
