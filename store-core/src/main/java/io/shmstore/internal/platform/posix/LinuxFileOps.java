package io.shmstore.internal.platform.posix;

import io.shmstore.internal.platform.Mapping;
import io.shmstore.internal.platform.OnceMapping;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * {@link FileOps} on Linux through {@link LinuxLibc}: O_NOFOLLOW opens, posix_fallocate, mmap.
 *
 * <p><b>Opening what is at a name.</b> Any local user can put a FIFO, a socket or a directory at a
 * name in {@code /dev/shm}, and root a device. So {@link #open} opens with {@code O_NONBLOCK} (an open
 * of a FIFO for reading would otherwise wait for a writer, forever) and {@code O_NOFOLLOW}, and the
 * first thing it does with the descriptor is {@code fstat} it: anything but a regular file is closed
 * again and refused, before it is read, sized or mapped. The descriptor's own status, not the name's,
 * so nothing can be swapped in between. {@code O_NONBLOCK} is left set on the regular files that pass:
 * it has no effect on their reads, writes or mappings.
 */
final class LinuxFileOps implements FileOps {
    private final int pageSize = LinuxLibc.getpagesize();

    private static final class FdHandle implements Handle {
        final int fd;
        final boolean writable;
        final long ownerUid;
        private final AtomicBoolean closed = new AtomicBoolean();

        FdHandle(int fd, boolean writable, long ownerUid) {
            this.fd = fd;
            this.writable = writable;
            this.ownerUid = ownerUid;
        }

        @Override
        public boolean writable() {
            return writable;
        }

        @Override
        public long size() throws IOException {
            long end = LinuxLibc.lseek(fd, 0, 2);
            if (end < 0) {
                throw new FileSystemException("fd " + fd, null, "lseek: " + Errno.describe(LinuxLibc.errno()));
            }
            return end;
        }

        @Override
        public long ownerUid() {
            return ownerUid;
        }

        @Override
        public int descriptor() {
            return fd;
        }

        @Override
        public void close() {
            if (closed.compareAndSet(false, true)) {
                LinuxLibc.close(fd);
            }
        }
    }

    @Override
    public Handle createNew(Path path, Set<PosixFilePermission> perms) throws IOException {
        int mode = PosixModes.toMode(perms);
        int fd = LinuxLibc.open(path.toString(),
                LinuxLibc.O_RDWR | LinuxLibc.O_CREAT | LinuxLibc.O_EXCL | LinuxLibc.O_NOFOLLOW | LinuxLibc.O_CLOEXEC, mode);
        if (fd < 0) {
            throw failure(path, "create", LinuxLibc.errno());
        }
        // the umask may have narrowed the mode given to open(2); set exactly what was asked
        if (LinuxLibc.fchmod(fd, mode) != 0) {
            int e = LinuxLibc.errno();
            LinuxLibc.close(fd);
            throw failure(path, "chmod", e);
        }
        return new FdHandle(fd, true, PosixUsers.self());
    }

    @Override
    public Handle open(Path path, boolean write) throws IOException {
        int flags = (write ? LinuxLibc.O_RDWR : LinuxLibc.O_RDONLY) | LinuxLibc.O_NOFOLLOW | LinuxLibc.O_NONBLOCK
                | LinuxLibc.O_CLOEXEC;
        int fd = LinuxLibc.open(path.toString(), flags, 0);
        if (fd < 0) {
            int errno = LinuxLibc.errno();
            if (errno == Errno.ELOOP || errno == Errno.EISDIR || errno == Errno.ENXIO) {
                // what O_NOFOLLOW, a directory opened for writing and a socket each fail with: say what is there
                FileKind kind = kindOrNull(path);
                if (kind != null && kind != FileKind.REGULAR) {
                    throw new NotRegularFileException(path.toString(), kind);
                }
            }
            throw failure(path, "open", errno);
        }
        return regularOrClose(path, fd, write);
    }

    /** {@code memfd_create}: memory no name leads to, owner-only, whose size may be sealed. */
    @Override
    public Handle createUnnamed(Path dir, String tag, Set<PosixFilePermission> perms) throws IOException {
        long fd = LinuxLibc.syscall(LinuxLibc.SYS_MEMFD_CREATE, tag, LinuxLibc.MFD_CLOEXEC | LinuxLibc.MFD_ALLOW_SEALING);
        if (fd < 0) {
            throw failure(null, "memfd_create", LinuxLibc.errno());
        }
        // a memfd starts as 0777: with the permissions asked, even another user who may read /proc/<pid>/fd
        // cannot open it there
        if (LinuxLibc.fchmod((int) fd, PosixModes.toMode(perms)) != 0) {
            int e = LinuxLibc.errno();
            LinuxLibc.close((int) fd);
            throw failure(null, "fchmod of a memfd", e);
        }
        return new FdHandle((int) fd, true, PosixUsers.self());
    }

    /** {@code F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_SEAL}: the size is final, and so are the seals. */
    @Override
    public boolean sealSize(Handle h) throws IOException {
        if (LinuxLibc.syscall(LinuxLibc.SYS_FCNTL, ((FdHandle) h).fd, LinuxLibc.F_ADD_SEALS,
                LinuxLibc.F_SEAL_SHRINK | LinuxLibc.F_SEAL_GROW | LinuxLibc.F_SEAL_SEAL) != 0) {
            throw failure(null, "seal the size of a memfd", LinuxLibc.errno());
        }
        return true;
    }

