package io.shmstore.internal.platform.windows;

import com.sun.jna.Memory;
import com.sun.jna.Pointer;
import com.sun.jna.platform.win32.Kernel32;
import com.sun.jna.platform.win32.WinBase;
import com.sun.jna.platform.win32.WinDef;
import com.sun.jna.platform.win32.WinError;
import com.sun.jna.platform.win32.WinNT;
import io.shmstore.IncompatibleStoreException;
import io.shmstore.StoreException;
import io.shmstore.StoreExistsException;
import io.shmstore.StoreNotFoundException;
import io.shmstore.internal.platform.ObjectHeader;
import io.shmstore.internal.platform.ObjectSpec;
import io.shmstore.internal.sync.ProcessProbe;
import io.shmstore.memory.Access;
import io.shmstore.memory.Lifetime;

import java.lang.ref.Reference;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Creating and opening the sections behind regions: named pagefile-backed sections for memory-only
 * objects, unnamed sections over a file for file-backed ones. Every method either returns a region
 * that owns the one section handle it made, or closes every handle it opened before throwing.
 */
final class Sections {
    /** Rounds of create-then-open for a file that keeps being deleted between the two. */
    private static final int MAX_ATTEMPTS = 100;
    private static final int SHARE_ALL = WinNT.FILE_SHARE_READ | WinNT.FILE_SHARE_WRITE | WinNT.FILE_SHARE_DELETE;
    /** Bytes passed to GetFileInformationByHandleEx: more than FILE_STANDARD_INFO's 24. */
    private static final int STANDARD_INFO_BYTES = 32;
    /** Offset of {@code EndOfFile} in FILE_STANDARD_INFO, after {@code AllocationSize}. */
    private static final int END_OF_FILE_OFFSET = 8;

    private final ProcessProbe processes;

    Sections(ProcessProbe processes) {
        this.processes = processes;
    }

    WindowsRegion create(ObjectSpec spec, boolean orOpen) {
        return spec.fileBacked() ? createFile(spec, orOpen) : createNamed(spec, orOpen);
    }

    WindowsRegion open(ObjectSpec spec, Access access) {
        return spec.fileBacked() ? openFile(spec, access) : openNamed(spec, access);
    }

    /**
     * {@code CreateFileMapping} on the paging file: creates the name, or returns a handle on the
     * existing object with {@code ERROR_ALREADY_EXISTS}, atomically, so exactly one racer creates.
     * That handle is used as the opened one rather than closed and reopened, which leaves no gap in
     * which the last other handle could close and take the name with it.
     *
     * <p>On an existing name {@code CreateFileMapping} asks for more than mapping rights (the standard
     * rights, {@code WRITE_DAC} among them), which a section another user created with wider
     * permissions does not grant: {@code ERROR_ACCESS_DENIED} then falls back to {@code
     * OpenFileMapping} with read and write, which it does grant; a section deleted in between is
     * created again.
     */
    private WindowsRegion createNamed(ObjectSpec spec, boolean orOpen) {
        if (spec.lifetime() == Lifetime.PERSISTENT) {
            throw new UnsupportedOperationException("cannot create " + WindowsBackend.describe(spec)
                    + " with lifetime PERSISTENT: Windows removes a memory-only mapping when its last handle"
                    + " closes and cannot keep it without one; back it by a file (createBackedBy) to persist it");
        }
        long total = ObjectHeader.HEADER_LENGTH + spec.userSize();
        String kernelName = WindowsBackend.kernelName(spec.name());
        SecurityAttributes security = SecurityAttributes.of(spec, SecurityAttributes.Kind.SECTION);
        try {
            for (int attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
                WinNT.HANDLE h = Kernel32.INSTANCE.CreateFileMapping(WinBase.INVALID_HANDLE_VALUE,
                        security.attributes(), WinNT.PAGE_READWRITE, (int) (total >>> 32), (int) total, kernelName);
                int code = Win32.lastError();
                if (Win32.invalid(h)) {
                    if (code != WinError.ERROR_ACCESS_DENIED || !orOpen) {
                        throw Win32Errors.forObject(code, spec, "cannot create");
                    }
                    try {
                        return openNamed(spec, Access.READ_WRITE);
                    } catch (StoreNotFoundException deleted) {
                        continue;
                    }
                }
                if (code != WinError.ERROR_ALREADY_EXISTS) {
                    return initialise(spec, h);
                }
                if (!orOpen) {
                    Win32.close(h);
                    throw new StoreExistsException(WindowsBackend.describe(spec) + " already exists (Windows object "
                            + kernelName + ")");
                }
                return attach(spec, WindowsOwners.checkExisting(h, spec), Access.READ_WRITE, -1);
            }
        } finally {
            Reference.reachabilityFence(security);
        }
        throw Win32Errors.deniedThenGone(spec, MAX_ATTEMPTS);
    }

