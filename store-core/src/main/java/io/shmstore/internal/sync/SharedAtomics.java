package io.shmstore.internal.sync;

import net.openhft.chronicle.core.Memory;
import net.openhft.chronicle.core.OS;
import net.openhft.chronicle.core.UnsafeMemory;

/**
 * Atomic updates and zeroing of shared memory that a file truncated under the mapping cannot turn
 * into a JVM crash.
 *
 * <p>Any process with write access can shrink a mapped file; touching a page past its new end raises
 * SIGBUS. HotSpot turns that signal into {@code InternalError} ("a fault occurred in ... unsafe memory
 * access operation") for Unsafe loads and stores, and for atomics compiled into a method: the faulting
 * instruction is skipped and the error is raised later, at the thread's next safepoint or return from
 * the VM. But a compare-and-set or get-and-add that the interpreter runs executes inside the VM, without
 * that guard, and there the same fault kills the process.
 *
 * <p>So each atomic here first reads its word with a guarded load and then, in the same frame, makes
 * the thread return from the VM once before the atomic: if the load faulted, the error is raised there,
 * while nothing has been changed. Where this method is interpreted, the array allocation below is a
 * runtime call, whose return delivers the error; where it is compiled, the allocation is removed as
 * dead, and the load and the atomic are intrinsics inside this one method, both guarded. The guard
 * must sit in the same frame as the atomic: a guard in a method of its own, compiled while its caller
 * is still interpreted, leaves the error pending until after the interpreted atomic (found by
 * {@code CorruptionFuzzTest}, a C1-compiled guard before an interpreted CAS). So the calls go straight
 * to {@code sun.misc.Unsafe} (Chronicle's instance), whose one-line delegates every compiler inlines,
 * not through a library's methods, which may be compiled apart from this one.
 *
 * <p>What remains is a truncation that lands in the nanoseconds between the guarded load and the
 * atomic instruction. Callers turn the error into a typed exception ({@link MemoryFaults}). Zeroing is
 * done with guarded stores only.
 */
public final class SharedAtomics {
    private static final Memory MEMORY = OS.memory();

    private SharedAtomics() {
    }

    @SuppressWarnings("unused")
    public static boolean compareAndSwapLong(long address, long expected, long value) {
        UnsafeMemory.UNSAFE.getIntVolatile(null, address);
        byte[] raiseAnyFault = new byte[0];
        return UnsafeMemory.UNSAFE.compareAndSwapLong(null, address, expected, value);
    }

    @SuppressWarnings("unused")
    public static boolean compareAndSwapInt(long address, int expected, int value) {
        UnsafeMemory.UNSAFE.getIntVolatile(null, address);
        byte[] raiseAnyFault = new byte[0];
        return UnsafeMemory.UNSAFE.compareAndSwapInt(null, address, expected, value);
    }

    /** Atomically adds {@code delta}; returns the new value. */
    @SuppressWarnings("unused")
    public static int addInt(long address, int delta) {
        UnsafeMemory.UNSAFE.getIntVolatile(null, address);
        byte[] raiseAnyFault = new byte[0];
        return UnsafeMemory.UNSAFE.getAndAddInt(null, address, delta) + delta;
    }

    /** Atomically adds {@code delta}; returns the new value. */
    @SuppressWarnings("unused")
    public static long addLong(long address, long delta) {
        UnsafeMemory.UNSAFE.getIntVolatile(null, address);
        byte[] raiseAnyFault = new byte[0];
        return UnsafeMemory.UNSAFE.getAndAddLong(null, address, delta) + delta;
    }

    /** Sets {@code length} bytes to zero with plain stores; not atomic as a whole. */
    public static void zero(long address, long length) {
        long end = address + length;
        long a = address;
        for (; a < end && (a & 7) != 0; a++) {
            MEMORY.writeByte(a, (byte) 0);
        }
        for (; a + 8 <= end; a += 8) {
            MEMORY.writeLong(a, 0L);
        }
        for (; a < end; a++) {
            MEMORY.writeByte(a, (byte) 0);
        }
    }
}