    /** Follows the link, the one open here that does; what it reaches is checked as {@link #open} checks. */
    @Override
    public Handle openDescriptor(Path link, boolean write) throws IOException {
        int flags = (write ? LinuxLibc.O_RDWR : LinuxLibc.O_RDONLY) | LinuxLibc.O_NONBLOCK | LinuxLibc.O_CLOEXEC;
        int fd = LinuxLibc.open(link.toString(), flags, 0);
        if (fd < 0) {
            throw failure(link, "open", LinuxLibc.errno());
        }
        return regularOrClose(link, fd, write);
    }

    /** The handle on {@code fd} if {@code fstat} says it is a regular file; else it is closed and refused. */
    private static Handle regularOrClose(Path path, int fd, boolean write) throws IOException {
        byte[] stat = new byte[LinuxLibc.STAT_BYTES];
        if (LinuxLibc.syscall(LinuxLibc.SYS_FSTAT, fd, stat) != 0) {
            int errno = LinuxLibc.errno();
            LinuxLibc.close(fd);
            throw failure(path, "fstat", errno);
        }
        ByteBuffer st = ByteBuffer.wrap(stat).order(ByteOrder.nativeOrder());
        FileKind kind = FileKind.ofMode(st.getInt(LinuxLibc.ST_MODE_OFFSET));
        if (kind != FileKind.REGULAR) {
            LinuxLibc.close(fd);
            throw new NotRegularFileException(path.toString(), kind);
        }
        return new FdHandle(fd, write, Integer.toUnsignedLong(st.getInt(LinuxLibc.ST_UID_OFFSET)));
    }

    /** What is at {@code path}, or null when that cannot be read (it is gone, or not searchable). */
    private static FileKind kindOrNull(Path path) {
        try {
            return FileKind.at(path);
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    @Override
    public void reserve(Handle h, long length) throws IOException {
        resize(h, length);
        reserve(h, 0, length);
    }

    @Override
    public void resize(Handle h, long length) throws IOException {
        if (LinuxLibc.ftruncate(((FdHandle) h).fd, length) != 0) {
            throw failure(null, "ftruncate to " + length + " bytes", LinuxLibc.errno());
        }
    }

    @Override
    public void reserve(Handle h, long offset, long length) throws IOException {
        int rc = LinuxLibc.posix_fallocate(((FdHandle) h).fd, offset, length);
        if (rc != 0 && rc != Errno.EOPNOTSUPP /* the file system cannot reserve; the length stands */) {
            throw failure(null, "reserve " + length + " bytes at " + offset, rc);
        }
    }

    /** {@code fallocate(PUNCH_HOLE | KEEP_SIZE)}: tmpfs, ext4, xfs and btrfs can; others say EOPNOTSUPP. */
    @Override
    public boolean release(Handle h, long offset, long length) throws IOException {
        if (LinuxLibc.fallocate(((FdHandle) h).fd, LinuxLibc.FALLOC_FL_PUNCH_HOLE | LinuxLibc.FALLOC_FL_KEEP_SIZE,
                offset, length) == 0) {
            return true;
        }
        int errno = LinuxLibc.errno();
        if (errno == Errno.EOPNOTSUPP) {
            return false;
        }
        throw failure(null, "release " + length + " bytes at " + offset, errno);
    }

    @Override
    public Mapping map(Handle h, long fileOffset, long length, boolean writable) throws IOException {
        FdHandle fh = (FdHandle) h;
        int prot = writable ? LinuxLibc.PROT_READ | LinuxLibc.PROT_WRITE : LinuxLibc.PROT_READ;
        long addr = LinuxLibc.mmap(0, length, prot, LinuxLibc.MAP_SHARED, fh.fd, fileOffset);
        if (addr == -1L) {
            throw failure(null, "mmap " + length + " bytes at " + fileOffset, LinuxLibc.errno());
        }
        return new NativeMapping(addr, length, writable);
    }

    private static final class NativeMapping extends OnceMapping {
        NativeMapping(long address, long length, boolean writable) {
            super(address, length, writable);
        }

        @Override
        protected void release() {
            LinuxLibc.munmap(address(), length());
        }

        /**
         * {@code mmap(MAP_FIXED)} replaces the file's pages atomically: no other mapping can take the
         * range in between, and an access racing the call sees the file or the zeros, never a hole.
         * The placeholder reserves no swap and costs memory only for pages a late writer touches.
         */
        @Override
        protected void replaceWithPlaceholder() {
            LinuxLibc.mmap(address(), length(), LinuxLibc.PROT_READ | LinuxLibc.PROT_WRITE,
                    LinuxLibc.MAP_PRIVATE | LinuxLibc.MAP_ANONYMOUS | LinuxLibc.MAP_FIXED | LinuxLibc.MAP_NORESERVE, -1, 0);
        }
    }

    @Override
    public void link(Path existing, Path target) throws IOException {
        if (LinuxLibc.link(existing.toString(), target.toString()) != 0) {
            throw failure(target, "link", LinuxLibc.errno());
        }
    }

    @Override
    public void unlink(Path path) throws IOException {
        if (LinuxLibc.unlink(path.toString()) != 0) {
            throw failure(path, "unlink", LinuxLibc.errno());
        }
    }

    @Override
    public int pageSize() {
        return pageSize;
    }

    private static IOException failure(Path path, String op, int errno) {
        String file = path == null ? null : path.toString();
        String reason = op + ": " + Errno.describe(errno);
        switch (errno) {
            case Errno.ENOENT:
                return new NoSuchFileException(file, null, reason);
            case Errno.EEXIST:
                return new FileAlreadyExistsException(file, null, reason);
            case Errno.EACCES:
            case Errno.EPERM:
                return new AccessDeniedException(file, null, reason);
            case Errno.ENOSPC:
                return new NoSpaceException(file, reason);
            case Errno.EROFS:
                return new ReadOnlyVolumeException(file, reason);
            default:
                return new FileSystemException(file, null, reason);
        }
    }
}
