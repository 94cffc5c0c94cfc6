package io.shmstore.internal.platform.posix;

import io.shmstore.internal.platform.Mapping;
import io.shmstore.internal.platform.OnceMapping;
import net.openhft.chronicle.core.Jvm;
import net.openhft.chronicle.core.UnsafeMemory;
import net.openhft.chronicle.core.cleaner.CleanerServiceLocator;

import java.io.IOException;
import java.nio.Buffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * {@link FileOps} in plain NIO, for POSIX systems other than Linux (macOS and the like). Space is
 * reserved by writing zeros over the new file (what glibc's {@code posix_fallocate} does where the file
 * system cannot allocate), and mappings are unmapped eagerly through the JDK's buffer cleaner rather
 * than waiting for the garbage collector.
 *
 * <p><b>Opening what is at a name.</b> NIO can neither open without blocking nor {@code fstat} an open
 * channel, so {@link #open} checks what is at the name ({@code lstat}) before opening it, and opens
 * only a regular file: a FIFO is never opened, so an open cannot block on one. It reads the name's
 * identity (device and inode) again after the open, and when the name was replaced in between (objects
 * are removed and created again all the time) it closes what it opened and looks again. A file
 * swapped in and back again between the two checks is not caught; the Linux backend, which checks the
 * open descriptor itself, has no such gap.
 */
final class NioFileOps implements FileOps {
    /** Opens of a name that is replaced between its check and its open, each time, before giving up. */
    private static final int MAX_OPEN_ATTEMPTS = 100;
    /** Pages are at least this large wherever the portable backend runs. */
    private static final int PAGE = 4096;

    private static final class ChannelHandle implements Handle {
        final FileChannel channel;
        final boolean writable;
        final Path path;
        final long ownerUid;
        private final AtomicBoolean closed = new AtomicBoolean();

        ChannelHandle(Path path, FileChannel channel, boolean writable, long ownerUid) {
            this.path = path;
            this.channel = channel;
            this.writable = writable;
            this.ownerUid = ownerUid;
        }

        @Override
        public long ownerUid() {
            return ownerUid;
        }

        @Override
        public boolean writable() {
            return writable;
        }

        /** NIO does not tell: read from the JDK's channel and descriptor objects (their packages are opened). */
        @Override
        public int descriptor() {
            try {
                Object fd = Jvm.getValue(channel, "fd");
                Integer n = Jvm.getValue(fd, "fd");
                return n;
            } catch (RuntimeException e) {
                throw new UnsupportedOperationException("cannot find the descriptor of " + path + " through NIO: "
                        + e + "; run with --add-opens java.base/sun.nio.ch and java.base/java.io (JvmFlags.all())", e);
            }
        }

        @Override
        public long size() throws IOException {
            return channel.size();
        }

        @Override
        public void close() {
            if (closed.compareAndSet(false, true)) {
                try {
                    channel.close();
                } catch (IOException e) {
                    Jvm.debug().on(NioFileOps.class, "close failed: " + e);
                }
            }
        }
    }

    @Override
    public Handle createNew(Path path, Set<PosixFilePermission> perms) throws IOException {
        FileChannel ch = FileChannel.open(path,
                Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.READ, StandardOpenOption.WRITE,
                        LinkOption.NOFOLLOW_LINKS),
                PosixFilePermissions.asFileAttribute(perms));
        try {
            Files.setPosixFilePermissions(path, perms);
        } catch (IOException | RuntimeException e) {
            ch.close();
            throw e;
        }
        return new ChannelHandle(path, ch, true, PosixUsers.self());
    }

    /** A file created in {@code dir} under a name made from {@code tag}, and unlinked at once. */
    @Override
    public Handle createUnnamed(Path dir, String tag, Set<PosixFilePermission> perms) throws IOException {
        Path path = dir.resolve("." + tag);
        Handle h = createNew(path, perms);
        try {
            Files.delete(path);
        } catch (IOException | RuntimeException e) {
            h.close();
            throw e;
        }
        return h;
    }

    /** NIO cannot seal a file. */
    @Override
    public boolean sealSize(Handle h) {
        return false;
    }

    /** Checks what the link leads to (following it) before opening it, and opens only a regular file. */
    @Override
    public Handle openDescriptor(Path link, boolean write) throws IOException {
        Map<String, Object> target = Files.readAttributes(link, "unix:mode,uid");
        FileKind kind = FileKind.ofMode((Integer) target.get("mode"));
        if (kind != FileKind.REGULAR) {
            throw new NotRegularFileException(link.toString(), kind);
        }
        FileChannel ch = write ? FileChannel.open(link, StandardOpenOption.READ, StandardOpenOption.WRITE)
                : FileChannel.open(link, StandardOpenOption.READ);
        return new ChannelHandle(link, ch, write, Integer.toUnsignedLong((Integer) target.get("uid")));
    }

    @Override
    public Handle open(Path path, boolean write) throws IOException {
        for (int attempt = 0; attempt < MAX_OPEN_ATTEMPTS; attempt++) {
            Handle h = tryOpen(path, write);
            if (h != null) {
                return h;
            }
        }
        throw new FileSystemException(path.toString(), null, "open: the name kept being replaced while it was opened");
    }

    /** One open; null when the name was replaced between the check and the open (look again). */
    private static Handle tryOpen(Path path, boolean write) throws IOException {
        Set<java.nio.file.OpenOption> opts = write
                ? Set.of(StandardOpenOption.READ, StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS)
                : Set.of(StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS);
        Map<String, Object> before = Files.readAttributes(path, "unix:mode,uid,ino,dev", LinkOption.NOFOLLOW_LINKS);
        FileKind kind = FileKind.ofMode((Integer) before.get("mode"));
        if (kind != FileKind.REGULAR) {
            throw new NotRegularFileException(path.toString(), kind);
        }
        FileChannel ch;
        try {
            ch = FileChannel.open(path, opts);
        } catch (AccessDeniedException | NoSuchFileException e) {
            throw e;
        } catch (FileSystemException e) {
            // access(W_OK) fails with EROFS where permissions would allow writing; FileStore.isReadOnly()
            // misses a read-only bind mount, and the exception carries only strerror's (localised) text
            if (write && !Files.isWritable(path)) {
                throw new ReadOnlyVolumeException(path.toString(), "open: " + e.getReason());
            }
            throw e;
        }
        try {
            Map<String, Object> after = Files.readAttributes(path, "unix:ino,dev", LinkOption.NOFOLLOW_LINKS);
            if (!after.get("ino").equals(before.get("ino")) || !after.get("dev").equals(before.get("dev"))) {
                ch.close();
                return null;
            }
        } catch (IOException | RuntimeException e) {
            ch.close();
            throw e;
        }
        return new ChannelHandle(path, ch, write, Integer.toUnsignedLong((Integer) before.get("uid")));
    }

    @Override
    public void reserve(Handle h, long length) throws IOException {
        ChannelHandle handle = (ChannelHandle) h;
        FileChannel ch = handle.channel;
        long free = Files.getFileStore(handle.path.getParent()).getUsableSpace();
        if (length > free && free > 0) {
            throw new NoSpaceException(null, "reserve " + length + " bytes: only " + free + " bytes free");
        }
        // A sparse file (only its length set) lets two objects that together exceed the free space both
        // be created, and the first write into a page the file system then cannot back is a SIGBUS
        // (an InternalError, or a crash, in the writing JVM). Writing the zeros allocates every block
        // now, so a full file system fails here. reserve() is only called on a new, empty file.
        java.nio.ByteBuffer zeros = java.nio.ByteBuffer.allocateDirect(1 << 20);
        try {
            for (long at = 0; at < length; ) {
                zeros.clear().limit((int) Math.min(zeros.capacity(), length - at));
                at += ch.write(zeros, at);
            }
        } catch (IOException e) {
            throw noSpaceOr(e, "reserve " + length + " bytes: ");
        }
    }

    /** A file extended by writing its last byte: NIO cannot set a length past the end otherwise. */
    @Override
    public void resize(Handle h, long length) throws IOException {
        FileChannel ch = ((ChannelHandle) h).channel;
        if (ch.size() < length) {
            ch.write(java.nio.ByteBuffer.allocate(1), length - 1);
        } else {
            ch.truncate(length);
        }
    }

    /**
     * NIO cannot allocate blocks without writing them: this writes one byte of every page of the range
     * back with the value it reads, which allocates the page and keeps what the range holds (callers
     * reserve ranges no one writes meanwhile). A full file system fails the write, here.
     */
    @Override
    public void reserve(Handle h, long offset, long length) throws IOException {
        ChannelHandle handle = (ChannelHandle) h;
        // the directory: the file may have been renamed since it was opened (created under a temporary name)
        long free = Files.getFileStore(handle.path.getParent()).getUsableSpace();
        if (length > free && free > 0) {
            throw new NoSpaceException(null, "reserve " + length + " bytes: only " + free + " bytes free");
        }
        java.nio.ByteBuffer one = java.nio.ByteBuffer.allocate(1);
        try {
            for (long at = offset; at < offset + length; at += PAGE) {
                one.clear();
                if (handle.channel.read(one, at) < 1) {
                    one.clear().put(0, (byte) 0);
                }
                one.clear();
                handle.channel.write(one, at);
            }
        } catch (IOException e) {
            throw noSpaceOr(e, "reserve " + length + " bytes at " + offset + ": ");
        }
    }

    /** A write's failure: NoSpaceException when the file system was full (NIO says so only in words). */
    private static IOException noSpaceOr(IOException e, String what) {
        String why = String.valueOf(e.getMessage()).toLowerCase(java.util.Locale.ROOT);
        return why.contains("space") || why.contains("quota") ? new NoSpaceException(null, what + e.getMessage()) : e;
    }

    /** NIO cannot punch a hole. */
    @Override
    public boolean release(Handle h, long offset, long length) {
        return false;
    }

    @Override
    public Mapping map(Handle h, long fileOffset, long length, boolean writable) throws IOException {
        if (length > Integer.MAX_VALUE) {
            throw new IOException("the portable backend maps at most 2 GiB per view; asked for " + length + " bytes");
        }
        FileChannel ch = ((ChannelHandle) h).channel;
        MappedByteBuffer bb = ch.map(writable ? FileChannel.MapMode.READ_WRITE : FileChannel.MapMode.READ_ONLY,
                fileOffset, length);
        return new BufferMapping(bb, length, writable);
    }

    private static final class BufferMapping extends OnceMapping {
        /**
         * Where {@code java.nio.Buffer} keeps a direct buffer's address, read as Agrona's
         * {@code BufferUtil.address} reads it: naming the field needs no module flag, where Chronicle's
         * {@code Jvm.address} needs {@code sun.nio.ch} exported (without it every mapping of this backend
         * failed with {@code IllegalAccessError}).
         */
        private static final long ADDRESS_OFFSET = addressOffset();

        private final MappedByteBuffer buffer;

        BufferMapping(MappedByteBuffer buffer, long length, boolean writable) {
            super(UnsafeMemory.UNSAFE.getLong(buffer, ADDRESS_OFFSET), length, writable);
            this.buffer = buffer;
        }

        @SuppressWarnings("deprecation")
        private static long addressOffset() {
            try {
                return UnsafeMemory.UNSAFE.objectFieldOffset(Buffer.class.getDeclaredField("address"));
            } catch (NoSuchFieldException e) {
                throw new IllegalStateException("this Java's java.nio.Buffer has no address field", e);
            }
        }

        @Override
        protected void release() {
            CleanerServiceLocator.cleanerService().clean(buffer);
        }
    }

    @Override
    public void link(Path existing, Path target) throws IOException {
        Files.createLink(target, existing);
    }

    @Override
    public void unlink(Path path) throws IOException {
        Files.delete(path);
    }

    @Override
    public int pageSize() {
        return 16 * 1024;
    }
}
