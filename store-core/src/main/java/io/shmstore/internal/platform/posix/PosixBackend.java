package io.shmstore.internal.platform.posix;

import io.shmstore.IncompatibleStoreException;
import io.shmstore.StoreCorruptedException;
import io.shmstore.StoreException;
import io.shmstore.StoreExistsException;
import io.shmstore.StoreFullException;
import io.shmstore.StoreNotFoundException;
import io.shmstore.UntrustedOwnerException;
import io.shmstore.internal.platform.Backend;
import io.shmstore.internal.sync.EventHandle;
import io.shmstore.internal.platform.Handover;
import io.shmstore.internal.platform.HandoverToken;
import io.shmstore.internal.platform.Mapping;
import io.shmstore.internal.sync.MutexHandle;
import io.shmstore.internal.platform.Names;
import io.shmstore.internal.platform.ObjectHeader;
import io.shmstore.internal.platform.ObjectSpec;
import io.shmstore.internal.platform.ObjectType;
import io.shmstore.internal.sync.ProcessProbe;
import io.shmstore.internal.platform.Region;
import io.shmstore.internal.platform.Reservations;
import io.shmstore.internal.sync.Waiter;
import io.shmstore.internal.sync.BackoffWaiter;
import io.shmstore.internal.sync.LockWordMutex;
import io.shmstore.internal.sync.SemaphoreHandle;
import io.shmstore.internal.sync.SemaphoreWord;
import io.shmstore.internal.sync.WordSemaphore;
import io.shmstore.memory.Access;
import io.shmstore.memory.EventMode;
import io.shmstore.memory.Lifetime;
import io.shmstore.memory.NamedObjectInfo;
import net.openhft.chronicle.core.Memory;
import net.openhft.chronicle.core.OS;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;

/**
 * The named-object model on a POSIX file system: every object is a file, {@code shmstore.<name>} in
 * the shm directory, or the caller's file for file-backed mappings, starting with an
 * {@link ObjectHeader}.
 *
 * <p><b>Creation</b>: the whole object, header, attach entry and {@code state = READY} included, is
 * written to a file under a temporary name and then hard-linked to its name; {@code link(2)} fails if
 * the name exists, so exactly one of many racing creators wins, and no opener ever sees a partial
 * object. Space is reserved ({@code posix_fallocate}) before linking, so a full file system fails the
 * create, not a later write with SIGBUS.
 *
 * <p><b>Lifetime</b>: every handle holds an entry (its process's pid and start tag) in the header's
 * attach table, changed only under the header's {@link io.shmstore.internal.sync.LockWord}. A closing
 * handle removes its entry and reaps entries of dead processes; if none is left and the lifetime is
 * {@link Lifetime#UNTIL_LAST_CLOSE}, it sets {@code state = REMOVED} and unlinks the name, all under the
 * lock. An opener takes the same lock before attaching and retries from the name when it finds
 * {@code REMOVED}, so no one attaches to an object being removed. An object whose attachers all died
 * is removed by the next process that finds it.
 *
 * <p><b>Read-only handles</b> still attach when the file grants write access (only their views are
 * read-only). A process that may only read the file, or that finds it on a read-only file system,
 * cannot attach: it maps the object but takes no part in its lifetime; an observer
 * ({@link #observe}) opens that way on purpose.
 *
 * <p><b>Opening</b> an existing object trusts nothing at the name: {@link FileOps#open} refuses what
 * is not a regular file (a FIFO, a directory, a device, a socket, a symbolic link) without blocking on
 * it, then the open file's owner must be this process's user, root or a trusted owner
 * ({@link PosixUsers#checkOwner}), and only then are its size and header read.
 *
 * <p>Unnamed mappings, which have no file name and no attach table, are {@link PosixUnnamed}'s.
 *
 * <p>Longer than most classes here: creating, opening, attaching and removing a stale object make one
 * protocol over the name, whose races can only be checked with all of it in view.
 */
public final class PosixBackend implements Backend {
    private static final int MAX_ATTEMPTS = 100;
    private static final Memory MEMORY = OS.memory();
    private static final long HEADER_LOCK_TIMEOUT_NANOS = 10_000_000_000L;

    private final String name;
    private final FileOps files;
    private final ProcessProbe processes;
    private final Waiter waiter;
    private final Supplier<Path> directory;
    private final PosixUnnamed unnamed;

    private PosixBackend(String name, FileOps files, ProcessProbe processes, Waiter waiter, Supplier<Path> directory) {
        this.name = name;
        this.files = files;
        this.processes = processes;
        this.waiter = waiter;
        this.directory = directory;
        this.unnamed = new PosixUnnamed(this, files);
    }

