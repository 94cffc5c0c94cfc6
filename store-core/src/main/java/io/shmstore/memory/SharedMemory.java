package io.shmstore.memory;

import io.shmstore.IncompatibleStoreException;
import io.shmstore.ReadOnlyStoreException;
import io.shmstore.StoreNotFoundException;
import io.shmstore.UntrustedOwnerException;
import io.shmstore.internal.memory.ViewBytesStore;
import io.shmstore.internal.platform.Backend;
import io.shmstore.internal.platform.Handover;
import io.shmstore.internal.platform.HandoverToken;
import io.shmstore.internal.memory.Backends;
import io.shmstore.internal.platform.Initializer;
import io.shmstore.internal.platform.Mapping;
import io.shmstore.internal.platform.Names;
import io.shmstore.internal.platform.ObjectHeader;
import io.shmstore.internal.platform.ObjectSpec;
import io.shmstore.internal.platform.ObjectType;
import io.shmstore.internal.platform.Region;

import java.io.IOException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
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
 * ({@link #createBackedBy}) default to {@link Lifetime#PERSISTENT}. New objects are owner-only (0600;
 * on Windows a descriptor owned by the creating account that grants that account alone) unless
 * {@link Builder#permissions} widens them. Where platforms differ, {@link #capabilities()} tells. An existing object is opened only when it belongs to
 * this process's user, to root, or to a user allowed with {@link Builder#trustOwner}; any other owner
 * gets {@link UntrustedOwnerException}. Names share one namespace with {@link NamedMutex},
 * {@link NamedEvent} and {@link NamedSemaphore}. A handle is thread-safe.
 *
 * <p><b>Unnamed mappings</b> ({@link #createUnnamed}) have no name in any namespace: no other process can
 * find, squat or open them, only receive them from a process that holds one, the way Windows shares a
 * mapping without a name. A child JVM this process starts gets one by inheritance
 * ({@link #inheritTo}, then {@link #inherited} in the child), a process already running by duplication
 * ({@link #duplicateFor}, then {@link #receive} there, with the token sent by any means); each with the
 * access it was given. The memory goes when the last process holding it closes it or exits, killed or
 * not. On POSIX the receiver opens the sender's descriptor through {@code /proc/<pid>/fd}: it must run
 * as the same user, and open it while the sender runs.
 *
 * <p>Longer than most classes here: it is the one entry point of the model, named, file-backed and
 * unnamed, as {@code CreateFileMapping} is on Windows, and its builder.
 */
public final class SharedMemory implements AutoCloseable {
    /** Owner read and write: the default permissions of every new object. */
    public static final Set<PosixFilePermission> OWNER_ONLY =
            Set.copyOf(EnumSet.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE));

    /** The largest mapping, in bytes of its user area: 2^46 (64 TiB). */
    public static final long MAX_SIZE = ObjectHeader.MAX_USER_SIZE;

    private final Region region;
    private final boolean unnamed;

    private SharedMemory(Region region) {
        this(region, false);
    }

    private SharedMemory(Region region, boolean unnamed) {
        this.region = region;
        this.unnamed = unnamed;
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
     * Creates an unnamed memory-only mapping of {@code size} bytes, owner-only, that no name leads to:
     * {@code memfd_create} on Linux, an unlinked file in the shm directory on the portable backend, a
     * section without a name on Windows. Other processes get it only from {@link #inheritTo} or
     * {@link #duplicateFor}. Its {@link #name()} is {@code unnamed:<16 hex digits>}, which no named object
     * can have.
     *
     * @param size usable bytes
     * @return the handle, which the caller closes
     * @throws IllegalArgumentException naming the size unless it is 1 to {@link #MAX_SIZE}
     */
    public static SharedMemory createUnnamed(long size) {
        return new SharedMemory(Backends.current().createUnnamed(ObjectSpec.unnamed(checkSize(size))), true);
    }

    /**
     * Starts {@code child} with this unnamed mapping handed to it with {@code access}: the environment
     * variable {@code variable} carries the token, and the child opens it with {@link #inherited(String)}.
     * This process keeps what the token needs until the child exits, even if this handle closes first; the
     * child must open it while this process runs.
     *
     * @param child    how to start the child; {@code variable} is set in its environment only for the start
     * @param variable the environment variable that carries the token ({@code [A-Za-z_][A-Za-z0-9_]*},
     *                 at most 128 characters)
     * @param access   what the child's handle may do
     * @return the started child
     * @throws IllegalArgumentException   naming {@code variable} unless it is an environment variable name
     * @throws IllegalStateException      when this mapping has a name, or this handle is closed
     * @throws ReadOnlyStoreException     for {@link Access#READ_WRITE} through a read-only handle
     * @throws IOException                when the child cannot be started ({@link ProcessBuilder#start()})
     */
    public Process inheritTo(ProcessBuilder child, String variable, Access access) throws IOException {
        Objects.requireNonNull(child, "child");
        checkVariable(variable);
        Handover handover = handOver(access, 0);
        child.environment().put(variable, handover.token());
        Process started;
        try {
            started = child.start();
        } catch (IOException | RuntimeException e) {
            handover.cancel();
            throw e;
        } finally {
            child.environment().remove(variable);
        }
        handover.keepUntil(started.onExit());
        return started;
    }

    /**
     * Hands this unnamed mapping to the running process {@code pid} with {@code access}, like Windows'
     * {@code DuplicateHandle}: returns the token that process opens it with ({@link #receive(String)});
     * send it by any means. The token is for that process alone. This process keeps what it needs until
     * that process exits (until this one exits, when it is this process), even if this handle closes first;
     * the receiver must open it while this process runs.
     *
     * @param pid    the receiving process, which must be running
     * @param access what the receiver's handle may do
     * @return the token, for {@link #receive(String)} in that process
     * @throws IllegalArgumentException naming {@code pid} when no such process runs
     * @throws IllegalStateException    when this mapping has a name, or this handle is closed
     * @throws ReadOnlyStoreException   for {@link Access#READ_WRITE} through a read-only handle
     */
    public String duplicateFor(long pid, Access access) {
        if (pid <= 0 || pid > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("pid " + pid + " is out of range: use a process id, 1 to "
                    + Integer.MAX_VALUE);
        }
        ProcessHandle target = ProcessHandle.of(pid).filter(ProcessHandle::isAlive).orElseThrow(() ->
                new IllegalArgumentException("no process " + pid + " to hand " + name() + " over to"));
        Handover handover = handOver(access, pid);
        handover.keepUntil(target.equals(ProcessHandle.current()) ? new CompletableFuture<Void>() : target.onExit());
        return handover.token();
    }

    private Handover handOver(Access access, long pid) {
        Objects.requireNonNull(access, "access");
        if (!unnamed) {
            throw new IllegalStateException(toString() + " has a name, by which other processes open it; only an"
                    + " unnamed mapping (createUnnamed) is handed over");
        }
        if (access == Access.READ_WRITE && region.access() == Access.READ_ONLY) {
            throw new ReadOnlyStoreException("cannot hand " + name() + " over read-write: this process has it"
                    + " read-only");
        }
        return Backends.current().handOver(region, access, pid);
    }

    /**
     * In a child started by {@link #inheritTo}: opens the unnamed mapping handed to it in environment
     * variable {@code variable}, with the access it was given.
     *
     * @param variable the environment variable the parent named in {@link #inheritTo}
     * @return the handle, which the caller closes
     * @throws io.shmstore.StoreNotFoundException naming the variable when it is not set, or when what it
     *                                            names is gone (the parent exited before)
     */
    public static SharedMemory inherited(String variable) {
        checkVariable(variable);
        String token = System.getenv(variable);
        if (token == null) {
            throw new StoreNotFoundException("no unnamed mapping was handed to this process: environment"
                    + " variable " + variable + " is not set");
        }
        return receive(token);
    }

    /**
     * Opens the unnamed mapping a token from {@link #duplicateFor} names, with the access it was given.
     *
     * @param token the token, as {@link #duplicateFor} returned it
     * @return the handle, which the caller closes
     */
    public static SharedMemory receive(String token) {
        HandoverToken t = HandoverToken.parse(token);
        return received(t, t.access());
    }

    /**
     * As {@link #receive(String)}, with {@code access}: read-only of a read-write token, or as given.
     *
     * @param token  the token, as {@link #duplicateFor} returned it
     * @param access what the handle may do: at most what the token gives
     * @return the handle, which the caller closes
     * @throws IllegalArgumentException           quoting the token when it is not one, or was made for another
     *                                            process
     * @throws ReadOnlyStoreException             for {@link Access#READ_WRITE} of a read-only token
     * @throws io.shmstore.StoreNotFoundException when what it names is gone: the process that handed it
     *                                            over exited, or let it go
     */
    public static SharedMemory receive(String token, Access access) {
        Objects.requireNonNull(access, "access");
        return received(HandoverToken.parse(token), access);
    }

    private static SharedMemory received(HandoverToken token, Access access) {
        String what = ObjectSpec.unnamedName(token.objectId());
        long self = ProcessHandle.current().pid();
        if (token.targetPid() != 0 && token.targetPid() != self) {
            throw new IllegalArgumentException("the token for " + what + " was made for process " + token.targetPid()
                    + ", not for this one (" + self + ")");
        }
        if (access == Access.READ_WRITE && token.access() == Access.READ_ONLY) {
            throw new ReadOnlyStoreException("cannot open " + what + " read-write: it was handed over read-only");
        }
        return new SharedMemory(Backends.current().receive(token, access), true);
    }

    /**
     * True for a mapping made by {@link #createUnnamed} or received, which no name leads to.
     *
     * @return whether this mapping is unnamed
     */
    public boolean isUnnamed() {
        return unnamed;
    }

    private static void checkVariable(String variable) {
        Objects.requireNonNull(variable, "variable");
        if (!variable.matches("[A-Za-z_][A-Za-z0-9_]{0,127}")) {
            throw new IllegalArgumentException("environment variable name " + Names.quote(variable) + " must be 1 to"
                    + " 128 characters of [A-Za-z0-9_], not starting with a digit");
        }
    }

    /** @throws IllegalArgumentException naming {@code bytes} unless it is 1 to {@link #MAX_SIZE} */
    private static long checkSize(long bytes) {
        if (bytes <= 0 || bytes > ObjectHeader.MAX_USER_SIZE) {
            throw new IllegalArgumentException("size " + bytes + " is out of range: use 1 to "
                    + ObjectHeader.MAX_USER_SIZE + " bytes");
        }
        return bytes;
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
     * The object name, the file path of a file-backed mapping, or {@code unnamed:<id>} for an unnamed one.
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

    /**
     * Removes the name, whatever the lifetime, and closes this handle; open views stay valid. An
     * unnamed mapping has no name: for it this is {@link #close()}.
     *
     * <p>On POSIX the name goes now: a new object may be created under it while other handles still
     * map the old one. On Windows a memory-only mapping's name lasts until the last handle on it, in
     * any process, closes ({@link Capabilities#destroyFreesTheName()} is false): until then it is
     * marked destroyed, so {@link #open} fails with {@link io.shmstore.StoreNotFoundException} and
     * {@link #create}/{@link #createOrOpen} with {@link io.shmstore.StoreExistsException} saying that
     * it was destroyed and is still held open. Destroying a file-backed mapping while views of it are
     * mapped may fail on Windows ({@link Capabilities#destroyWhileMapped()}).
     *
     * @throws io.shmstore.ReadOnlyStoreException through a read-only handle
     * @throws IllegalStateException              when this handle is closed
     */
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
            this.size = checkSize(bytes);
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
         * system fails with SIGBUS: reserve first. On Windows a sparse memory-only mapping is a
         * {@code SEC_RESERVE} section: nothing but its header is committed (charged against the commit
         * limit) at creation, each reserved range is committed, and an unreserved range is not readable
         * at all ({@link Capabilities#unreservedReadsAsZeros()}); a sparse file-backed mapping's file gets
         * its whole size at creation there.
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
     * The named objects (mappings, mutexes, events, semaphores) of the shm directory, with their sizes, owners,
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
     * What the named-object model does on this platform where platforms differ (a persistent
     * memory-only mapping, destroy while mapped, ...): see {@link Capabilities}.
     *
     * @return this platform's capabilities
     */
    public static Capabilities capabilities() {
        return Backends.current().capabilities();
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