    private WindowsRegion openNamed(ObjectSpec spec, Access access) {
        WinNT.HANDLE h = Kernel32.INSTANCE.OpenFileMapping(viewFlags(access) | WinNT.READ_CONTROL, false,
                WindowsBackend.kernelName(spec.name()));
        if (Win32.invalid(h)) {
            throw Win32Errors.forObject(Win32.lastError(), spec, "cannot open");
        }
        return attach(spec, WindowsOwners.checkExisting(h, spec), access, -1);
    }

    /**
     * {@code CreateFileMapping} on the paging file without a name: a section only handles reach, which
     * the kernel removes when the last one, in any process, closes. No name means no squatter and no
     * security descriptor to widen: its default one admits the creating user, and other processes get
     * it only as a handle duplicated into them, with the rights the duplicate carries.
     */
    WindowsRegion createUnnamed(ObjectSpec spec) {
        long total = ObjectHeader.HEADER_LENGTH + spec.userSize();
        WinNT.HANDLE h = Kernel32.INSTANCE.CreateFileMapping(WinBase.INVALID_HANDLE_VALUE, null, WinNT.PAGE_READWRITE,
                (int) (total >>> 32), (int) total, null);
        if (Win32.invalid(h)) {
            throw Win32Errors.forObject(Win32.lastError(), spec, "cannot create");
        }
        return initialise(spec, h);
    }

    /**
     * {@code CREATE_NEW} decides the one creator; the others fall back to {@code OPEN_EXISTING}. A
     * file deleted between the two is created again.
     */
    private WindowsRegion createFile(ObjectSpec spec, boolean orOpen) {
        if (spec.lifetime() != Lifetime.PERSISTENT) {
            throw new UnsupportedOperationException("cannot create " + WindowsBackend.describe(spec) + " with lifetime "
                    + spec.lifetime() + ": on Windows a file-backed mapping persists until destroy(), as nothing"
                    + " counts the handles on a file across processes; use a memory-only mapping for " + spec.lifetime());
        }
        String path = spec.file().toAbsolutePath().toString();
        SecurityAttributes security = SecurityAttributes.of(spec, SecurityAttributes.Kind.FILE);
        try {
            for (int attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
                WinNT.HANDLE file = Kernel32.INSTANCE.CreateFile(path, WinNT.GENERIC_READ | WinNT.GENERIC_WRITE,
                        SHARE_ALL, security.attributes(), WinNT.CREATE_NEW, WinNT.FILE_ATTRIBUTE_NORMAL, null);
                if (!Win32.invalid(file)) {
                    return initialiseFile(spec, path, file);
                }
                int code = Win32.lastError();
                if (code != WinError.ERROR_FILE_EXISTS) {
                    throw Win32Errors.forObject(code, spec, "cannot create");
                }
                if (!orOpen) {
                    throw new StoreExistsException(WindowsBackend.describe(spec) + " already exists");
                }
                try {
                    return openFile(spec, Access.READ_WRITE);
                } catch (StoreNotFoundException deleted) {
                    // deleted between our CREATE_NEW and our OPEN_EXISTING: create it again
                }
            }
        } finally {
            Reference.reachabilityFence(security);
        }
        throw new StoreException("could not create or open " + WindowsBackend.describe(spec)
                + ": it kept being deleted and re-created");
    }

