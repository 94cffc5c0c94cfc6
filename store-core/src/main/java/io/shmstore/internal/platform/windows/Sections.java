package io.shmstore.internal.platform.windows;

import com.sun.jna.Memory;
import com.sun.jna.Pointer;
import com.sun.jna.platform.win32.Kernel32;
import com.sun.jna.platform.win32.WinBase;
import com.sun.jna.platform.win32.WinDef;
import com.sun.jna.platform.win32.WinNT;
import io.shmstore.IncompatibleStoreException;
import io.shmstore.StoreException;
import io.shmstore.StoreExistsException;
import io.shmstore.StoreNotFoundException;
import io.shmstore.internal.platform.Names;
import io.shmstore.internal.platform.ObjectHeader;
import io.shmstore.internal.platform.ObjectSpec;
import io.shmstore.internal.platform.Reservations;
import io.shmstore.internal.sync.ProcessProbe;
import io.shmstore.memory.Access;
import io.shmstore.memory.Lifetime;

import java.lang.ref.Reference;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Creating and opening the sections behind regions: named pagefile-backed sections for memory-only
 * objects, and named sections over the file for file-backed ones. Every method either returns a
 * region that owns the one section handle it made, or closes every handle it opened before throwing.
 *
 * <p><b>Commit.</b> A memory-only section is created {@code SEC_COMMIT}, charged in full against the
 * system's commit limit, unless the spec is sparse (a store that grows): then it is {@code SEC_RESERVE},
 * charged nothing but its header at creation, and each range is committed when the caller reserves it
 * ({@link WindowsRegion#reserve}); a committed page stays committed, in every view and process, until
 * the section goes. So a sparse mapping's size is bounded by address space, not by the commit limit.
 * Unlike POSIX, where an unreserved range reads as zeros, an unreserved range of a {@code SEC_RESERVE}
 * section is not backed at all and faults when touched; the store reserves every range before it
 * publishes it.
 *
 * <p><b>File-backed sections are named</b> {@code Local\shmstore!file.<volume>-<file index>}, after
 * the file's identity rather than its path, so that every path and handle of one file finds the same
 * section, and other programs can {@code OpenFileMapping} it. A read-write open creates it when no
 * process has it any more; a read-only open uses it when it exists and makes an unnamed read-only
 * section otherwise (a section's protection is fixed at creation, so a read-only opener must not create
 * the named one). A section made by another account that this user may not open by name is replaced
 * by an unnamed one over the file, which maps the same pages. The names contain {@code !}, which object
 * names cannot, so no ShmStore name collides with them.
 *
 * <p>Longer than most classes here: memory-only and file-backed sections share the header protocol
 * (initialise, attach, the destroyed mark) and its error handling, which splitting them by kind
 * would write twice.
 */
final class Sections {
    /** Rounds of create-then-open for a file that keeps being deleted between the two. */
    private static final int MAX_ATTEMPTS = 100;
    private static final int SHARE_ALL = WinNT.FILE_SHARE_READ | WinNT.FILE_SHARE_WRITE | WinNT.FILE_SHARE_DELETE;
    /** Bytes passed to GetFileInformationByHandleEx: more than FILE_STANDARD_INFO's 24. */
    private static final int STANDARD_INFO_BYTES = 32;
    /** Offset of {@code EndOfFile} in FILE_STANDARD_INFO, after {@code AllocationSize}. */
    private static final int END_OF_FILE_OFFSET = 8;

    /** What the caller of {@link #attach} is doing, for what a destroyed object means to it. */
    private enum Purpose { OPEN, CREATE_OR_OPEN }

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

    /** The kernel name of the section over the file {@code file} is a handle on. */
    static String fileSectionName(WinNT.HANDLE file, ObjectSpec spec) {
        String id = Win32.fileIdentity(file);
        if (id == null) {
            throw Win32Errors.forObject(Win32.lastError(), spec, "cannot read the identity of");
        }
        return "Local\\" + Names.FILE_PREFIX.replace('.', '!') + "file." + id;
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
                    + " closes and cannot keep it without one (SharedMemory.capabilities().persistentMemoryOnly()"
                    + " is false here); back it by a file (createBackedBy) to persist it");
        }
        long total = ObjectHeader.HEADER_LENGTH + spec.userSize();
        int protect = WinNT.PAGE_READWRITE | (spec.sparse() ? Win32.SEC_RESERVE : Win32.SEC_COMMIT);
        String kernelName = WindowsBackend.kernelName(spec.name());
        SecurityAttributes security = SecurityAttributes.of(spec, SecurityAttributes.Kind.SECTION);
        try {
            for (int attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
                WinNT.HANDLE h = Kernel32.INSTANCE.CreateFileMapping(WinBase.INVALID_HANDLE_VALUE,
                        security.attributes(), protect, (int) (total >>> 32), (int) total, kernelName);
                int code = Win32.lastError();
                if (Win32.invalid(h)) {
                    if (code == Win32Facts.NAME_HELD_BY_OTHER_TYPE) {
                        throw Win32Errors.heldByOtherType(spec, !orOpen);
                    }
                    if (code != Win32Facts.ACCESS_DENIED) {
                        throw Win32Errors.forObject(code, spec, "cannot create");
                    }
                    if (!orOpen) {
                        throw Win32Errors.createDenied(spec);
                    }
                    try {
                        return openNamed(spec, Access.READ_WRITE, Purpose.CREATE_OR_OPEN);
                    } catch (StoreNotFoundException deleted) {
                        continue;
                    }
                }
                if (code != Win32Facts.NAME_EXISTS) {
                    return initialise(spec, h);
                }
                if (!orOpen) {
                    throw taken(spec, h);
                }
                return attach(spec, WindowsOwners.checkExisting(h, spec), Access.READ_WRITE, -1, Purpose.CREATE_OR_OPEN);
            }
        } finally {
            Reference.reachabilityFence(security);
        }
        throw Win32Errors.deniedThenGone(spec, MAX_ATTEMPTS);
    }

    /**
     * The exception for an exclusive create that found the name taken; closes {@code existing}. A
     * mapping that was destroyed but is still held open elsewhere is told apart, since its creator
     * may expect the name to be free.
     */
    private static StoreExistsException taken(ObjectSpec spec, WinNT.HANDLE existing) {
        String kernelName = WindowsBackend.kernelName(spec.name());
        Pointer view = Win32.mapView(existing, WinBase.FILE_MAP_READ, 0, ObjectHeader.HEADER_LENGTH);
        try {
            // a sparse section's header may not be committed yet: only a committed one can say destroyed
            if (view != null && Win32.committed(Pointer.nativeValue(view)) && Headers.destroyed(Pointer.nativeValue(view))) {
                return new StoreExistsException(lingering(spec));
            }
            return new StoreExistsException(WindowsBackend.describe(spec) + " already exists (Windows object "
                    + kernelName + ")");
        } finally {
            unmapQuietly(view);
            Win32.close(existing);
        }
    }

    /** The message for a destroyed mapping whose name other handles still hold. */
    static String lingering(ObjectSpec spec) {
        return WindowsBackend.describe(spec) + " was destroyed, but its name lasts until every handle on it closes"
                + " (Windows object " + WindowsBackend.kernelName(spec.name()) + "): another handle, in this or another"
                + " process, still has it open, so the name cannot be created again yet; close those handles, or use"
                + " another name (SharedMemory.capabilities().destroyFreesTheName() is false here)";
    }

    private WindowsRegion openNamed(ObjectSpec spec, Access access) {
        return openNamed(spec, access, Purpose.OPEN);
    }

    private WindowsRegion openNamed(ObjectSpec spec, Access access, Purpose purpose) {
        WinNT.HANDLE h = Kernel32.INSTANCE.OpenFileMapping(viewFlags(access) | WinNT.READ_CONTROL, false,
                WindowsBackend.kernelName(spec.name()));
        if (Win32.invalid(h)) {
            throw Win32Errors.forObject(Win32.lastError(), spec, "cannot open");
        }
        return attach(spec, WindowsOwners.checkExisting(h, spec), access, -1, purpose);
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
     * file deleted between the two is created again. The file gets the explicit descriptor of {@link
     * SecurityAttributes}, owner-only by default, never the ACL its directory would pass on.
     */
    private WindowsRegion createFile(ObjectSpec spec, boolean orOpen) {
        if (spec.lifetime() != Lifetime.PERSISTENT) {
            throw new UnsupportedOperationException("cannot create " + WindowsBackend.describe(spec) + " with lifetime "
                    + spec.lifetime() + ": on Windows a file-backed mapping persists until destroy(), as nothing"
                    + " counts the handles on a file across processes (SharedMemory.capabilities()"
                    + ".fileBackedUntilLastClose() is false here); use a memory-only mapping for " + spec.lifetime());
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
                if (code != Win32Facts.FILE_EXISTS) {
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
     * fails, so a failed create leaves no half-made object that openers would wait on.
     */
    private WindowsRegion initialiseFile(ObjectSpec spec, String path, WinNT.HANDLE file) {
        boolean done = false;
        SecurityAttributes security = SecurityAttributes.of(spec, SecurityAttributes.Kind.SECTION);
        try {
            long total = ObjectHeader.HEADER_LENGTH + spec.userSize();
            String name = fileSectionName(file, spec);
            WinNT.HANDLE section = Kernel32.INSTANCE.CreateFileMapping(file, security.attributes(),
                    WinNT.PAGE_READWRITE, (int) (total >>> 32), (int) total, name);
            int code = Win32.lastError();
            if (Win32.invalid(section)) {
                throw Win32Errors.forObject(code, spec, "cannot reserve " + total + " bytes for");
            }
            if (code == Win32Facts.NAME_EXISTS) {
                // a file this call just made cannot have a section yet: something else holds the name
                Win32.close(section);
                throw new StoreException("cannot create " + WindowsBackend.describe(spec) + ": the section name " + name
                        + " of the file it just created is already taken by another object");
            }
            WindowsRegion r = initialise(spec, section);
            done = true;
            return r;
        } finally {
            Reference.reachabilityFence(security);
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
            return attach(spec, fileSection(spec, file, access), access, size, Purpose.OPEN);
        } finally {
            Win32.close(file);
        }
    }

    /** The named section of an existing file (see the class comment), or an unnamed one over it. */
    private static WinNT.HANDLE fileSection(ObjectSpec spec, WinNT.HANDLE file, Access access) {
        String name = fileSectionName(file, spec);
        WinNT.HANDLE section;
        int code;
        if (access == Access.READ_WRITE) {
            SecurityAttributes security = SecurityAttributes.of(spec, SecurityAttributes.Kind.SECTION);
            section = Kernel32.INSTANCE.CreateFileMapping(file, security.attributes(), WinNT.PAGE_READWRITE, 0, 0, name);
            code = Win32.lastError();
            Reference.reachabilityFence(security);
        } else {
            section = Kernel32.INSTANCE.OpenFileMapping(WinBase.FILE_MAP_READ | WinNT.READ_CONTROL, false, name);
            code = Win32.lastError();
        }
        if (!Win32.invalid(section)) {
            return access == Access.READ_WRITE && code != Win32Facts.NAME_EXISTS ? section
                    : WindowsOwners.checkExisting(section, spec);
        }
        int protect = access == Access.READ_WRITE ? WinNT.PAGE_READWRITE : WinNT.PAGE_READONLY;
        section = Kernel32.INSTANCE.CreateFileMapping(file, null, protect, 0, 0, null);
        if (Win32.invalid(section)) {
            throw Win32Errors.forObject(Win32.lastError(), spec, "cannot open");
        }
        return section;
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
            if (spec.sparse() && !spec.fileBacked() && !Win32.commit(Pointer.nativeValue(view), ObjectHeader.HEADER_LENGTH)) {
                throw Win32Errors.forObject(Win32.lastError(), spec, "cannot commit the header of");
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

    /**
     * Runs the spec's initializer on the user area of a section whose magic is not written yet; what
     * it reserves of a sparse section is committed through the same view.
     */
    private static void initializeUserArea(ObjectSpec spec, WinNT.HANDLE section, long objectId) {
        if (spec.initializer() == null) {
            return;
        }
        long total = ObjectHeader.HEADER_LENGTH + spec.userSize();
        Pointer whole = Win32.mapView(section, WinBase.FILE_MAP_READ | WinBase.FILE_MAP_WRITE, 0, total);
        if (whole == null) {
            throw Win32Errors.forObject(Win32.lastError(), spec, "cannot initialise");
        }
        long userArea = Pointer.nativeValue(whole) + ObjectHeader.HEADER_LENGTH;
        Reservations space = spec.sparse() && !spec.fileBacked() ? new Reservations() {
            @Override
            public void reserve(long offset, long length) {
                if (!Win32.commit(userArea + offset, length)) {
                    throw WindowsRegion.commitFailed(spec, offset, length);
                }
            }

            @Override
            public boolean release(long offset, long length) {
                return false;
            }
        } : WindowsRegion.COMMITTED;
        try {
            spec.initializer().initialize(userArea, spec.userSize(), objectId, space);
        } finally {
            unmapQuietly(whole);
        }
    }

    /**
     * Reads and checks the header of an existing section. Takes over {@code section}. A memory-only
     * mapping that was destroyed while other handles keep its name is not found by an open, and
     * cannot be created again by a create-or-open.
     *
     * @param available the file's size for a file-backed section, -1 for a named one (Win32 does
     *                  not report a section's size)
     */
    private static WindowsRegion attach(ObjectSpec spec, WinNT.HANDLE section, Access access, long available,
                                        Purpose purpose) {
        Pointer view = null;
        try {
            view = Win32.mapView(section, WinBase.FILE_MAP_READ, 0, ObjectHeader.HEADER_LENGTH);
            if (view == null) {
                throw Win32Errors.forObject(Win32.lastError(), spec, "cannot read the header of");
            }
            long a = Pointer.nativeValue(view);
            Headers.awaitAndCheck(a, spec, available);
            if (Headers.destroyed(a)) {
                if (purpose == Purpose.OPEN) {
                    throw new StoreNotFoundException("no " + spec.type().label() + " named " + Names.quote(spec.name())
                            + ": it was destroyed (Windows object " + WindowsBackend.kernelName(spec.name())
                            + " lasts until the handles still open on it close)");
                }
                throw new StoreExistsException(lingering(spec));
            }
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
