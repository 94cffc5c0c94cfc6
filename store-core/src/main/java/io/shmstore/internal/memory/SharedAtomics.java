package io.shmstore.internal.memory;

import net.openhft.chronicle.core.Memory;
import net.openhft.chronicle.core.OS;

/**
 * Atomic updates and zeroing of shared memory that a file truncated under the mapping cannot turn
 * into a JVM crash.
 *
 * <p>Any process with write access can shrink a mapped file; touching a page past its new end raises
 * SIGBUS. HotSpot turns that signal into {@code InternalError} ("a fault occurred in ... unsafe memory
 * access operation") for Unsafe loads, stores and {@code copyMemory}, but the interpreter runs
 * compare-and-set, get-and-add and {@code setMemory} inside the VM without that guard, so there the
 * same fault kills the process. Each method here therefore first reads the word it is about to change
 * with a guarded load, which raises the error while nothing has been changed; in compiled code, where
 * the load and the atomic share a method marked as doing unsafe access, both faults are turned into
 * the error. Zeroing is done with guarded stores only.
 *
 * <p>What remains is a truncation that lands in the nanoseconds between the guarded load and the
 * atomic instruction. Callers turn the error into a typed exception ({@link MemoryFaults}).
 * {@link MemoryFaults#raisePending()} makes the interpreter raise the load's error before the atomic.
 */
public final class SharedAtomics {
    private static final Memory MEMORY = OS.memory();

    private SharedAtomics() {
    }

    public static boolean compareAndSwapLong(long address, long expected, long value) {
        guard(address);
        return MEMORY.compareAndSwapLong(address, expected, value);
    }

    public static boolean compareAndSwapInt(long address, int expected, int value) {
        guard(address);
        return MEMORY.compareAndSwapInt(address, expected, value);
    }

    /** Atomically adds {@code delta}; returns the new value. */
    public static int addInt(long address, int delta) {
        guard(address);
        return MEMORY.addInt(address, delta);
    }

    /** Atomically adds {@code delta}; returns the new value. */
    public static long addLong(long address, long delta) {
        guard(address);
        return MEMORY.addLong(address, delta);
    }

    /**
     * Reads the word at {@code address} with a guarded load and has any fault it raised thrown here,
     * before the caller's atomic on the same word runs.
     */
    public static void guard(long address) {
        MEMORY.readVolatileInt(address);
        MemoryFaults.raisePending();
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
