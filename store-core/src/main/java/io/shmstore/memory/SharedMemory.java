package io.shmstore.memory;

import io.shmstore.IncompatibleStoreException;
import io.shmstore.ReadOnlyStoreException;
import io.shmstore.UntrustedOwnerException;
import io.shmstore.internal.memory.ViewBytesStore;
import io.shmstore.internal.platform.Backend;
import io.shmstore.internal.memory.Backends;
import io.shmstore.internal.platform.Initializer;
import io.shmstore.internal.platform.Mapping;
import io.shmstore.internal.platform.Names;
import io.shmstore.internal.platform.ObjectHeader;
import io.shmstore.internal.platform.ObjectSpec;
import io.shmstore.internal.platform.ObjectType;
import io.shmstore.internal.platform.Region;

import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.Objects;
import java.util.Set;
import java.util.function.Consumer;

/**
 * A named mapping shared between processes: the portable form of Windows' file mappings.
 *
 * <pre>{@code
 * try (SharedMemory mem = SharedMemory.create("prices", 1 << 20);          // CreateFileMapping
 *      MemoryView view = mem.map(0, 4096, Access.READ_WRITE)) {            // MapViewOfFile
 *     view.bytes().writeLong(0, 42);
 * }
 * // another process
 * try (SharedMemory mem = SharedMemory.open("prices", Access.READ_ONLY);    // OpenFileMapping
 *      MemoryView view = mem.map(0, 4096, Access.READ_ONLY)) {
 *     long v = view.bytes().readLong(0);
 * }
 * }</pre>
 *
 * <p>Memory-only mappings live in the shm directory ({@code /dev/shm} on Linux; see
 * {@code shmstore.dir}) and default to {@link Lifetime#UNTIL_LAST_CLOSE}; file-backed ones
 * ({@link #createBackedBy}) default to {@link Lifetime#PERSISTENT}. New objects are owner-only (0600)
 * unless {@link Builder#permissions} widens them. An existing object is opened only when it belongs to
 * this process's user, to root, or to a user allowed with {@link Builder#trustOwner}; any other owner
 * gets {@link UntrustedOwnerException}. Names share one namespace with {@link NamedMutex} and
 * {@link NamedEvent}. A handle is thread-safe.
 */
