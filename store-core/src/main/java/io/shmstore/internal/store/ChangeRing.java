package io.shmstore.internal.store;

import io.shmstore.ChangeType;
import io.shmstore.StoreCorruptedException;
import io.shmstore.internal.sync.Lifecycle;
import io.shmstore.internal.sync.SharedAtomics;
import io.shmstore.memory.MemoryView;
import io.shmstore.memory.Processes;
import net.openhft.chronicle.bytes.Bytes;
import net.openhft.chronicle.core.Memory;
import net.openhft.chronicle.core.OS;

import java.time.Duration;
import java.util.List;

/**
 * The change feed ring of one store, as bytes (protocol in {@link FeedLayout}): lock-free appends by
 * writers, and the record-reading half of the protocol, which {@link FeedCursor} drives. Readers never
 * write to the ring but a sleeping cursor's waiter count.
 *
 * <p>Every call that reads the ring runs inside a use of the store's {@link Lifecycle} (the store's
 * write path, or a cursor's call), so a store closed meanwhile is unmapped only after it.
 */
final class ChangeRing implements FeedSink {
    private static final Memory MEMORY = OS.memory();
    private static final long CHECKSUM_SEED = 0x4645_4544_5245_4353L;
    /** Bytes of a record from {@code type} to the key, copied and checksummed as one. */
    static final int FIELDS = FeedLayout.KEY_OFFSET - FeedLayout.TYPE_OFFSET;

    /** What {@link #read} found at a sequence. */
    static final int COMPLETE = 0;
    static final int OVERWRITTEN = 1;
    static final int INCOMPLETE = 2;
    static final int DAMAGED = 3;

    private final String name;
    private final MemoryView view;
    private final long viewOffset;
    private final long base;
    private final int capacity;
    private final int recordSize;
    private final int keyCapacity;
    private final boolean writable;
    private final Lifecycle store;
    private final FileCut cut;
    private final long self;

    ChangeRing(String name, MemoryView view, long viewOffset, int capacity, int recordSize, boolean writable,
               Lifecycle store, FileCut cut) {
        this.name = name;
        this.view = view;
        this.viewOffset = viewOffset;
        this.base = view.bytes().addressForRead(viewOffset);
        this.capacity = capacity;
        this.recordSize = recordSize;
        this.keyCapacity = recordSize - FeedLayout.KEY_OFFSET;
        this.writable = writable;
        this.store = store;
        this.cut = cut;
        this.self = Processes.self();
    }

    String name() {
        return name;
    }

    int capacity() {
        return capacity;
    }

    int keyCapacity() {
        return keyCapacity;
    }

    boolean writable() {
        return writable;
    }

    Lifecycle store() {
        return store;
    }

    // ---------------------------------------------------------------- appending

    @Override
    public void record(ChangeType type, boolean replaced, long keyAddress, int keyLength, long keyHash, long entry) {
        long n = SharedAtomics.addLong(base + FeedLayout.TAIL_OFFSET, 1) - 1;
        long r = recordAddress(n);
        MEMORY.writeLong(r + FeedLayout.WRITER_OFFSET, self);
        MEMORY.writeVolatileLong(r + FeedLayout.STATE_OFFSET, FeedLayout.WRITING);
        boolean fits = keyLength >= 0 && keyLength <= keyCapacity;
        MEMORY.writeInt(r + FeedLayout.TYPE_OFFSET, type.code() | (replaced ? FeedLayout.REPLACED : 0));
        MEMORY.writeInt(r + FeedLayout.KEY_LENGTH_OFFSET, fits ? keyLength : -1);
        MEMORY.writeLong(r + FeedLayout.KEY_HASH_OFFSET, keyHash);
        MEMORY.writeLong(r + FeedLayout.ENTRY_OFFSET, entry);
        if (fits) {
            MEMORY.copyMemory(keyAddress, r + FeedLayout.KEY_OFFSET, keyLength);
        }
        MEMORY.writeLong(r + FeedLayout.CHECKSUM_OFFSET, checksum(n, r + FeedLayout.TYPE_OFFSET, fits ? keyLength : 0));
        MEMORY.writeOrderedLong(r + FeedLayout.STATE_OFFSET, FeedLayout.complete(n));
        if (MEMORY.readVolatileInt(base + FeedLayout.WAITERS_OFFSET) > 0) {
            view.wakeAll(viewOffset + FeedLayout.TAIL_OFFSET);
        }
    }

