package io.shmstore.internal.store;

import io.shmstore.ChangeCursor;
import io.shmstore.ChangeFeed;
import io.shmstore.ChangeListener;
import io.shmstore.ChangeType;
import io.shmstore.Codec;
import io.shmstore.StoreCorruptedException;
import io.shmstore.internal.memory.Lifecycle;
import io.shmstore.internal.memory.MemoryFaults;
import io.shmstore.internal.memory.SharedAtomics;
import io.shmstore.memory.MemoryView;
import io.shmstore.memory.NamedMutex;
import net.openhft.chronicle.bytes.Bytes;
import net.openhft.chronicle.core.Memory;
import net.openhft.chronicle.core.OS;

import java.time.Duration;
import java.util.Objects;

/**
 * The change feed ring of one store (protocol in {@link FeedLayout}). Writers append under the feed's
 * lock word; readers never lock and never write, except a sleeping cursor's waiter count.
 *
 * <p>Every call that reads the ring is a use of the store's {@link Lifecycle}, so a store closed
 * meanwhile is unmapped only after it; a cursor asleep in {@code await} is woken by the close and
 * returns false. A cursor's own buffer is freed by its close, or by the call in flight when it closed.
 */
final class ChangeRing<K> implements ChangeFeed<K>, FeedSink {
    private static final Memory MEMORY = OS.memory();
    private static final long MAX_SLEEP_NANOS = 100_000_000L;

    private final long base;
    private final long viewOffset;
    private final int capacity;
    private final int recordSize;
    private final int keyCapacity;
    private final NamedMutex lock;
    private final MemoryView view;
    private final boolean writable;
    private final Codec<K> keyCodec;
    private final Duration lockTimeout;
    private final String name;
    private final Lifecycle store;

    ChangeRing(String name, MemoryView view, long viewOffset, int capacity, int recordSize, NamedMutex lock,
               boolean writable, Codec<K> keyCodec, Duration lockTimeout, Lifecycle store) {
        this.name = name;
        this.store = store;
        this.view = view;
        this.viewOffset = viewOffset;
        this.base = view.bytes().addressForRead(viewOffset);
        this.capacity = capacity;
        this.recordSize = recordSize;
        this.keyCapacity = recordSize - FeedLayout.KEY_OFFSET;
        this.lock = lock;
        this.writable = writable;
        this.keyCodec = keyCodec;
        this.lockTimeout = lockTimeout;
    }

    @Override
    public void record(ChangeType type, long keyAddress, int keyLength, long keyHash, long entry) {
        lock.acquire(lockTimeout);
        try {
            long n = MEMORY.readVolatileLong(base + FeedLayout.PUBLISHED_OFFSET);
            long r = recordAddress(n);
            MEMORY.writeOrderedLong(r + FeedLayout.SEQUENCE_OFFSET, -1);
            MEMORY.writeInt(r + FeedLayout.TYPE_OFFSET, type.code());
            boolean fits = keyLength >= 0 && keyLength <= keyCapacity;
            MEMORY.writeInt(r + FeedLayout.KEY_LENGTH_OFFSET, fits ? keyLength : -1);
            MEMORY.writeLong(r + FeedLayout.KEY_HASH_OFFSET, keyHash);
            MEMORY.writeLong(r + FeedLayout.ENTRY_OFFSET, entry);
            if (fits) {
                MEMORY.copyMemory(keyAddress, r + FeedLayout.KEY_OFFSET, keyLength);
            }
            MEMORY.writeOrderedLong(r + FeedLayout.SEQUENCE_OFFSET, n);
            MEMORY.writeVolatileLong(base + FeedLayout.PUBLISHED_OFFSET, n + 1);
            if (MEMORY.readVolatileInt(base + FeedLayout.WAITERS_OFFSET) > 0) {
                view.wakeAll(viewOffset + FeedLayout.PUBLISHED_OFFSET);
            }
        } finally {
            lock.release();
        }
    }