public final class SharedMemory implements AutoCloseable {
    /** Owner read and write: the default permissions of every new object. */
    public static final Set<PosixFilePermission> OWNER_ONLY =
            Set.copyOf(EnumSet.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE));

    /** The largest mapping, in bytes of its user area: 2^46 (64 TiB). */
    public static final long MAX_SIZE = ObjectHeader.MAX_USER_SIZE;

    private final Region region;

    private SharedMemory(Region region) {
        this.region = region;
    }

    /**
     * Creates a memory-only mapping of {@code size} bytes.
     *
     * @param name the name (1–128 characters of {@code [A-Za-z0-9._-]}, starting with a letter or digit)
     * @param size usable bytes
     * @return the handle, which the caller closes
     * @throws io.shmstore.StoreExistsException when the name is taken
     */
    public static SharedMemory create(String name, long size) {
        return named(name).size(size).create();
    }

    /**
     * Opens an existing mapping by name.
     *
     * @param name   the name
     * @param access what the handle may do
     * @return the handle, which the caller closes
     * @throws io.shmstore.StoreNotFoundException when there is no such mapping
     */
    public static SharedMemory open(String name, Access access) {
        return named(name).open(access);
    }

    /**
     * Opens an existing mapping by name for reading and writing.
     *
     * @param name the name
     * @return the handle, which the caller closes
     * @throws io.shmstore.StoreNotFoundException when there is no such mapping
     */
    public static SharedMemory open(String name) {
        return open(name, Access.READ_WRITE);
    }

    /**
     * Creates the mapping, or opens it if it exists; of many processes racing, exactly one creates
     * ({@link #created()}).
     *
     * @param name the name
     * @param size usable bytes, when created; an existing mapping must have at least as many
     * @return the handle, which the caller closes
     */
    public static SharedMemory createOrOpen(String name, long size) {
        return named(name).size(size).createOrOpen();
    }

    /**
     * Creates a mapping backed by a new file at {@code file}; it persists until {@link #destroy()}.
     *
     * @param file the file, which must not exist
     * @param size usable bytes
     * @return the handle, which the caller closes
     */
    public static SharedMemory createBackedBy(Path file, long size) {
        return backedBy(file).size(size).create();
    }

    /**
     * Opens a file-backed mapping.
     *
     * @param file   the file
     * @param access what the handle may do
     * @return the handle, which the caller closes
     * @throws io.shmstore.StoreNotFoundException when there is no such file
     */
    public static SharedMemory openBackedBy(Path file, Access access) {
        return backedBy(file).open(access);
    }

    /**
     * Permissions as {@code ls -l} shows them, e.g. {@code "rw-r-----"}; a string of another form is
     * refused with an IllegalArgumentException that quotes it (the JDK's parser says only "Invalid mode").
     *
     * @param rwx nine characters of {@code r}, {@code w}, {@code x} and {@code -}
     * @return the permissions
     */
    public static Set<PosixFilePermission> parsePermissions(String rwx) {
        Objects.requireNonNull(rwx, "permissions");
        try {
            return PosixFilePermissions.fromString(rwx);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("permissions \"" + rwx + "\" are not nine characters of the form"
                    + " \"rw-r-----\"", e);
        }
    }

    /**
     * Returns {@code perms} if they can be given to a new object: they must let its owner read and write.
     *
     * @param perms the permissions
     * @return {@code perms}
     * @throws IllegalArgumentException naming the permissions otherwise
     */
    public static Set<PosixFilePermission> checkPermissions(Set<PosixFilePermission> perms) {
        Objects.requireNonNull(perms, "permissions");
        if (!perms.contains(PosixFilePermission.OWNER_READ) || !perms.contains(PosixFilePermission.OWNER_WRITE)) {
            throw new IllegalArgumentException("permissions " + PosixFilePermissions.toString(perms)
                    + " must include owner read and write");
        }
        return perms;
    }

    /**
     * Returns {@code user} if {@code trustOwner} may name it: a user of this host, by name or (on POSIX)
     * by numeric uid, or (on Windows) by account name or SID string.
     *
     * @param user the user
     * @return {@code user}
     * @throws IllegalArgumentException naming {@code user} when this host has no such user
     */
    public static String checkOwner(String user) {
        Objects.requireNonNull(user, "user");
        Backends.current().checkUser(user);
        return user;
    }

    /**
     * Options for a memory-only mapping. The name is checked now, before the file system is touched.
     *
     * @param name the name
     * @return a builder
     * @throws IllegalArgumentException naming the name when it breaks the rules
     */
    public static Builder named(String name) {
        return new Builder(Names.check(name), null);
    }

    /**
     * Options for a file-backed mapping.
     *
     * @param file the file
     * @return a builder
     */
    public static Builder backedBy(Path file) {
        return new Builder(null, Objects.requireNonNull(file, "file"));
    }

    /**
     * The object name, or the file path of a file-backed mapping.
     *
     * @return the name
     */
    public String name() {
        return region.name();
    }

    /**
     * Usable bytes: views may cover {@code [0, size())}.
     *
     * @return the size
     */
    public long size() {
        return region.size();
    }

    /**
     * What this handle may do.
     *
     * @return the access it was opened with
     */
    public Access access() {
        return region.access();
    }

    /**
     * When the name goes away.
     *
     * @return the mapping's lifetime
     */
    public Lifetime lifetime() {
        return region.lifetime();
    }

    /**
     * Whether this handle made the mapping.
     *
     * @return true when this handle created the mapping, false when it opened an existing one
     */
    public boolean created() {
        return region.created();
    }

    /**
     * Maps {@code length} bytes at {@code offset}.
     *
     * @param offset where the view starts
     * @param length how many bytes it covers
     * @param access what the view may do
     * @return the view, which the caller closes
     * @throws IllegalArgumentException naming the values when the range is outside {@code [0, size())}
     * @throws ReadOnlyStoreException   for a writable view of a read-only handle
     * @throws IllegalStateException    when this handle is closed
     */
    public MemoryView map(long offset, long length, Access access) {
        Objects.requireNonNull(access, "access");
        if (offset < 0 || length <= 0 || offset > size() || length > size() - offset) {
            throw new IllegalArgumentException("view [offset " + offset + ", length " + length + "] is outside "
                    + name() + ", which has " + size() + " bytes");
        }
        if (access == Access.READ_WRITE && region.access() == Access.READ_ONLY) {
            throw new ReadOnlyStoreException("cannot map a writable view of \"" + name() + "\": it was opened read-only");
        }
        Mapping m = region.map(offset, length, access);
        ViewBytesStore store = new ViewBytesStore(m, length, access == Access.READ_WRITE, "\"" + name() + "\"");
        return new MemoryView(store, offset, length, access, "\"" + name() + "\"", region.objectId(), region);
    }

    /**
     * Maps the whole mapping with this handle's access.
     *
     * @return the view, which the caller closes
     */
    public MemoryView map() {
        return map(0, size(), access());
    }

    /**
     * Detaches this handle. Views stay valid until closed. Under {@link Lifetime#UNTIL_LAST_CLOSE} the
     * last live handle across processes removes the name. Idempotent.
     */
    @Override
    public void close() {
        region.close();
    }

    /** Removes the name now, whatever the lifetime, and closes this handle; open views stay valid. */
    public void destroy() {
        region.destroy();
    }

    @Override
    public String toString() {
        return "SharedMemory[" + name() + ", " + size() + " bytes, " + access() + ", " + lifetime() + "]";
    }

    /**
     * Options for creating or opening a mapping. Each option may be set once; the terminal calls check
     * that the options fit the operation.
     */
    public static final class Builder {
        private final String name;
        private final Path file;
        private long size = -1;
        private Set<PosixFilePermission> permissions;
        private Lifetime lifetime;
        private boolean sparse;
        private Consumer<MemoryView> initializer;
        private final Set<String> trustedOwners = new LinkedHashSet<>();

        private Builder(String name, Path file) {
            this.name = name;
            this.file = file;
        }

        /**
         * Size in bytes, 1 to 2^46; needed to create.
         *
         * @param bytes the size
         * @return this builder
         */
        public Builder size(long bytes) {
            if (size != -1) {
                throw new IllegalStateException("size was already set to " + size);
            }
            if (bytes <= 0 || bytes > ObjectHeader.MAX_USER_SIZE) {
                throw new IllegalArgumentException("size " + bytes + " is out of range: use 1 to "
                        + ObjectHeader.MAX_USER_SIZE + " bytes");
            }
            this.size = bytes;
            return this;
        }

        /**
         * Who may open a created object; default {@link SharedMemory#OWNER_ONLY}.
         *
         * @param perms the permissions
         * @return this builder
         */
        public Builder permissions(Set<PosixFilePermission> perms) {
            Objects.requireNonNull(perms, "permissions");
            if (permissions != null) {
                throw new IllegalStateException("permissions were already set to "
                        + PosixFilePermissions.toString(permissions));
            }
            this.permissions = Set.copyOf(checkPermissions(perms));
            return this;
        }

        /**
         * Permissions as {@code ls -l} shows them, e.g. {@code "rw-r-----"}.
         *
         * @param rwx the permissions
         * @return this builder
         */
        public Builder permissions(String rwx) {
            return permissions(parsePermissions(rwx));
        }

        /**
         * When the name goes away; default by kind (see {@link SharedMemory}).
         *
         * @param value the lifetime
         * @return this builder
         */
        public Builder lifetime(Lifetime value) {
            Objects.requireNonNull(value, "lifetime");
            if (lifetime != null) {
                throw new IllegalStateException("lifetime was already set to " + lifetime);
            }
            this.lifetime = value;
            return this;
        }

        /**
         * Fills a mapping this builder creates before any other process can open it, through a
         * writable view of the whole mapping that is closed when the initializer returns. Creation
         * stays atomic: openers see the mapping only once it is initialised, or not at all.
         *
         * @param init fills the new mapping
         * @return this builder
         */
        public Builder initializer(Consumer<MemoryView> init) {
            Objects.requireNonNull(init, "initializer");
            if (initializer != null) {
                throw new IllegalStateException("initializer was already set");
            }
            this.initializer = init;
            return this;
        }

        /**
         * Also opens an existing object that {@code user} owns. Without it, an object owned by anyone but
         * this process's user or root is refused with {@link UntrustedOwnerException}: in a directory
         * every user may write, such as {@code /dev/shm}, another user can create the name first, with
         * permissions that let everyone in, to read what this process writes or to feed it forged data.
         * Call it once per user to allow; it applies to every open, {@link #createOrOpen} included.
         *
         * @param user a user name, or a numeric uid as {@code chown} takes one; on Windows an account
         *             name or a SID string
         * @return this builder
         * @throws IllegalArgumentException naming {@code user} when this host has no such user
         * @throws IllegalStateException    when {@code user} is already trusted
         */
        public Builder trustOwner(String user) {
            checkOwner(user);
            if (!trustedOwners.add(user)) {
                throw new IllegalStateException("owner \"" + user + "\" was already trusted");
            }
            return this;
        }

        /**
         * Makes a created mapping sparse: {@link #size} is the most it may use, but only its header is
         * reserved now; the caller reserves each range before writing it ({@link MemoryView#reserve}), and
         * may give ranges back ({@link MemoryView#release}). Unreserved ranges read as zeros. A store
         * that grows uses this. A write to an unreserved range may still succeed, and on a full file
         * system fails with SIGBUS: reserve first. On Windows the whole size is committed at creation.
         *
         * @return this builder
         */
        public Builder sparse() {
            if (sparse) {
                throw new IllegalStateException("sparse() was already set");
            }
            sparse = true;
            return this;
        }

        /**
         * Creates the mapping.
         *
         * @return the handle, which the caller closes
         * @throws io.shmstore.StoreExistsException when the name or file is taken
         */
        public SharedMemory create() {
            return new SharedMemory(Backends.current().create(spec(true)));
        }

        /**
         * Creates the mapping, or opens it if it exists; of many processes racing, exactly one creates.
         *
         * @return the handle, which the caller closes
         * @throws IncompatibleStoreException when an existing mapping is smaller than the size asked for
         */
        public SharedMemory createOrOpen() {
            Region r = Backends.current().createOrOpen(spec(true));
            if (!r.created() && r.size() < size) {
                long found = r.size();
                r.close();
                throw new IncompatibleStoreException("\"" + (name != null ? name : file) + "\" exists with "
                        + found + " bytes, smaller than the " + size + " bytes asked for");
            }
            return new SharedMemory(r);
        }

        /**
         * Opens an existing mapping.
         *
         * @param access what the handle may do
         * @return the handle, which the caller closes
         * @throws io.shmstore.StoreNotFoundException when there is none
         */
        public SharedMemory open(Access access) {
            Objects.requireNonNull(access, "access");
            checkNoCreateOptions("open()");
            return new SharedMemory(Backends.current().open(spec(false), access));
        }

        /**
         * Opens the mapping read-only as an observer, for tools that look at objects and must change
         * nothing: the handle takes no part in the mapping's lifetime. It does not keep an
         * {@link Lifetime#UNTIL_LAST_CLOSE} mapping alive, and, unlike every other open, it does not
         * remove one that every process left without closing it. On Windows, where the kernel counts
         * handles, it is an ordinary read-only open.
         *
         * @return the handle, read-only, which the caller closes
         */
        public SharedMemory observe() {
            checkNoCreateOptions("observe()");
            return new SharedMemory(Backends.current().observe(spec(false)));
        }

        private void checkNoCreateOptions(String call) {
            if (permissions != null || lifetime != null || initializer != null || sparse) {
                throw new IllegalStateException("permissions and lifetime apply when creating; " + call + " got "
                        + (permissions != null ? "permissions " + PosixFilePermissions.toString(permissions) : "")
                        + (lifetime != null ? " lifetime " + lifetime : ""));
            }
        }

        private ObjectSpec spec(boolean creating) {
            if (creating && size == -1) {
                throw new IllegalStateException("size must be set to create \"" + (name != null ? name : file) + "\"");
            }
            Lifetime lt = lifetime != null ? lifetime : file != null ? Lifetime.PERSISTENT : Lifetime.UNTIL_LAST_CLOSE;
            Set<PosixFilePermission> perms = permissions != null ? permissions : OWNER_ONLY;
            String who = "\"" + (name != null ? name : file) + "\"";
            Consumer<MemoryView> init = initializer;
            Initializer raw = init == null ? null : (address, length, objectId, space) -> {
                ViewBytesStore store = new ViewBytesStore(Mapping.borrowed(address, length), length, true, who);
                try (MemoryView view = new MemoryView(store, 0, length, Access.READ_WRITE, who, objectId, space)) {
                    init.accept(view);
                }
            };
            return new ObjectSpec(name, file, ObjectType.MEMORY, Math.max(size, 0), perms, lt, raw, trustedOwners,
                    sparse);
        }
    }

    /**
     * The named objects (mappings, mutexes, events) of the shm directory, with their sizes, owners,
     * creators and the live processes that have them open; read without opening any for writing, so
     * listing changes nothing. A name that is not a regular file (a FIFO, a directory, a device, a
     * socket, a symbolic link) is reported as "not a ShmStore object: FIFO" and so on, and is never
     * opened. Empty on Windows, which cannot enumerate named kernel objects.
     *
     * @return the objects, by name
     * @throws io.shmstore.StoreNotFoundException naming the directory when it does not exist
     */
    public static java.util.List<NamedObjectInfo> list() {
        return Backends.current().list();
    }

    /**
     * The backend in use, for diagnostics.
     *
     * @return "linux", "posix-nio" or "windows"
     */
    public static String backendName() {
        Backend b = Backends.current();
        return b.name();
    }
}
