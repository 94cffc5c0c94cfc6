package io.shmstore.internal.platform.windows;

import com.sun.jna.Pointer;
import com.sun.jna.platform.win32.Kernel32;
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
     * What a non-sparse section's {@link Reservations} do: it is backed in full from its creation
     * ({@code SEC_COMMIT}, or a file given its whole size), so there is nothing to reserve, and a
     * section's pages cannot be given back while it exists.
     */
    static final Reservations COMMITTED = new Reservations() {
        @Override
        public void reserve(long offset, long length) {
            // backed at creation
        }

        @Override
        public boolean release(long offset, long length) {
            return false;
        }
    };

    /**
     * Commits the range in the section, through a view of it, for a memory-only section; a {@code
     * SEC_RESERVE} one needs it before the range is touched, and a {@code SEC_COMMIT} one accepts it as
     * a no-op, so openers, which cannot tell the two apart, commit too. A file-backed section is backed
     * by its file, whole.
     *
     * @throws io.shmstore.StoreFullException naming the range when the commit limit is reached
     */
    @Override
    public void reserve(long offset, long length) {
        if (spec.fileBacked() || length <= 0) {
            return;
        }
        if (access == Access.READ_ONLY) {
            throw new ReadOnlyStoreException("cannot reserve space in " + WindowsBackend.describe(spec)
                    + " through a read-only handle");
        }
        Mapping view = map(offset, length, Access.READ_WRITE);
        try {
            if (!Win32.commit(view.address(), length)) {
                throw commitFailed(spec, offset, length);
            }
        } finally {
            view.unmap();
        }
    }

    /** A failed commit of {@code length} bytes at {@code offset} of the user area; reads the last error. */
    static RuntimeException commitFailed(ObjectSpec spec, long offset, long length) {
        return Win32Errors.toException(Win32.lastError(), "cannot commit " + length + " bytes at offset " + offset
                + " of " + WindowsBackend.describe(spec) + " (the system's commit limit is its memory plus its"
                + " paging files)");
    }

    /** Always false: Windows cannot decommit the pages of a section while it exists. */
    @Override
    public boolean release(long offset, long length) {
        return COMMITTED.release(offset, length);
    }

    /**
     * Maps from the offset rounded down to the allocation granularity, as {@code MapViewOfFile}
     * requires; the header is 16 KiB, so even offset 0 of the user area is usually inside a view.
     */
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
     * For a file-backed mapping: closes this handle, then deletes the file. Whether Windows deletes a
     * file while a view of it is mapped depends on its version and file system; where it refuses, the
     * message says to close the views and delete the file.
     *
     * <p>For a named section: marks it destroyed in its header, then closes this handle. A Windows
     * kernel object has no name apart from its handles; it goes when the last handle in any process
     * closes, and cannot be removed sooner. Until then the mark makes opens fail with {@code
     * StoreNotFoundException} and creates with a {@code StoreExistsException} that says so.
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
        if (!spec.fileBacked()) {
            markDestroyed();
        }
        close();
        if (spec.fileBacked()) {
            Path path = spec.file().toAbsolutePath();
            if (!Kernel32.INSTANCE.DeleteFile(path.toString())) {
                int code = Win32.lastError();
                // already deleted through another handle: the name is gone, which is all destroy() asks
                if (code != Win32Facts.NAME_ABSENT) {
                    throw Win32Errors.deleteFailed(code, path);
                }
            }
        }
    }

    private void markDestroyed() {
        WinNT.HANDLE h = section.enter();
        try {
            Pointer view = Win32.mapView(h, Sections.viewFlags(Access.READ_WRITE), 0, ObjectHeader.HEADER_LENGTH);
            if (view == null) {
                throw Win32Errors.forObject(Win32.lastError(), spec, "cannot mark as destroyed");
            }
            try {
                Headers.markDestroyed(Pointer.nativeValue(view));
            } finally {
                Kernel32.INSTANCE.UnmapViewOfFile(view);
            }
        } finally {
            section.exit();
        }
    }
}
