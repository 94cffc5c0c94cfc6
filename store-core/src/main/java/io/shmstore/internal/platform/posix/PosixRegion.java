package io.shmstore.internal.platform.posix;

import io.shmstore.ReadOnlyStoreException;
import io.shmstore.StoreException;
import io.shmstore.StoreNotFoundException;
import io.shmstore.TooManyHandlesException;
import io.shmstore.internal.platform.Mapping;
import io.shmstore.internal.platform.Names;
import io.shmstore.internal.platform.ObjectHeader;
import io.shmstore.internal.platform.ObjectSpec;
import io.shmstore.internal.sync.ProcessProbe;
import io.shmstore.internal.sync.LocalOwner;
import io.shmstore.internal.sync.LockWord;
import io.shmstore.memory.Access;
import io.shmstore.memory.Lifetime;
import net.openhft.chronicle.core.Memory;
import net.openhft.chronicle.core.OS;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * One handle on a POSIX named object: the open file, its header mapped for the attach protocol
 * described in {@link PosixBackend}, and the index of this handle's attach entry ({@code -1} for a
 * handle that could only open the file for reading).
 */
final class PosixRegion extends FileRegion {
    private static final Memory MEMORY = OS.memory();

    private final Path path;
    private final Mapping header;
    private final LocalOwner headerLockOwner;
    private final LockWord headerLock;
    private int slot;
    private boolean closed;

    PosixRegion(PosixBackend backend, ObjectSpec spec, Path path, FileOps.Handle file, Mapping header,
                Access access, boolean created, int slot) {
        super(backend, spec, file, access, created, ObjectHeader.userSize(header.address()),
                ObjectHeader.lifetime(header.address()), ObjectHeader.objectId(header.address()), spec.displayName());
        this.path = path;
        this.header = header;
        this.slot = slot;
        long a = header.address();
        if (header.writable()) {
            this.headerLockOwner = LocalOwner.register(new LockKey(objectId(), ObjectHeader.LOCK_OFFSET));
            this.headerLock = new LockWord(a + ObjectHeader.LOCK_OFFSET, backend.waiter(), backend.processes(),
                    headerLockOwner, "the header lock of " + PosixBackend.describe(spec));
        } else {
            this.headerLockOwner = null;
            this.headerLock = null;
        }
    }

    /** Identity of a lock word: the object it lives in and its offset there. */
    record LockKey(long objectId, long offset) {
    }

    /**
     * Adds this handle to the attach table.
     *
     * @return false when the object is being removed (this handle is closed; retry from the name)
     * @throws StoreNotFoundException when every process attached to it had died, so it was removed now
     */
    synchronized boolean attach() {
        long a = header.address();
        if (headerLock == null) {
            if (MEMORY.readVolatileInt(a + ObjectHeader.STATE_OFFSET) == ObjectHeader.STATE_REMOVED) {
                release();
                return false;
            }
            return true;
        }
        headerLock.acquire(backend.headerLockTimeoutNanos());
        boolean attached = false;
        try {
            if (MEMORY.readVolatileInt(a + ObjectHeader.STATE_OFFSET) != ObjectHeader.STATE_READY) {
                return false;
            }
            int live = reap();
            if (live == 0 && lifetime() == Lifetime.UNTIL_LAST_CLOSE) {
                remove();
                throw new StoreNotFoundException("no " + spec.type().label() + " named "
                        + Names.quote(spec.displayName()) + ": every process that had it open exited without"
                        + " closing it, so it was removed");
            }
            long self = backend.processes().selfWord();
            for (int i = 0; i < ObjectHeader.ATTACH_CAPACITY; i++) {
                long at = a + ObjectHeader.attachEntryOffset(i);
                if (MEMORY.readVolatileLong(at) == 0) {
                    MEMORY.writeVolatileLong(at, self);
                    slot = i;
                    attached = true;
                    return true;
                }
            }
            throw tooManyHandles();
        } finally {
            headerLock.release();
            if (!attached) {
                release();
            }
        }
    }