    /**
     * Sizes the new file through its section ({@code CreateFileMapping} extends a file to the
     * section's size) and writes the header. A file this call created is deleted again if that
     * fails, so a failed create leaves no half-made object that openers would wait on. The section
     * has no name, so only handles reach it and its security is the default; access to the object is
     * the file's, which {@link #createFile} gave the requested permissions.
     */
    private WindowsRegion initialiseFile(ObjectSpec spec, String path, WinNT.HANDLE file) {
        boolean done = false;
        try {
            long total = ObjectHeader.HEADER_LENGTH + spec.userSize();
            WinNT.HANDLE section = Kernel32.INSTANCE.CreateFileMapping(file, null, WinNT.PAGE_READWRITE,
                    (int) (total >>> 32), (int) total, null);
            if (Win32.invalid(section)) {
                throw Win32Errors.forObject(Win32.lastError(), spec, "cannot reserve " + total + " bytes for");
            }
            WindowsRegion r = initialise(spec, section);
            done = true;
            return r;
        } finally {
            // the section holds the file open by itself; this handle is no longer needed
            Win32.close(file);
            if (!done) {
                Kernel32.INSTANCE.DeleteFile(path);
            }
        }
    }

    private WindowsRegion openFile(ObjectSpec spec, Access access) {
        String path = spec.file().toAbsolutePath().toString();
        int desired = (access == Access.READ_WRITE ? WinNT.GENERIC_READ | WinNT.GENERIC_WRITE : WinNT.GENERIC_READ)
                | WinNT.READ_CONTROL;
        WinNT.HANDLE file = Kernel32.INSTANCE.CreateFile(path, desired, SHARE_ALL, null, WinNT.OPEN_EXISTING,
                WinNT.FILE_ATTRIBUTE_NORMAL, null);
        if (Win32.invalid(file)) {
            throw Win32Errors.forObject(Win32.lastError(), spec, "cannot open");
        }
        try {
            WindowsOwners.checkFile(file, spec);
            long size = awaitHeaderBytes(spec, file);
            int protect = access == Access.READ_WRITE ? WinNT.PAGE_READWRITE : WinNT.PAGE_READONLY;
            WinNT.HANDLE section = Kernel32.INSTANCE.CreateFileMapping(file, null, protect, 0, 0, null);
            if (Win32.invalid(section)) {
                throw Win32Errors.forObject(Win32.lastError(), spec, "cannot open");
            }
            return attach(spec, section, access, size);
        } finally {
            Win32.close(file);
        }
    }

    /**
     * The file's size once it holds a header. A section covers the file as it is when the section
     * is made, and a creator's {@code CREATE_NEW} makes the file before its {@code CreateFileMapping}
     * gives it its size, so an opener that comes in between waits, bounded like the header wait.
     */
    private static long awaitHeaderBytes(ObjectSpec spec, WinNT.HANDLE file) {
        long deadline = System.nanoTime() + Headers.READY_WAIT_NANOS;
        try (Memory info = new Memory(STANDARD_INFO_BYTES)) {
            while (true) {
                if (!Kernel32.INSTANCE.GetFileInformationByHandleEx(file, WinBase.FileStandardInfo, info,
                        new WinDef.DWORD(STANDARD_INFO_BYTES))) {
                    throw Win32Errors.forObject(Win32.lastError(), spec, "cannot read the size of");
                }
                long size = info.getLong(END_OF_FILE_OFFSET);
                if (size >= ObjectHeader.HEADER_LENGTH) {
                    return size;
                }
                if (System.nanoTime() - deadline >= 0) {
                    throw new IncompatibleStoreException(spec.file().toAbsolutePath() + " is not a ShmStore object: it is "
                            + size + " bytes after " + TimeUnit.NANOSECONDS.toMillis(Headers.READY_WAIT_NANOS)
                            + " ms, shorter than the " + ObjectHeader.HEADER_LENGTH + "-byte header");
                }
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
            }
        }
    }

