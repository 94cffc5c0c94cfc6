package io.shmstore.internal.store;

import io.shmstore.ChangeType;
import io.shmstore.IncompatibleStoreException;
import io.shmstore.ReadOnlyStoreException;
import io.shmstore.StoreCorruptedException;
import io.shmstore.StoreException;
import io.shmstore.StoreExistsException;
import io.shmstore.StoreNotFoundException;
import io.shmstore.StoreStats;
import io.shmstore.internal.sync.Lifecycle;
import io.shmstore.internal.sync.MemoryFaults;
import io.shmstore.internal.memory.ViewBytesStore;
import io.shmstore.memory.Access;
import io.shmstore.memory.MemoryView;
import io.shmstore.memory.NamedMutex;
import io.shmstore.memory.SharedMemory;
import net.openhft.chronicle.bytes.Bytes;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * The untyped engine of one store: its mapping and header ({@link StoreLayout}), its segments
 * ({@link Segment}) and their locks, the change feed ({@link ChangeRing}), the lifecycle that makes
 * closing safe, the translation of memory faults, statistics, verification and closing. Keys and
 * values are bytes here; the typed map ({@link StoreImpl}) and the operators' inspector
 * ({@link Inspector}) sit on it.
 *
 * <p>Every method that touches the mapping must run inside a use of {@link #life()}; the ones here
 * that are whole operations ({@link #size()}, {@link #stats}, {@link #verify()}, {@link #clear()},
 * {@link #snapshot}) take one themselves. The store reaches shared memory only through the memory
 * layer: it maps a {@link MemoryView} and takes its segments' locks with {@link MemoryView#lockAt}.
 *
 * <p>Longer than most classes here: opening, the uses, the fault handling and closing are one object's
 * life, and the close protocol's guarantee (nothing is unmapped under a use) is only checkable with all
 * of them in view.
 */
final class ByteStore {
    private static final int CREATE_OR_OPEN_ATTEMPTS = 50;
    /** How long {@link #close()} waits for the operations in flight before leaving the unmap to them. */
    static final long CLOSE_WAIT_NANOS = 1_000_000_000L;

    private final String name;
    private final SharedMemory memory;
    private final MemoryView view;
    private final StoreConfig config;
    private final Segment[] segments;
    private final NamedMutex[] locks;
    private final ChangeRing ring;
    private final boolean readOnly;
    private final Lifecycle life;
    private final FileCut cut;

    private ByteStore(String name, SharedMemory memory, MemoryView view, StoreConfig config, boolean readOnly,
                      java.time.Duration lockTimeout) {
        this.name = name;
        this.memory = memory;
        this.view = view;
        this.config = config;
        this.readOnly = readOnly;
        this.life = Lifecycle.striped("store \"" + name + "\"");
        this.cut = new FileCut("store \"" + name + "\"");
        // every access to the view is an operation counted by life: the last one may unmap at once
        ((ViewBytesStore) view.bytes()).unmapOnRelease();
        this.segments = new Segment[config.segments()];
        this.locks = new NamedMutex[config.segments()];
        long base = view.bytes().addressForRead(0);
        this.ring = new ChangeRing(name, view, config.feedOffset(), config.feedCapacity(), config.recordSize(),
                !readOnly, life, cut);
        SegmentSpace space = spaceOf(view);
        try {
            for (int s = 0; s < segments.length; s++) {
                long header = StoreLayout.segmentHeaderOffset(config.segmentHeaders(), s);
                locks[s] = view.lockAt(header + SegmentLayout.LOCK_OFFSET);
                segments[s] = new Segment(s, base, config, locks[s], lockTimeout, ring, space, this::mayReserve);
            }
        } catch (RuntimeException e) {
            closeLocks();
            throw e;
        }
    }

    /** The store's storage, through the memory layer's view of it. */
    private static SegmentSpace spaceOf(MemoryView view) {
        return new SegmentSpace() {
            @Override
            public void reserve(long offset, long length) {
                view.reserve(offset, length);
            }

            @Override
            public boolean release(long offset, long length) {
                return view.release(offset, length);
            }
        };
    }

    /**
     * Whether the segments may reserve {@code more} bytes under the store's cap. Reads every segment
     * header without their locks: two segments growing at once may each pass and overshoot the cap by
     * one step, which is what "about" means in {@code maxEntries}.
     */
    private boolean mayReserve(long more) {
        return reservedBytes() + more <= config.maxReserved();
    }

    /** Bytes all segments reserve now: their tables, bitmaps and data. */
    private long reservedBytes() {
        long n = 0;
        for (Segment seg : segments) {
            n += seg.reservedBytes();
        }
        return n;
    }

    // ---------------------------------------------------------------- opening

    static ByteStore create(StoreRequest<?, ?> r) {
        return attach(r, creating(r, r.sizing()).create(), false, true);
    }

    static ByteStore open(StoreRequest<?, ?> r, boolean readOnly) {
        return attach(r, r.memory().open(readOnly ? Access.READ_ONLY : Access.READ_WRITE), readOnly, true);
    }

    static ByteStore createOrOpen(StoreRequest<?, ?> r) {
        StoreConfig config = r.sizing();
        // open first: creating builds and reserves the whole store before it can find the name taken
        for (int attempt = 0; attempt < CREATE_OR_OPEN_ATTEMPTS; attempt++) {
            try {
                return open(r, false);
            } catch (StoreNotFoundException absent) {
                try {
                    return attach(r, creating(r, config).create(), false, true);
                } catch (StoreExistsException createdMeanwhile) {
                    // another process created it between our open and our create: open it
                }
            }
        }
        throw new StoreException("could not create or open store \"" + r.displayName() + "\": it kept being removed");
    }

    private static SharedMemory.Builder creating(StoreRequest<?, ?> r, StoreConfig config) {
        SharedMemory.Builder b = r.memory();
        b.size(config.length()).sparse();
        if (r.permissions() != null) {
            b.permissions(r.permissions());
        }
        if (r.lifetime() != null) {
            b.lifetime(r.lifetime());
        }
        return b.initializer(view -> {
            view.reserve(0, config.heapOffset());
            StoreHeader.write(view.bytes().addressForWrite(0), config, r.keyDescription(), r.valueDescription(),
                    r.metadata(), spaceOf(view));
        });
    }

    /**
     * Maps {@code mem} (taken over: closed on failure) and checks its header, and with
     * {@code checkTypes} the request's key and value types against it.
     */
    static ByteStore attach(StoreRequest<?, ?> r, SharedMemory mem, boolean readOnly, boolean checkTypes) {
        MemoryView view = null;
        try {
            view = mem.map(0, mem.size(), readOnly ? Access.READ_ONLY : Access.READ_WRITE);
            long a = view.bytes().addressForRead(0);
            StoreConfig config = StoreHeader.read(a, view.length(), r.displayName());
            if (checkTypes) {
                StoreHeader.checkTypes(a, r.displayName(), r.keyDescription(), r.valueDescription());
                StoreHeader.checkMetadata(a, r.displayName(), r.metadata());
                checkRoom(config, r);
            }
            return new ByteStore(r.displayName(), mem, view, config, readOnly, r.lockTimeout());
        } catch (RuntimeException e) {
            if (view != null) {
                view.close();
            }
            mem.close();
            throw e;
        }
    }

    /**
     * An opener that asks for more entries than the store may grow to is told so, not silently given
     * less: asking for up to its maximum is fine, the store grows as the entries come.
     */
    private static void checkRoom(StoreConfig config, StoreRequest<?, ?> r) {
        long asked = Math.max(r.entriesSet() ? r.entries() : 0, r.maxEntriesSet() ? r.maxEntries() : 0);
        if (asked > config.maxEntries()) {
            throw new IncompatibleStoreException("store \"" + r.displayName() + "\" was created for " + config.entries()
                    + " entries, growing to at most " + config.maxEntries() + "; this process asked for " + asked
                    + ". Recreate it with maxEntries(" + asked + ") or more");
        }
    }

    // ---------------------------------------------------------------- what it is

    String name() {
        return name;
    }

    boolean readOnly() {
        return readOnly;
    }

    StoreConfig config() {
        return config;
    }

    Lifecycle life() {
        return life;
    }

    ChangeRing ring() {
        return ring;
    }

    /** The metadata recorded at creation, empty when none. In a use. */
    String metadata() {
        return StoreHeader.readText(view.bytes().addressForRead(0) + StoreLayout.METADATA_OFFSET,
                StoreLayout.METADATA_CAPACITY);
    }

    /** The key or value description in the header (type and codec), for the inspector. In a use. */
    String description(int offset) {
        return StoreHeader.readText(view.bytes().addressForRead(0) + offset);
    }

    /** The segment a key's hash picks: bits 32 and up. */
    Segment segmentFor(long hash) {
        return segments[(int) (hash >>> 32) & (segments.length - 1)];
    }

    /** @throws ReadOnlyStoreException when opened read-only */
    void checkWritable() {
        if (readOnly) {
            throw new ReadOnlyStoreException("store \"" + name + "\" was opened read-only");
        }
    }

    // ---------------------------------------------------------------- byte operations (in a use)

    /** Copies the live entry for {@code key}, hashed to {@code hash}, into {@code out}; false when absent. */
    boolean read(Bytes<?> key, long hash, Bytes<?> out) {
        try {
            boolean found = segmentFor(hash).read(key, hash, out);
            MemoryFaults.raisePending();
            return found;
        } catch (InternalError e) {
            throw fault(e);
        }
    }

    /**
     * Takes a segment's lock, turning a fault on its word into the typed exception. A fault raised
     * after the lock was taken (it is raised late, see {@code SharedAtomics}) gives the lock back: the
     * caller never reaches the {@code finally} that would.
     */
    void lock(Segment seg) {
        try {
            seg.lock();
        } catch (InternalError e) {
            releaseIfHeld(seg);
            throw fault(e);
        }
    }

    /**
     * Releases the lock if this thread took it. Ownership is asked of the release itself, which checks
     * this process's record before it touches the word: the word may be past the cut, reading garbage.
     */
    private void releaseIfHeld(Segment seg) {
        try {
            seg.unlock();
        } catch (IllegalMonitorStateException notTaken) {
            // the fault came before the lock was taken
        } catch (InternalError | RuntimeException wordGone) {
            // the lock word itself is past the cut: no process can take it any more
        }
    }

    /**
     * Releases a segment lock in a {@code finally}: a memory fault there (the file was cut while the
     * lock was held) must not replace the exception that is already on its way. A fault is raised late,
     * at whatever point of the release the thread reached, perhaps before the release itself: so the
     * release is tried once more (a lock already released says so, and that is all).
     */
    void unlock(Segment seg) {
        try {
            seg.unlock();
        } catch (InternalError e) {
            if (!MemoryFaults.isFault(e)) {
                throw e;
            }
            releaseIfHeld(seg);
        }
    }

    /**
     * A SIGBUS on the mapping (its file was truncated while open) as the typed exception; every later
     * operation fails fast ({@link FileCut}).
     */
    StoreCorruptedException fault(InternalError e) {
        return cut.fault(e);
    }

    /** @throws StoreCorruptedException when an earlier access faulted ({@link FileCut}) */
    void checkNotCut() {
        cut.check();
    }

    // ---------------------------------------------------------------- whole operations

    /**
     * Runs {@code op} on the mapping as one use of the store, raising a fault of its accesses here
     * and as the typed exception. The typed hot paths write the same out, where a capturing lambda
     * would allocate.
     */
    <T> T use(Supplier<T> op) {
        int use = life.enter();
        try {
            cut.check();
            T result = op.get();
            MemoryFaults.raisePending();
            return result;
        } catch (InternalError e) {
            throw fault(e);
        } finally {
            life.exit(use);
        }
    }

    /**
     * Live entries. A segment that has held entries with an expiry counts its unexpired ones from a
     * snapshot; the others their count.
     */
    int size() {
        return use(() -> {
            long n = 0;
            Bytes<Void> scratch = Scratch.forThread().entry;
            for (Segment seg : segments) {
                if (seg.holdsExpiring()) {
                    long[] live = {0};
                    seg.snapshot(scratch, copy -> live[0]++);
                    n += live[0];
                } else {
                    n += seg.count();
                }
            }
            return (int) Math.min(Integer.MAX_VALUE, n);
        });
    }

    /** The shared counters, with this process's hit and miss counts. */
    StoreStats stats(long hits, long misses) {
        return use(() -> {
            long entries = 0;
            long used = 0;
            long data = 0;
            long recoveries = 0;
            long evictions = 0;
            long expirations = 0;
            long damaged = 0;
            long growths = 0;
            double[] load = new double[segments.length];
            for (int i = 0; i < segments.length; i++) {
                Segment seg = segments[i];
                entries += seg.count();
                used += (long) seg.usedChunks() * SegmentLayout.CHUNK;
                long reserved = seg.reservedChunks();
                data += reserved * SegmentLayout.CHUNK;
                load[i] = reserved == 0 ? 0 : (double) seg.usedChunks() / reserved;
                recoveries += seg.recoveries();
                evictions += seg.evictions();
                expirations += seg.expirations();
                damaged += seg.damaged();
                growths += seg.growths();
            }
            return new StoreStats(entries, config.entries(), config.maxEntries(), used, data, load, hits, misses, recoveries, evictions,
                    expirations, damaged, config.heapOffset() + reservedBytes(), growths);
        });
    }

    /** Every problem found in the segments (each under its lock) and the feed. */
    List<String> verify() {
        return use(() -> {
            checkWritable();
            List<String> problems = new ArrayList<>();
            for (Segment seg : segments) {
                lock(seg);
                try {
                    seg.verify(problems);
                } finally {
                    unlock(seg);
                }
            }
            ring.verify(problems);
            return problems;
        });
    }

    void clear() {
        use(() -> {
            checkWritable();
            for (Segment seg : segments) {
                lock(seg);
                try {
                    seg.clear();
                } finally {
                    unlock(seg);
                }
            }
            ring.record(ChangeType.CLEAR, false, 0, -1, 0, -1);
            return null;
        });
    }

    /**
     * Hands segment {@code s}'s live, unexpired entries, from one consistent snapshot, to {@code sink}
     * as whole entries ({@link EntryLayout}), as one use (iteration goes segment by segment).
     */
    void snapshot(int s, Consumer<Bytes<?>> sink) {
        use(() -> {
            segments[s].snapshot(Scratch.forThread().entry, sink);
            return null;
        });
    }

    int segments() {
        return segments.length;
    }

    // ---------------------------------------------------------------- closing

    /**
     * Closes the store. Operations in flight on other threads finish (a cursor's {@code await} returns
     * false); every call that starts later throws {@link IllegalStateException}. The handle detaches
     * from the named mapping now; the mapping itself is unmapped when the last operation in flight
     * ends, which this method waits for up to {@link #CLOSE_WAIT_NANOS}. A writer never leaves a
     * segment lock held: it releases it before its operation ends. Idempotent.
     */
    void close() {
        shutdown(false);
    }

    /** Removes the store's name now, then closes as {@link #close()} does. */
    void destroy() {
        life.checkOpen();
        shutdown(true);
    }

    private void shutdown(boolean destroy) {
        if (!life.close(this::unmap)) {
            return;
        }
        try {
            ring.wakeSleepers();
            if (destroy) {
                memory.destroy();
            } else {
                memory.close();
            }
            MemoryFaults.raisePending();
        } catch (InternalError e) {
            throw fault(e);
        } finally {
            try {
                life.awaitQuiet(CLOSE_WAIT_NANOS);
                MemoryFaults.raisePending();
            } catch (InternalError e) {
                throw fault(e);
            }
        }
    }

    /** After the last operation: the segment locks, then the view they reserve. */
    private void unmap() {
        closeLocks();
        view.close();
    }

    private void closeLocks() {
        for (NamedMutex m : locks) {
            if (m != null) {
                m.close();
            }
        }
    }
}