    /**
     * Adds a line per problem of the feed to {@code problems}: a negative published count or waiter
     * count, and records a reader would read (the last {@code min(published, capacity)}) that do not
     * carry their own sequence, or carry a type or key length out of range. Feed lock held meanwhile.
     */
    void verify(java.util.List<String> problems) {
        lock.acquire(lockTimeout);
        try {
            String where = "change feed: ";
            long published = published();
            if (published < 0) {
                problems.add(where + "published count is " + published + ", negative");
                return;
            }
            int waiters = MEMORY.readVolatileInt(base + FeedLayout.WAITERS_OFFSET);
            if (waiters < 0) {
                problems.add(where + "waiter count is " + waiters + ", negative");
            }
            long wrong = 0;
            String first = null;
            for (long n = Math.max(0, published - capacity); n < published; n++) {
                long r = recordAddress(n);
                long seq = MEMORY.readLong(r + FeedLayout.SEQUENCE_OFFSET);
                int type = MEMORY.readInt(r + FeedLayout.TYPE_OFFSET);
                int keyLength = MEMORY.readInt(r + FeedLayout.KEY_LENGTH_OFFSET);
                if (seq != n || ChangeType.ofCode(type) == null || keyLength < -1 || keyLength > keyCapacity) {
                    wrong++;
                    if (first == null) {
                        first = "record " + n + " holds sequence " + seq + ", type " + type + ", key length " + keyLength;
                    }
                }
            }
            if (wrong > 0) {
                problems.add(where + wrong + " of the last " + Math.min(published, capacity) + " records of "
                        + published + " published are not what was published there; the first: " + first);
            }
        } finally {
            lock.release();
        }
    }

    /** A SIGBUS on the feed's mapping (its file was truncated while open) as the typed exception. */
    private StoreCorruptedException fault(InternalError e) {
        return MemoryFaults.corrupted(e, "change feed of store \"" + name + "\"");
    }

    private long recordAddress(long sequence) {
        return base + FeedLayout.HEADER_LENGTH + (sequence & (capacity - 1)) * (long) recordSize;
    }

    long published() {
        return MEMORY.readVolatileLong(base + FeedLayout.PUBLISHED_OFFSET);
    }

    @Override
    public long lastSequence() {
        int use = store.enter();
        try {
            return published() - 1;
        } finally {
            store.exit(use);
        }
    }

    /**
     * Wakes every cursor asleep in {@code await} on this ring, in any process (others find nothing new
     * and sleep again): used by the store's close, after which this process's sleepers return false.
     */
    void wakeSleepers() {
        try {
            view.wakeAll(viewOffset + FeedLayout.PUBLISHED_OFFSET);
        } catch (IllegalStateException unmapped) {
            // nothing was in flight, so the store was unmapped already, and no cursor of ours sleeps
        }
    }

    @Override
    public int capacity() {
        return capacity;
    }

    @Override
    public ChangeCursor<K> cursor() {
        int use = store.enter();
        try {
            return new Cursor(published());
        } finally {
            store.exit(use);
        }
    }

    @Override
    public ChangeCursor<K> cursorFrom(long sequence) {
        if (sequence < 0) {
            throw new IllegalArgumentException("sequence " + sequence + " is negative");
        }
        store.checkOpen();
        return new Cursor(sequence);
    }

    private static long saturatedNanos(Duration d) {
        try {
            return Math.max(0, d.toNanos());
        } catch (ArithmeticException overflow) {
            return Long.MAX_VALUE / 2;
        }
    }

    /** One reader's position; copies each record into its own scratch before trusting it. */
    private final class Cursor implements ChangeCursor<K> {
        private final Bytes<Void> key = Bytes.allocateElasticDirect(keyCapacity);
        private final Lifecycle life = Lifecycle.single("change cursor of store \"" + name + "\"");
        private long next;
        private long lost;

        Cursor(long next) {
            this.next = next;
        }

        @Override
        public int poll(ChangeListener<? super K> listener, int max) {
            Objects.requireNonNull(listener, "listener");
            long uses = enter();
            try {
                int delivered = deliver(listener, max);
                MemoryFaults.raisePending();
                return delivered;
            } catch (InternalError e) {
                throw fault(e);
            } finally {
                exit(uses);
            }
        }

        /** One use of the cursor (its buffer) and one of the store (its mapping), as one token. */
        private long enter() {
            int mine = life.enter();
            try {
                return (long) mine << 32 | store.enter() & 0xFFFF_FFFFL;
            } catch (IllegalStateException closed) {
                life.exit(mine);
                throw closed;
            }
        }

        private void exit(long uses) {
            store.exit((int) uses);
            life.exit((int) (uses >>> 32));
        }