    /** Writes the header of a section this process just created. Takes over {@code section}. */
    private WindowsRegion initialise(ObjectSpec spec, WinNT.HANDLE section) {
        Pointer view = null;
        try {
            view = Win32.mapView(section, WinBase.FILE_MAP_READ | WinBase.FILE_MAP_WRITE, 0, ObjectHeader.HEADER_LENGTH);
            if (view == null) {
                throw Win32Errors.forObject(Win32.lastError(), spec, "cannot write the header of");
            }
            WinNT.HANDLE created = section;
            Headers.write(Pointer.nativeValue(view), spec, processes.selfWord(), id -> initializeUserArea(spec, created, id));
            WindowsRegion r = new WindowsRegion(spec, section, Access.READ_WRITE, true, spec.userSize(), spec.lifetime(),
                    ObjectHeader.objectId(Pointer.nativeValue(view)));
            section = null;
            return r;
        } finally {
            unmapQuietly(view);
            Win32.close(section);
        }
    }

    /** Runs the spec's initializer on the user area of a section whose magic is not written yet. */
    private static void initializeUserArea(ObjectSpec spec, WinNT.HANDLE section, long objectId) {
        if (spec.initializer() == null) {
            return;
        }
        long total = ObjectHeader.HEADER_LENGTH + spec.userSize();
        Pointer whole = Win32.mapView(section, WinBase.FILE_MAP_READ | WinBase.FILE_MAP_WRITE, 0, total);
        if (whole == null) {
            throw Win32Errors.forObject(Win32.lastError(), spec, "cannot initialise");
        }
        try {
            spec.initializer().initialize(Pointer.nativeValue(whole) + ObjectHeader.HEADER_LENGTH, spec.userSize(), objectId,
                    WindowsRegion.COMMITTED);
        } finally {
            unmapQuietly(whole);
        }
    }

    /**
     * Reads and checks the header of an existing section. Takes over {@code section}.
     *
     * @param available the file's size for a file-backed section, -1 for a named one (Win32 does
     *                  not report a section's size)
     */
    private static WindowsRegion attach(ObjectSpec spec, WinNT.HANDLE section, Access access, long available) {
        Pointer view = null;
        try {
            view = Win32.mapView(section, WinBase.FILE_MAP_READ, 0, ObjectHeader.HEADER_LENGTH);
            if (view == null) {
                throw Win32Errors.forObject(Win32.lastError(), spec, "cannot read the header of");
            }
            long a = Pointer.nativeValue(view);
            Headers.awaitAndCheck(a, spec, available);
            WindowsRegion r = new WindowsRegion(spec, section, access, false, Headers.userSize(a), Headers.lifetime(a),
                    ObjectHeader.objectId(a));
            section = null;
            return r;
        } finally {
            unmapQuietly(view);
            Win32.close(section);
        }
    }

    /** {@code FILE_MAP_*} access for a view (or an opened section) of {@code access}. */
    static int viewFlags(Access access) {
        return access == Access.READ_WRITE ? WinBase.FILE_MAP_READ | WinBase.FILE_MAP_WRITE : WinBase.FILE_MAP_READ;
    }

    /** Unmaps the header view on the way out; a failure there would hide the exception in flight. */
    private static void unmapQuietly(Pointer view) {
        if (view != null) {
            Kernel32.INSTANCE.UnmapViewOfFile(view);
        }
    }
}