    /**
     * Every entry of the attach table belongs to a live process (reap() just ran): say who holds how
     * many. Thousands of handles on one object are a leak, so the remedy is to close them. Header lock
     * held.
     */
    private TooManyHandlesException tooManyHandles() {
        long a = header.address();
        int selfPid = backend.processes().selfPid();
        int mine = 0;
        Set<Integer> others = new TreeSet<>();
        for (int i = 0; i < ObjectHeader.ATTACH_CAPACITY; i++) {
            int pid = ProcessProbe.pidOf(MEMORY.readVolatileLong(a + ObjectHeader.attachEntryOffset(i)));
            if (pid == selfPid) {
                mine++;
            } else {
                others.add(pid);
            }
        }
        String rest = others.isEmpty() ? "" : " and " + others.size() + " other live processes the rest (pids "
                + others.stream().limit(10).map(String::valueOf).collect(Collectors.joining(", "))
                + (others.size() > 10 ? ", ..." : "") + ")";
        return new TooManyHandlesException("cannot open " + PosixBackend.describe(spec) + ": it already has "
                + ObjectHeader.ATTACH_CAPACITY + " open handles, as many as its attach table holds; this process holds "
                + mine + " of them" + rest + ". Handles are leaking: close each SharedMemory, SharedStore, NamedMutex"
                + " and NamedEvent when done with it (try-with-resources)");
    }

    /**
     * Clears entries of dead processes; returns how many live entries remain. Header lock held. This
     * process's own entries are alive without asking the probe, which reads {@code /proc} per entry.
     */
    private int reap() {
        long a = header.address();
        ProcessProbe probe = backend.processes();
        long self = probe.selfWord();
        int live = 0;
        for (int i = 0; i < ObjectHeader.ATTACH_CAPACITY; i++) {
            long at = a + ObjectHeader.attachEntryOffset(i);
            long e = MEMORY.readVolatileLong(at);
            if (e == 0) {
                continue;
            }
            if (e == self || probe.isAlive(ProcessProbe.pidOf(e), ProcessProbe.tagOf(e))) {
                live++;
            } else {
                MEMORY.writeVolatileLong(at, 0);
            }
        }
        return live;
    }

    /** Marks the object removed and unlinks its name if the name still refers to it. Header lock held. */
    private void remove() {
        MEMORY.writeVolatileInt(header.address() + ObjectHeader.STATE_OFFSET, ObjectHeader.STATE_REMOVED);
        if (backend.objectIdAt(path) == objectId()) {
            try {
                backend.files().unlink(path);
            } catch (IOException e) {
                throw new StoreException("cannot remove " + PosixBackend.describe(spec) + " at " + path + ": " + e, e);
            }
        }
    }

    /** The user area's first bytes, mapped for a mutex or event word; unmapped on close by the caller. */
    Mapping mapControlWord() {
        return map(0, controlLength(), Access.READ_WRITE);
    }

    /** How much of the user area a mutex or event maps: its first page, or all of a smaller one. */
    long controlLength() {
        return Math.min(size(), backend.files().pageSize());
    }

    /** Identity of the lock word at {@code userOffset} of the user area. */
    LockKey lockKey(long userOffset) {
        return new LockKey(objectId(), ObjectHeader.HEADER_LENGTH + userOffset);
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        try {
            if (headerLock != null && slot >= 0) {
                headerLock.acquire(backend.headerLockTimeoutNanos());
                try {
                    long a = header.address();
                    long at = a + ObjectHeader.attachEntryOffset(slot);
                    if (MEMORY.readVolatileLong(at) == backend.processes().selfWord()) {
                        MEMORY.writeVolatileLong(at, 0);
                    }
                    int live = reap();
                    if (live == 0 && lifetime() == Lifetime.UNTIL_LAST_CLOSE
                            && MEMORY.readVolatileInt(a + ObjectHeader.STATE_OFFSET) == ObjectHeader.STATE_READY) {
                        remove();
                    }
                } finally {
                    headerLock.release();
                }
            }
        } finally {
            release();
        }
    }

    @Override
    public synchronized void destroy() {
        checkOpen();
        if (headerLock == null || access == Access.READ_ONLY) {
            throw new ReadOnlyStoreException("cannot destroy " + PosixBackend.describe(spec)
                    + " through a read-only handle");
        }
        headerLock.acquire(backend.headerLockTimeoutNanos());
        try {
            if (MEMORY.readVolatileInt(header.address() + ObjectHeader.STATE_OFFSET) == ObjectHeader.STATE_READY) {
                remove();
            }
        } finally {
            headerLock.release();
        }
        close();
    }

    @Override
    protected void checkOpen() {
        if (closed) {
            throw new IllegalStateException(PosixBackend.describe(spec) + " is closed");
        }
    }

    /** Unmaps the header and closes the file; no attach-table change. */
    private void release() {
        if (!closed) {
            closed = true;
            if (headerLockOwner != null) {
                headerLockOwner.unregister();
            }
            header.unmap();
            file.close();
        }
    }
}