        private int deliver(ChangeListener<? super K> listener, int max) {
            int delivered = 0;
            long published = published();
            while (delivered < max && next < published) {
                if (published - next > capacity) {
                    long oldest = published - capacity;
                    lost += oldest - next;
                    listener.onLapped(oldest - next, oldest);
                    next = oldest;
                }
                long r = recordAddress(next);
                if (MEMORY.readVolatileLong(r + FeedLayout.SEQUENCE_OFFSET) != next) {
                    published = published();
                    if (published - next <= capacity) {
                        throw new StoreCorruptedException("change feed of store \"" + name + "\": record " + next
                                + " is not in the ring although " + published + " were published");
                    }
                    continue;
                }
                int type = MEMORY.readInt(r + FeedLayout.TYPE_OFFSET);
                int keyLength = MEMORY.readInt(r + FeedLayout.KEY_LENGTH_OFFSET);
                key.clear();
                if (keyLength > 0 && keyLength <= keyCapacity) {
                    key.ensureCapacity(keyLength);
                    MEMORY.copyMemory(r + FeedLayout.KEY_OFFSET, key.addressForWrite(0), keyLength);
                    key.writePosition(keyLength);
                }
                MEMORY.loadFence();
                if (MEMORY.readVolatileLong(r + FeedLayout.SEQUENCE_OFFSET) != next) {
                    published = published();
                    continue;
                }
                ChangeType t = ChangeType.ofCode(type);
                if (t == null || keyLength > keyCapacity) {
                    throw new StoreCorruptedException("change feed of store \"" + name + "\": record " + next
                            + " has type " + type + " and key length " + keyLength);
                }
                K k = keyLength >= 0 && t != ChangeType.CLEAR ? decodeKey(next, keyLength) : null;
                listener.onChange(next, t, k);
                next++;
                delivered++;
            }
            return delivered;
        }

        /**
         * The record's key bytes through the key codec. The bytes were copied consistently (the sequence
         * did not move) and were written by the same codec (the header's fingerprint says so), so bytes
         * that do not decode are damage: the codec's own exception (Chronicle's
         * BufferUnderflowException for a length that overruns the bytes, for one) would escape the
         * typed contract for a corrupt mapping.
         */
        private K decodeKey(long sequence, int keyLength) {
            try {
                return keyCodec.read(key, null);
            } catch (RuntimeException e) {
                throw new StoreCorruptedException("change feed of store \"" + name + "\": the key of record " + sequence
                        + " (" + keyLength + " bytes) does not decode with codec " + keyCodec.id() + ": " + e, e);
            }
        }

        /**
         * Returns false when the store is closed while this waits (it wakes the sleepers), or within one
         * sleep ({@value #MAX_SLEEP_NANOS} ns at most) when the cursor is.
         */
        @Override
        public boolean await(Duration timeout) {
            long uses = enter();
            try {
                boolean published = awaitPublished(timeout);
                MemoryFaults.raisePending();
                return published;
            } catch (InternalError e) {
                throw fault(e);
            } finally {
                exit(uses);
            }
        }

        private boolean awaitPublished(Duration timeout) {
            long deadline = System.nanoTime() + saturatedNanos(timeout);
            long wordOffset = viewOffset + FeedLayout.PUBLISHED_OFFSET;
            while (true) {
                long published = published();
                if (published > next) {
                    return true;
                }
                long left = deadline - System.nanoTime();
                if (left <= 0 || store.isClosed() || life.isClosed()) {
                    return false;
                }
                if (writable) {
                    SharedAtomics.addInt(base + FeedLayout.WAITERS_OFFSET, 1);
                }
                try {
                    if (published() == published && !store.isClosed()) {
                        view.waitWhileEquals(wordOffset, (int) published, Duration.ofNanos(
                                Math.min(left, writable ? MAX_SLEEP_NANOS : 1_000_000L)));
                    }
                } finally {
                    if (writable) {
                        SharedAtomics.addInt(base + FeedLayout.WAITERS_OFFSET, -1);
                    }
                }
            }
        }

        @Override
        public long nextSequence() {
            life.checkOpen();
            return next;
        }

        @Override
        public long lost() {
            life.checkOpen();
            return lost;
        }

        /** Does not wait: a call in flight on another thread frees the buffer when it ends. */
        @Override
        public void close() {
            if (life.close(key::releaseLast)) {
                life.awaitQuiet(0);
            }
        }
    }
}