    /** True when the Linux libc binding loaded (x86-64 or aarch64 Linux). */
    public static boolean linuxSupported() {
        return LinuxLibc.AVAILABLE;
    }

    /** Linux: libc calls, futex waits, {@code /proc} liveness. The shm directory is read per call. */
    public static PosixBackend linux(Supplier<Path> directory) {
        if (!LinuxLibc.AVAILABLE) {
            throw new UnsupportedOperationException("the linux backend needs x86-64 or aarch64 Linux");
        }
        return new PosixBackend("linux", new LinuxFileOps(), new ProcProcesses(), new FutexWaiter(), directory);
    }

    /** Any POSIX system: NIO files and mappings, polling waits, {@link ProcessHandle} liveness. */
    public static PosixBackend portable(Supplier<Path> directory) {
        ProcessProbe probe = Files.isReadable(Path.of("/proc/self/stat")) ? new ProcProcesses() : new HandleProcesses();
        return new PosixBackend("posix-nio", new NioFileOps(), probe, new BackoffWaiter(), directory);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public Path directory() {
        return directory.get();
    }

    /** Everything but releasing storage, which only the Linux file operations can do. */
    @Override
    public io.shmstore.memory.Capabilities capabilities() {
        return new io.shmstore.memory.Capabilities(true, true, true, true, true, files instanceof LinuxFileOps, true, true);
    }

    @Override
    public ProcessProbe processes() {
        return processes;
    }

    @Override
    public Waiter waiter() {
        return waiter;
    }

    FileOps files() {
        return files;
    }

    /** Where an object lives: {@code <dir>/shmstore.<name>} or the caller's file. */
    public Path pathOf(ObjectSpec spec) {
        return spec.fileBacked() ? spec.file().toAbsolutePath() : directory().resolve(Names.FILE_PREFIX + spec.name());
    }

    @Override
    public Region create(ObjectSpec spec) {
        for (int attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
            PosixRegion r = tryCreate(spec, EventMode.AUTO_RESET);
            if (r != null) {
                return r;
            }
            if (!removeIfStale(spec)) {
                throw new StoreExistsException(describe(spec) + " already exists at " + pathOf(spec));
            }
        }
        throw new StoreException("could not create " + describe(spec) + ": it kept being removed and re-created");
    }

    @Override
    public Region open(ObjectSpec spec, Access access) {
        return open(spec, access, false);
    }

    /** Opens read-only without attaching: a process that may not write the file opens it the same way. */
    @Override
    public Region observe(ObjectSpec spec) {
        return open(spec, Access.READ_ONLY, true);
    }

    private Region open(ObjectSpec spec, Access access, boolean observer) {
        for (int attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
            PosixRegion r = tryOpen(spec, access, observer);
            if (r != null) {
                return r;
            }
        }
        throw new StoreException("could not open " + describe(spec) + ": it kept being removed and re-created");
    }

    /** See {@link PosixUnnamed}. */
    @Override
    public Region createUnnamed(ObjectSpec spec) {
        return unnamed.create(spec);
    }

    @Override
    public Handover handOver(Region region, Access access, long targetPid) {
        return unnamed.handOver(region, access, targetPid);
    }

    @Override
    public Region receive(HandoverToken token, Access access) {
        return unnamed.receive(token, access);
    }

    @Override
    public void checkUser(String user) {
        if (PosixUsers.uidOf(user) < 0) {
            throw new IllegalArgumentException("no user " + Names.quote(user)
                    + " on this host: trustOwner takes a user name or a numeric uid");
        }
    }

    @Override
    public Region createOrOpen(ObjectSpec spec) {
        return createOrOpen(spec, EventMode.AUTO_RESET);
    }

    @Override
    public MutexHandle mutex(ObjectSpec spec) {
        PosixRegion region = createOrOpen(spec, EventMode.AUTO_RESET);
        return overControlArea(region, region.controlLength(), (address, onClose) -> new LockWordMutex(address,
                region.lockKey(0), "mutex " + Names.quote(region.name()), true, waiter, processes, onClose));
    }

    @Override
    public SemaphoreHandle semaphore(ObjectSpec spec, int initialPermits, int maxPermits) {
        PosixRegion region = createOrOpen(spec, EventMode.AUTO_RESET);
        if (region.size() < SemaphoreWord.LENGTH) {
            region.close();
            throw new StoreCorruptedException(describe(spec) + " is damaged: its user area is " + region.size()
                    + " bytes, shorter than a semaphore's " + SemaphoreWord.LENGTH);
        }
        return overControlArea(region, SemaphoreWord.LENGTH, (address, onClose) -> new WordSemaphore(address,
                region.lockKey(SemaphoreWord.LOCK_OFFSET), "semaphore " + Names.quote(region.name()), initialPermits,
                maxPermits, waiter, processes, onClose));
    }

    /** Builds a handle over the first bytes of an object's user area; its close unmaps them and closes the region. */
    @FunctionalInterface
    private interface OverArea<T> {
        T make(long address, Runnable onClose);
    }

    /**
     * Maps {@code length} bytes at the start of {@code region}'s user area and makes the handle over them,
     * whose close unmaps them and closes the region; on failure, both are given back here.
     */
    private static <T> T overControlArea(PosixRegion region, long length, OverArea<T> make) {
        Mapping area = null;
        try {
            area = region.map(0, length, Access.READ_WRITE);
            Mapping mapped = area;
            return make.make(area.address(), () -> {
                mapped.unmap();
                region.close();
            });
        } catch (RuntimeException e) {
            if (area != null) {
                area.unmap();
            }
            region.close();
            throw e;
        }
    }

    @Override
    public EventHandle event(ObjectSpec spec, EventMode mode) {
        return new PosixEvent(createOrOpen(spec, mode), this);
    }

    /**
     * Opens the object if it exists, else creates it; a racing creator's link makes the loser open.
     * Opening first spares building (and reserving space for) a whole object only to find the name
     * taken.
     *
     * @param eventMode the mode an EVENT object gets if this call creates it
     */
    private PosixRegion createOrOpen(ObjectSpec spec, EventMode eventMode) {
        for (int attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
            try {
                PosixRegion r = tryOpen(spec, Access.READ_WRITE, false);
                if (r != null) {
                    return r;
                }
                continue;
            } catch (StoreNotFoundException absent) {
                // create it below
            }
            PosixRegion r = tryCreate(spec, eventMode);
            if (r != null) {
                return r;
            }
        }
        throw new StoreException("could not create or open " + describe(spec) + ": it kept being removed and re-created");
    }

    /**
     * Builds the object under a temporary name and links it into place.
     *
     * @return the new region, or null when the name is taken
     */
    private PosixRegion tryCreate(ObjectSpec spec, EventMode eventMode) {
        Path path = pathOf(spec);
        Path parent = path.getParent();
        if (parent == null || !Files.isDirectory(parent)) {
            throw new StoreNotFoundException("cannot create " + describe(spec) + ": directory " + parent + " does not exist");
        }
        Path tmp = parent.resolve("." + path.getFileName() + "." + processes.selfPid() + "."
                + Long.toHexString(ThreadLocalRandom.current().nextLong()) + ".tmp");
        long total = ObjectHeader.HEADER_LENGTH + spec.userSize();
        FileOps.Handle h = null;
        Mapping header = null;
        boolean linked = false;
        try {
            h = files.createNew(tmp, spec.permissions());
            if (spec.sparse()) {
                files.resize(h, total);
                files.reserve(h, 0, ObjectHeader.HEADER_LENGTH);
            } else {
                files.reserve(h, total);
            }
            header = files.map(h, 0, ObjectHeader.HEADER_LENGTH, true);
            FileOps.Handle file = h;
            ObjectHeader.write(header.address(), spec, processes.selfWord(), true, id -> initialize(file, spec, id));
            if (spec.type() == ObjectType.EVENT) {
                Mapping user = files.map(h, ObjectHeader.HEADER_LENGTH, files.pageSize(), true);
                try {
                    io.shmstore.internal.sync.EventWord.initialize(user.address(), eventMode);
                } finally {
                    user.unmap();
                }
            }
            try {
                files.link(tmp, path);
                linked = true;
            } catch (FileAlreadyExistsException taken) {
                return null;
            }
            PosixRegion r = new PosixRegion(this, spec, path, h, header, Access.READ_WRITE, true, 0);
            h = null;
            header = null;
            return r;
        } catch (NoSpaceException e) {
            throw new StoreFullException("cannot reserve " + total + " bytes for " + describe(spec) + " in " + parent
                    + ": " + e.getReason() + "; free space there is " + usable(parent) + " bytes", e);
        } catch (AccessDeniedException e) {
            throw new StoreException("cannot create " + describe(spec) + ": permission denied in " + parent, e);
        } catch (IOException e) {
            throw new StoreException("cannot create " + describe(spec) + " at " + path + ": " + e.getMessage(), e);
        } finally {
            if (header != null) {
                header.unmap();
            }
            if (h != null) {
                h.close();
            }
            try {
                files.unlink(tmp);
            } catch (IOException e) {
                if (!linked) {
                    tmp.toFile().deleteOnExit();
                }
            }
        }
    }

    /** Runs the spec's initializer on the user area of a file not yet linked to its name. */
    private void initialize(FileOps.Handle h, ObjectSpec spec, long objectId) {
        if (spec.initializer() == null) {
            return;
        }
        try {
            Mapping user = files.map(h, ObjectHeader.HEADER_LENGTH, spec.userSize(), true);
            try {
                spec.initializer().initialize(user.address(), spec.userSize(), objectId, new Reservations() {
                    @Override
                    public void reserve(long offset, long length) {
                        PosixBackend.this.reserve(spec, h, ObjectHeader.HEADER_LENGTH + offset, length);
                    }

                    @Override
                    public boolean release(long offset, long length) {
                        return PosixBackend.this.release(spec, h, ObjectHeader.HEADER_LENGTH + offset, length);
                    }
                });
            } finally {
                user.unmap();
            }
        } catch (IOException e) {
            throw new StoreException("cannot map " + describe(spec) + " to initialise it: " + e.getMessage(), e);
        }
    }

    /**
     * Opens and attaches; an observer opens the file read-only, so it cannot attach. The owner is
     * checked first thing after the open, then the size and the header.
     *
     * @return the region, or null when the object was being removed (the caller retries)
     */
    private PosixRegion tryOpen(ObjectSpec spec, Access access, boolean observer) {
        Path path = pathOf(spec);
        FileOps.Handle h = null;
        Mapping header = null;
        try {
            h = openFile(spec, path, access, observer);
            PosixUsers.checkOwner(describe(spec) + " at " + path, spec.trustedOwners(), h.ownerUid());
            long fileSize = h.size();
            if (fileSize < ObjectHeader.HEADER_LENGTH) {
                throw new IncompatibleStoreException(path + " is not a ShmStore object: it is " + fileSize
                        + " bytes, shorter than the " + ObjectHeader.HEADER_LENGTH + "-byte header");
            }
            header = files.map(h, 0, ObjectHeader.HEADER_LENGTH, h.writable());
            ObjectHeader.check(header.address(), spec, path.toString(), fileSize);
            PosixRegion r = new PosixRegion(this, spec, path, h, header, access, false, -1);
            h = null;
            header = null;
            return r.attach() ? r : null;
        } catch (NotRegularFileException e) {
            throw new IncompatibleStoreException(path + " is not a ShmStore object: " + e.getReason(), e);
        } catch (NoSuchFileException e) {
            throw new StoreNotFoundException("no " + spec.type().label() + " named " + (spec.fileBacked()
                    ? "at " + path : Names.quote(spec.name()) + " in " + path.getParent()));
        } catch (AccessDeniedException e) {
            throw new StoreException("permission denied opening " + describe(spec) + " at " + path, e);
        } catch (FileSystemException e) {
            throw new StoreException("cannot open " + describe(spec) + " at " + path + ": " + e.getReason(), e);
        } catch (IOException e) {
            throw new StoreException("cannot open " + describe(spec) + " at " + path + ": " + e.getMessage(), e);
        } finally {
            if (header != null) {
                header.unmap();
            }
            if (h != null) {
                h.close();
            }
        }
    }

    /**
     * Opens the file for writing, which attaching needs, unless observing. Where writing is refused, by
     * the file's permissions or by a file system mounted read-only (a consumer's read-only volume), a
     * read-only open falls back to reading; a read-write one says why it cannot.
     */
    private FileOps.Handle openFile(ObjectSpec spec, Path path, Access access, boolean observer) throws IOException {
        if (observer) {
            return files.open(path, false);
        }
        try {
            return files.open(path, true);
        } catch (AccessDeniedException | ReadOnlyVolumeException refused) {
            if (access == Access.READ_WRITE) {
                throw new StoreException(refused instanceof ReadOnlyVolumeException
                        ? "cannot open " + describe(spec) + " at " + path + " for writing: it is on a read-only file"
                        + " system (" + refused.getReason() + "); open it read-only (openReadOnly(), Access.READ_ONLY)"
                        : "permission denied opening " + describe(spec) + " at " + path
                        + " for writing; ask its creator to widen permissions(...)", refused);
            }
            return files.open(path, false);
        }
    }

    /**
     * Maps {@code length} bytes at {@code offset} of an object's user area: from the page that holds its
     * first byte, since mappings start at page boundaries. The caller checks the bounds and the access.
     */
    Mapping mapUserArea(ObjectSpec spec, FileOps.Handle file, long offset, long length, boolean writable) {
        int page = files.pageSize();
        long fileOffset = ObjectHeader.HEADER_LENGTH + offset;
        long aligned = fileOffset - (fileOffset % page);
        long delta = fileOffset - aligned;
        Mapping base;
        try {
            base = files.map(file, aligned, length + delta, writable);
        } catch (IOException e) {
            throw new StoreException("cannot map " + length + " bytes at offset " + offset + " of " + describe(spec) + ": "
                    + e.getMessage(), e);
        }
        return delta == 0 ? base : new OffsetMapping(base, delta, length);
    }

    /** A view that starts inside its first page. */
    private record OffsetMapping(Mapping base, long delta, long length) implements Mapping {
        @Override
        public long address() {
            return base.address() + delta;
        }

        @Override
        public boolean writable() {
            return base.writable();
        }

        @Override
        public void unmap() {
            base.unmap();
        }

        @Override
        public Runnable retire() {
            return base.retire();
        }
    }

    /** Reserves a range of an object's file (file offsets), as a typed failure when there is no room. */
    void reserve(ObjectSpec spec, FileOps.Handle h, long offset, long length) {
        try {
            files.reserve(h, offset, length);
        } catch (NoSpaceException e) {
            throw new StoreFullException("cannot reserve " + length + " more bytes for " + describe(spec) + ": "
                    + e.getReason() + freeSpace(spec), e);
        } catch (IOException e) {
            throw new StoreException("cannot reserve " + length + " bytes of " + describe(spec) + ": " + e.getMessage(), e);
        }
    }

    /** "; free space in /dev/shm is N bytes" for an object that lives in a directory, "" for an unnamed one. */
    String freeSpace(ObjectSpec spec) {
        if (spec.unnamed()) {
            return "";
        }
        Path dir = pathOf(spec).getParent();
        return "; free space in " + dir + " is " + usable(dir) + " bytes";
    }

    /** Gives a range of an object's file back (file offsets); false where it cannot be done. */
    boolean release(ObjectSpec spec, FileOps.Handle h, long offset, long length) {
        try {
            return files.release(h, offset, length);
        } catch (IOException e) {
            throw new StoreException("cannot release " + length + " bytes of " + describe(spec) + ": " + e.getMessage(), e);
        }
    }

    /**
     * For a name that is taken: removes the object if it is being removed or if every process attached
     * to an {@link Lifetime#UNTIL_LAST_CLOSE} object has died.
     *
     * @return true when the name may be free now
     */
    private boolean removeIfStale(ObjectSpec spec) {
        PosixRegion r;
        try {
            r = tryOpen(spec, Access.READ_WRITE, false);
        } catch (StoreNotFoundException gone) {
            return true;
        } catch (IncompatibleStoreException | UntrustedOwnerException other) {
            // neither opened nor, if its processes all died, removed: it is not this process's to remove
            throw new StoreExistsException("cannot create " + describe(spec) + ": the name is taken; "
                    + other.getMessage(), other);
        }
        if (r == null) {
            return true;
        }
        r.close();
        return false;
    }

    /** See {@link PosixListing}. */
    @Override
    public List<NamedObjectInfo> list() {
        return new PosixListing(files, processes).list(directory());
    }

    /**
     * The object id of the object {@code path} names now, or 0 when it names none (or not ours). Read
     * before unlinking a name, under the header lock of the object being removed.
     */
    long objectIdAt(Path path) {
        try (FileOps.Handle h = files.open(path, false)) {
            if (h.size() < ObjectHeader.HEADER_LENGTH) {
                return 0;
            }
            Mapping m = files.map(h, 0, files.pageSize(), false);
            try {
                return ObjectHeader.objectId(m.address());
            } finally {
                m.unmap();
            }
        } catch (IOException e) {
            return 0;
        }
    }

    long headerLockTimeoutNanos() {
        return HEADER_LOCK_TIMEOUT_NANOS;
    }

    static String describe(ObjectSpec spec) {
        return spec.type().label() + " " + Names.quote(spec.displayName());
    }

    private static long usable(Path dir) {
        try {
            return Files.getFileStore(dir).getUsableSpace();
        } catch (IOException e) {
            return -1;
        }
    }
}
