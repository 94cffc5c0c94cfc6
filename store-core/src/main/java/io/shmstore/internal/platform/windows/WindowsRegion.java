package io.shmstore.internal.platform.windows;

import com.sun.jna.Pointer;
import com.sun.jna.platform.win32.Kernel32;
import com.sun.jna.platform.win32.WinError;
import com.sun.jna.platform.win32.WinNT;
import io.shmstore.ReadOnlyStoreException;
import io.shmstore.internal.platform.Mapping;
import io.shmstore.internal.platform.Reservations;
import io.shmstore.internal.platform.ObjectHeader;
import io.shmstore.internal.platform.ObjectSpec;
import io.shmstore.internal.platform.AbstractRegion;
import io.shmstore.memory.Access;
import io.shmstore.memory.Lifetime;

import java.nio.file.Path;

/**
 * One handle on a section: a named pagefile-backed one, or a file's. The header was read when the
 * handle was made and is not kept mapped; views are mapped from the section handle on demand.
 */
final class WindowsRegion extends AbstractRegion {
    private final KernelHandle section;

    /** Takes over {@code section}. */
    WindowsRegion(ObjectSpec spec, WinNT.HANDLE section, Access access, boolean created, long userSize,
                  Lifetime lifetime, long objectId) {
        super(spec, access, created, userSize, lifetime, objectId,
                spec.unnamed() ? ObjectSpec.unnamedName(objectId) : spec.displayName());
        this.section = new KernelHandle(section, WindowsBackend.describe(spec));
    }

    /** True for an unnamed section, which processes reach only through the handles they are given. */
    boolean unnamed() {
        return spec.unnamed();
    }

    /**
     * Runs {@code call} on the section handle, which stays open meanwhile.
     *
     * @throws IllegalStateException when this handle is closed
     */
    <T> T withSection(java.util.function.Function<WinNT.HANDLE, T> call) {
        WinNT.HANDLE h = section.enter();
        try {
            return call.apply(h);
        } finally {
            section.exit();
        }
    }

    /**
     * Maps from the offset rounded down to the allocation granularity, as {@code MapViewOfFile}
     * requires; the header is 16 KiB, so even offset 0 of the user area is usually inside a view.
     */
    /**
     * Sections are created committed ({@code SEC_COMMIT}) in full, sparse or not: every range is already
     * backed, and none can be given back while the section exists.
     */
    static final Reservations COMMITTED = new Reservations() {
        @Override
        public void reserve(long offset, long length) {
            // committed at creation
        }

        @Override
        public boolean release(long offset, long length) {
            return false;
        }
    };

    @Override
    public void reserve(long offset, long length) {
        COMMITTED.reserve(offset, length);
    }

    @Override
    public boolean release(long offset, long length) {
        return COMMITTED.release(offset, length);
    }

    @Override
    public Mapping map(long offset, long length, Access viewAccess) {
        boolean writable = viewAccess == Access.READ_WRITE;
        if (writable && access == Access.READ_ONLY) {
            throw new ReadOnlyStoreException("cannot map a writable view of " + WindowsBackend.describe(spec)
                    + ": it was opened read-only");
        }
        long fileOffset = ObjectHeader.HEADER_LENGTH + offset;
        long aligned = fileOffset - fileOffset % Win32.allocationGranularity();
        long delta = fileOffset - aligned;
        WinNT.HANDLE h = section.enter();
        try {
            Pointer base = Win32.mapView(h, Sections.viewFlags(viewAccess), aligned, length + delta);
            if (base == null) {
                throw Win32Errors.forObject(Win32.lastError(), spec, "cannot map " + length + " bytes at offset "
                        + offset + " of");
            }
            return new WindowsMapping(base, delta, length, writable);
        } finally {
            section.exit();
        }
    }

    /** Closes the section handle; the kernel removes a named section when its last handle closes. */
    @Override
    public void close() {
        section.close();
    }

    /**
     * For a file-backed mapping: closes this handle, then deletes the file. Windows does not delete a
     * file while a view of it is mapped anywhere, so that fails with a message saying so.
     *
     * <p>For a named section: only closes this handle. A Windows kernel object has no name apart from
     * its handles; it goes when the last handle in any process closes, and cannot be removed sooner.
     */
    @Override
    public void destroy() {
        if (!section.isOpen()) {
            throw new IllegalStateException(WindowsBackend.describe(spec) + " is closed");
        }
        if (access == Access.READ_ONLY) {
            throw new ReadOnlyStoreException("cannot destroy " + WindowsBackend.describe(spec)
                    + " through a read-only handle");
        }
        close();
        if (spec.fileBacked()) {
            Path path = spec.file().toAbsolutePath();
            if (!Kernel32.INSTANCE.DeleteFile(path.toString())) {
                int code = Win32.lastError();
                // already deleted through another handle: the name is gone, which is all destroy() asks
                if (code != WinError.ERROR_FILE_NOT_FOUND) {
                    throw Win32Errors.deleteFailed(code, path);
                }
            }
        }
    }
}
