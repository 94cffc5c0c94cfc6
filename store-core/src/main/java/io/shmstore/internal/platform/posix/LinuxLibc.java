package io.shmstore.internal.platform.posix;

import com.sun.jna.Native;
import com.sun.jna.Platform;

/**
 * The few libc calls the Linux backend needs, bound with JNA direct mapping (no per-call reflection,
 * no {@code Pointer} objects: addresses are passed as {@code long}). Constants differ between
 * architectures; only x86-64 and aarch64 are bound, elsewhere the portable NIO backend is used.
 *
 * <p>Every method returns the raw result; {@link #errno()} gives the error of the last failed call
 * on this thread, and {@link Errno} its name.
 */
final class LinuxLibc {
    static final boolean AVAILABLE;

    static final int O_RDONLY = 0;
    static final int O_RDWR = 2;
    static final int O_CREAT = 0100;
    static final int O_EXCL = 0200;
    static final int O_NONBLOCK = 04000;
    static final int O_CLOEXEC = 02000000;
    static final int O_NOFOLLOW;

    static final int PROT_READ = 1;
    static final int PROT_WRITE = 2;
    static final int MAP_SHARED = 1;
    static final int MAP_PRIVATE = 2;
    static final int MAP_FIXED = 0x10;
    static final int MAP_ANONYMOUS = 0x20;
    static final int MAP_NORESERVE = 0x4000;

    static final int MFD_CLOEXEC = 1;
    static final int MFD_ALLOW_SEALING = 2;
    static final int F_ADD_SEALS = 1033;
    static final int F_SEAL_SEAL = 1;
    static final int F_SEAL_SHRINK = 2;
    static final int F_SEAL_GROW = 4;
    /**
     * {@code memfd_create} and {@code fcntl} as system calls: glibc before 2.27 has no {@code memfd_create},
     * and one missing symbol would keep this whole class from binding.
     */
    static final long SYS_MEMFD_CREATE;
    static final long SYS_FCNTL;

    static final int FUTEX_WAIT = 0;
    static final int FUTEX_WAKE = 1;
    static final long SYS_FUTEX;

    /**
     * {@code fstat} as a system call: glibc before 2.33 exports no {@code fstat} symbol (only
     * {@code __fxstat}), and the kernel's {@code struct stat} is glibc's on both architectures bound.
     */
    static final long SYS_FSTAT;
    /** Bytes for {@code struct stat}: 144 on x86-64, 128 on aarch64. */
    static final int STAT_BYTES = 256;
    static final int ST_MODE_OFFSET;
    static final int ST_UID_OFFSET;

    static {
        boolean ok = false;
        int noFollow = 0;
        long futex = -1;
        long fstat = -1;
        long memfd = -1;
        long fcntl = -1;
        int modeOffset = 0;
        int uidOffset = 0;
        if (Platform.isLinux() && (Platform.isIntel() && Platform.is64Bit() || Platform.isARM() && Platform.is64Bit())) {
            noFollow = Platform.isIntel() ? 0400000 : 0100000;
            futex = Platform.isIntel() ? 202 : 98;
            fstat = Platform.isIntel() ? 5 : 80;
            memfd = Platform.isIntel() ? 319 : 279;
            fcntl = Platform.isIntel() ? 72 : 25;
            // x86-64: st_dev, st_ino, st_nlink (8 bytes each), st_mode, st_uid; aarch64: st_dev, st_ino,
            // st_mode, st_nlink (4 bytes), st_uid
            modeOffset = Platform.isIntel() ? 24 : 16;
            uidOffset = Platform.isIntel() ? 28 : 24;
            try {
                Native.register(LinuxLibc.class, Platform.C_LIBRARY_NAME);
                ok = true;
            } catch (UnsatisfiedLinkError | RuntimeException e) {
                ok = false;
            }
        }
        AVAILABLE = ok;
        O_NOFOLLOW = noFollow;
        SYS_FUTEX = futex;
        SYS_FSTAT = fstat;
        SYS_MEMFD_CREATE = memfd;
        SYS_FCNTL = fcntl;
        ST_MODE_OFFSET = modeOffset;
        ST_UID_OFFSET = uidOffset;
    }

    private LinuxLibc() {
    }

    static native int open(String path, int flags, int mode);

    static native int close(int fd);

    static native int fchmod(int fd, int mode);

    static native int ftruncate(int fd, long length);

    /** Returns 0 or an error number (it does not set errno). */
    static native int posix_fallocate(int fd, long offset, long length);

    static final int FALLOC_FL_KEEP_SIZE = 1;
    static final int FALLOC_FL_PUNCH_HOLE = 2;

    /** Returns 0, or -1 with errno set. */
    static native int fallocate(int fd, int mode, long offset, long length);

    static native long lseek(int fd, long offset, int whence);

    static native long mmap(long addr, long length, int prot, int flags, int fd, long offset);

    static native int munmap(long addr, long length);

    static native int link(String oldPath, String newPath);

    static native int unlink(String path);

    static native int getpagesize();

    /** {@code futex(uaddr, op, val, timeout, NULL, 0)}; {@code timeout} is {tv_sec, tv_nsec} or null. */
    static native long syscall(long number, long uaddr, int op, int val, long[] timeout, long uaddr2, int val3);

    /** {@code syscall(SYS_fstat, fd, buf)}: 0, or -1 with errno set; {@code buf} gets the {@code struct stat}. */
    static native long syscall(long number, long fd, byte[] statBuffer);

    /** {@code syscall(SYS_memfd_create, name, flags)}: a descriptor, or -1 with errno set. */
    static native long syscall(long number, String name, int flags);

    /** {@code syscall(SYS_fcntl, fd, cmd, arg)}: as {@code fcntl}, -1 with errno set on failure. */
    static native long syscall(long number, long fd, long cmd, long arg);

    /** The error number of the last failed call on this thread; see {@link Errno} for its name. */
    static int errno() {
        return Native.getLastError();
    }
}
