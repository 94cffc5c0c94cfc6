package io.shmstore.internal.platform.posix;

import io.shmstore.internal.platform.Mapping;
import io.shmstore.internal.platform.OnceMapping;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;

/** {@link FileOps} on Linux through {@link LinuxLibc}: O_NOFOLLOW opens, posix_fallocate, mmap. */
final class LinuxFileOps implements FileOps {
    private final int pageSize = LinuxLibc.getpagesize();

    private static final class FdHandle implements Handle {
        final int fd;
        final boolean writable;
        private final AtomicBoolean closed = new AtomicBoolean();

        FdHandle(int fd, boolean writable) {
            this.fd = fd;
            this.writable = writable;
        }

        @Override
        public boolean writable() {
            return writable;
        }

        @Override
        public long size() throws IOException {
            long end = LinuxLibc.lseek(fd, 0, 2);
            if (end < 0) {
                throw new FileSystemException("fd " + fd, null, "lseek: " + LinuxLibc.describe(LinuxLibc.errno()));
            }
            return end;
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
        return new FdHandle(fd, true);
    }

    @Override
    public Handle open(Path path, boolean write) throws IOException {
        int flags = (write ? LinuxLibc.O_RDWR : LinuxLibc.O_RDONLY) | LinuxLibc.O_NOFOLLOW | LinuxLibc.O_CLOEXEC;
        int fd = LinuxLibc.open(path.toString(), flags, 0);
        if (fd < 0) {
            throw failure(path, "open", LinuxLibc.errno());
        }
        return new FdHandle(fd, write);
    }

    @Override
    public void reserve(Handle h, long length) throws IOException {
        int fd = ((FdHandle) h).fd;
        if (LinuxLibc.ftruncate(fd, length) != 0) {
            throw failure(null, "ftruncate to " + length + " bytes", LinuxLibc.errno());
        }
        int rc = LinuxLibc.posix_fallocate(fd, 0, length);
        if (rc != 0 && rc != 95 /* EOPNOTSUPP: the file system cannot reserve; the length stands */) {
            throw failure(null, "reserve " + length + " bytes", rc);
        }
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
        switch (errno) {
            case LinuxLibc.ENOENT:
                return new NoSuchFileException(file, null, op);
            case LinuxLibc.EEXIST:
                return new FileAlreadyExistsException(file, null, op);
            case LinuxLibc.EACCES:
            case LinuxLibc.EPERM:
                return new AccessDeniedException(file, null, op);
            case LinuxLibc.ELOOP:
                return new FileSystemException(file, null, op + ": is a symbolic link, which is never followed");
            case LinuxLibc.ENOSPC:
                return new NoSpaceException(file, op + ": " + LinuxLibc.describe(errno));
            default:
                return new FileSystemException(file, null, op + ": " + LinuxLibc.describe(errno));
        }
    }
}
