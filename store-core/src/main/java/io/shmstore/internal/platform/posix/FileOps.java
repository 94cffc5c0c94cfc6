package io.shmstore.internal.platform.posix;

import io.shmstore.internal.platform.Mapping;

import java.io.IOException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Set;

/**
 * The file primitives the POSIX namespace protocol is built from. Two implementations: direct libc
 * calls on Linux ({@link LinuxFileOps}) and plain NIO everywhere else ({@link NioFileOps}). Failures
 * are reported as the NIO exceptions ({@code NoSuchFileException}, {@code FileAlreadyExistsException},
 * {@code AccessDeniedException}, {@code FileSystemException}) and this package's
 * {@link NotRegularFileException}, {@link ReadOnlyVolumeException} and {@link NoSpaceException}, so the
 * protocol above maps them once.
 */
interface FileOps {
    /** An open regular file. */
    interface Handle extends AutoCloseable {
        boolean writable();

        long size() throws IOException;

        /** The uid of the file's owner, unsigned, as it was when the file was opened. */
        long ownerUid();

        /**
         * This process's descriptor number for the file, as {@code /proc/self/fd} lists it.
         *
         * @throws UnsupportedOperationException where it cannot be found out
         */
        int descriptor();

        @Override
        void close();
    }

    /** Creates a new file exclusively, never following a symbolic link, with exactly {@code perms}. */
    Handle createNew(Path path, Set<PosixFilePermission> perms) throws IOException;

    /**
     * Opens an existing regular file without following a symbolic link at its last component, and
     * without blocking whatever is at the name.
     *
     * @throws NotRegularFileException  when the name is anything but a regular file (a symbolic link
     *                                  included), naming what it is
     * @throws ReadOnlyVolumeException  when {@code write} is asked on a read-only file system
     * @throws java.nio.file.AccessDeniedException when the permissions do not allow it
     */
    Handle open(Path path, boolean write) throws IOException;

    /**
     * Creates a file that no name leads to, with {@code perms}: an anonymous memory file where the platform has
     * one ({@code memfd_create}), else a file created in {@code dir} and unlinked at once. It goes when
     * its last descriptor and mapping go, in whatever process. {@code tag} names it where the system
     * shows open files ({@code /proc/<pid>/maps}, {@code /proc/<pid>/fd}).
     */
    Handle createUnnamed(Path dir, String tag, Set<PosixFilePermission> perms) throws IOException;

    /**
     * Forbids every process, this one included, to change the size of a file made by
     * {@link #createUnnamed}, so that no receiver can cut it under the others' mappings.
     *
     * @return false where the platform cannot
     */
    boolean sealSize(Handle h) throws IOException;

    /**
     * Opens the file that another process's descriptor refers to, through {@code link},
     * {@code /proc/<pid>/fd/<n>}, which this open follows, as a regular file only.
     *
     * @throws NotRegularFileException when it refers to anything but a regular file
     */
    Handle openDescriptor(Path link, boolean write) throws IOException;

    /** Sets the length and reserves the blocks, so a later write cannot fail for lack of space. */
    void reserve(Handle h, long length) throws IOException;

    /** Sets the length without reserving anything: a sparse file, whose holes read as zeros. */
    void resize(Handle h, long length) throws IOException;

    /**
     * Reserves the blocks of {@code [offset, offset + length)}, leaving their content as it is. Callers
     * reserve ranges that no one writes meanwhile (the portable backend rewrites a byte of each page).
     */
    void reserve(Handle h, long offset, long length) throws IOException;

    /**
     * Gives the blocks of {@code [offset, offset + length)} back, so the range reads as zeros; false
     * where the file system or the platform cannot.
     */
    boolean release(Handle h, long offset, long length) throws IOException;

    /** Maps {@code length} bytes at {@code fileOffset} (page-aligned) shared between processes. */
    Mapping map(Handle h, long fileOffset, long length, boolean writable) throws IOException;

    /** Links {@code existing} at {@code target}; fails with FileAlreadyExistsException if taken. */
    void link(Path existing, Path target) throws IOException;

    void unlink(Path path) throws IOException;

    int pageSize();
}