    /** The checksum of record {@code n} over its fields at {@code fields} and its key. */
    private static long checksum(long n, long fields, int keyLength) {
        return Hashing.hash(CHECKSUM_SEED ^ n, fields, FIELDS + (long) keyLength);
    }

    private long recordAddress(long sequence) {
        return base + FeedLayout.HEADER_LENGTH + (sequence & (capacity - 1)) * (long) recordSize;
    }

    // ---------------------------------------------------------------- reading

    /** Records claimed so far: complete, or being written. */
    long tail() {
        return MEMORY.readVolatileLong(base + FeedLayout.TAIL_OFFSET);
    }

    /**
     * Copies record {@code n} (its fields from {@code type} through the key) into {@code copy} if it is
     * complete and its copy is consistent, and says what was found.
     *
     * @return {@link #COMPLETE} (the copy holds the record), {@link #OVERWRITTEN} (a later record took
     *         its place), {@link #INCOMPLETE} (not yet written, or being written: see {@link #writer}), or
     *         {@link #DAMAGED} (complete, but its fields do not hold its checksum)
     */
    int read(long n, Bytes<Void> copy) {
        long r = recordAddress(n);
        long state = MEMORY.readVolatileLong(r + FeedLayout.STATE_OFFSET);
        if (state > FeedLayout.complete(n)) {
            return OVERWRITTEN;
        }
        if (state < FeedLayout.complete(n)) {
            return INCOMPLETE; // never written, still an earlier lap's, or WRITING (negative)
        }
        int keyLength = MEMORY.readInt(r + FeedLayout.KEY_LENGTH_OFFSET);
        int copied = FIELDS + (keyLength > 0 && keyLength <= keyCapacity ? keyLength : 0);
        copy.clear();
        MEMORY.copyMemory(r + FeedLayout.TYPE_OFFSET, copy.addressForWrite(0), copied);
        copy.writePosition(copied);
        long sum = MEMORY.readLong(r + FeedLayout.CHECKSUM_OFFSET);
        MEMORY.loadFence();
        if (MEMORY.readVolatileLong(r + FeedLayout.STATE_OFFSET) != FeedLayout.complete(n)) {
            return OVERWRITTEN;
        }
        return sum == checksum(n, copy.addressForRead(0), copied - FIELDS) ? COMPLETE : DAMAGED;
    }

    /**
     * The process word of the writer of record {@code n}, which {@link #read} just found COMPLETE; 0
     * when the record is being overwritten meanwhile (its reader is about to be lapped). The word is
     * written before the record's state, so a complete state is preceded by its writer's word; an
     * appender a lap later writes its own word only after claiming its sequence, hence the tail check.
     */
    long writerOfComplete(long n) {
        long r = recordAddress(n);
        long writer = MEMORY.readVolatileLong(r + FeedLayout.WRITER_OFFSET);
        MEMORY.loadFence();
        return MEMORY.readVolatileLong(r + FeedLayout.STATE_OFFSET) == FeedLayout.complete(n) && tail() - n <= capacity
                ? writer : 0;
    }

    /** The process word of record {@code n}'s writer, read after {@link #read} said INCOMPLETE. */
    long writer(long n) {
        long r = recordAddress(n);
        return MEMORY.readVolatileLong(r + FeedLayout.STATE_OFFSET) == FeedLayout.WRITING
                ? MEMORY.readVolatileLong(r + FeedLayout.WRITER_OFFSET) : 0;
    }

    /** Field accessors on a {@link #read} copy: the type code, without its flags... */
    static int type(Bytes<Void> copy) {
        return copy.readInt(0) & FeedLayout.TYPE_MASK;
    }

    /** ...the flags beside it ({@link FeedLayout#REPLACED}, or bits no writer sets: damage)... */
    static int typeFlags(Bytes<Void> copy) {
        return copy.readInt(0) & ~FeedLayout.TYPE_MASK;
    }

    /** ...and the rest. */

    static int keyLength(Bytes<Void> copy) {
        return copy.readInt(FeedLayout.KEY_LENGTH_OFFSET - FeedLayout.TYPE_OFFSET);
    }

    // ---------------------------------------------------------------- sleeping

    /**
     * Sleeps while {@code tail} still reads {@code seen}, up to {@code nanos}: a futex wait on its low
     * half, counted in {@code waiters} where the mapping is writable (writers wake only counted
     * sleepers; a read-only sleeper polls).
     */
    void sleep(long seen, long nanos) {
        if (writable) {
            SharedAtomics.addInt(base + FeedLayout.WAITERS_OFFSET, 1);
        }
        try {
            if (tail() == seen && !store.isClosed()) {
                view.waitWhileEquals(viewOffset + FeedLayout.TAIL_OFFSET, (int) seen, Duration.ofNanos(nanos));
            }
        } finally {
            if (writable) {
                SharedAtomics.addInt(base + FeedLayout.WAITERS_OFFSET, -1);
            }
        }
    }

    /**
     * Wakes every cursor asleep on this ring, in any process (others find nothing new and sleep
     * again): the store's close, after which this process's sleepers return false.
     */
    void wakeSleepers() {
        try {
            view.wakeAll(viewOffset + FeedLayout.TAIL_OFFSET);
        } catch (IllegalStateException unmapped) {
            // nothing was in flight, so the store was unmapped already, and no cursor of ours sleeps
        }
    }

    // ---------------------------------------------------------------- verification

    /**
     * Adds a line per problem of the feed to {@code problems}: a negative tail or waiter count, records
     * in the wrong place, ahead of the tail or failing their checksum, and a tail a lap or more ahead
     * of the newest record. Runs while writers append: a record that changes while it is checked is
     * left alone.
     */
    void verify(List<String> problems) {
        String where = "change feed: ";
        long tail = tail();
        if (tail < 0) {
            problems.add(where + "tail (records claimed) is " + tail + ", negative");
            return;
        }
        int waiters = MEMORY.readVolatileInt(base + FeedLayout.WAITERS_OFFSET);
        if (waiters < 0) {
            problems.add(where + "waiter count is " + waiters + ", negative");
        }
        long newest = -1;
        long wrong = 0;
        String first = null;
        Bytes<Void> copy = Bytes.allocateElasticDirect(FIELDS + keyCapacity);
        try {
            for (int i = 0; i < capacity; i++) {
                long r = base + FeedLayout.HEADER_LENGTH + (long) i * recordSize;
                long state = MEMORY.readVolatileLong(r + FeedLayout.STATE_OFFSET);
                if (state == FeedLayout.NEVER_WRITTEN || state == FeedLayout.WRITING) {
                    continue;
                }
                long n = state - 1;
                String problem = null;
                if (state < 0 || (n & (capacity - 1)) != i || n >= tail && n >= tail()) {
                    problem = "slot " + i + " holds record " + n + " (tail " + tail + ")";
                } else {
                    int found = read(n, copy);
                    if (found == DAMAGED) {
                        problem = "record " + n + " fails its checksum";
                    } else if (found == COMPLETE && (ChangeType.ofCode(type(copy)) == null
                            || (typeFlags(copy) & ~FeedLayout.REPLACED) != 0 || keyLength(copy) < -1
                            || keyLength(copy) > keyCapacity)) {
                        problem = "record " + n + " has type " + type(copy) + " and key length " + keyLength(copy);
                    } else if (found == COMPLETE) {
                        newest = Math.max(newest, n);
                    }
                }
                if (problem != null) {
                    wrong++;
                    if (first == null) {
                        first = problem;
                    }
                }
            }
        } finally {
            copy.releaseLast();
        }
        if (wrong > 0) {
            problems.add(where + wrong + " of " + capacity + " records are not what was appended there; the first: "
                    + first);
        }
        if (tail > 0 && newest < tail - capacity) {
            problems.add(where + "the tail says " + tail + " records were claimed, but the newest record in the ring is "
                    + newest + ", more than a lap (" + capacity + ") behind");
        }
    }

    /** A SIGBUS on the feed's mapping (its file was truncated while open) as the typed exception. */
    StoreCorruptedException fault(InternalError e) {
        return cut.fault(e);
    }

    /** @throws StoreCorruptedException when an earlier access to the store faulted */
    void checkNotCut() {
        cut.check();
    }
}
