package io.shmstore.tier;

import io.shmstore.IncompatibleStoreException;
import io.shmstore.memory.Access;
import io.shmstore.memory.MemoryView;
import io.shmstore.memory.SharedMemory;
import net.openhft.chronicle.bytes.BytesStore;

import static io.shmstore.tier.TierLayout.*;

/**
 * The host's view of the invalidation stream ({@link TierLayout}): which epoch of held copies may be
 * served, until when, and the host-wide counters. Every process of the host maps it.
 */
final class TierState implements AutoCloseable {
    /** Epochs a new listener starts from: wall-clock milliseconds times 1,024. */
    private static final int CLOCK_SHIFT = 10;

    private final SharedMemory memory;
    private final MemoryView view;
    private final BytesStore<?, Void> bytes;

    private TierState(SharedMemory memory) {
        this.memory = memory;
        this.view = memory.map(0, SIZE, Access.READ_WRITE);
        this.bytes = view.bytes();
    }

    static TierState createOrOpen(String storeName) {
        SharedMemory memory = SharedMemory.createOrOpen(stateName(storeName), SIZE);
        TierState state = new TierState(memory);
        try {
            state.checkMagic();
        } catch (RuntimeException e) {
            state.close();
            throw e;
        }
        return state;
    }

    private void checkMagic() {
        if (!bytes.compareAndSwapLong(MAGIC_OFFSET, 0, MAGIC)) {
            long found = bytes.readVolatileLong(MAGIC_OFFSET);
            if (found != MAGIC) {
                throw new IncompatibleStoreException("\"" + memory.name() + "\" is not a Redis tier's state: its magic is 0x"
                        + Long.toHexString(found) + ", expected 0x" + Long.toHexString(MAGIC));
            }
        }
    }

    /**
     * The epoch whose copies may be served now, or -1 when none may: no listener holds a live stream,
     * or its lease ran out.
     */
    long trustedEpoch() {
        long epoch = bytes.readVolatileLong(EPOCH_OFFSET);
        long lease = bytes.readVolatileLong(LEASE_OFFSET);
        return (epoch & 1) == 0 && System.nanoTime() - lease < 0 ? epoch : -1;
    }

    long epoch() {
        return bytes.readVolatileLong(EPOCH_OFFSET);
    }

    /**
     * A break is known: nothing held may be served until {@link #trust}. Makes the epoch odd (raising
     * it past the clock seed, for a new listener) and returns it.
     */
    long untrust() {
        while (true) {
            long e = bytes.readVolatileLong(EPOCH_OFFSET);
            long seed = (System.currentTimeMillis() << CLOCK_SHIFT) | 1;
            long odd = Math.max((e & 1) != 0 ? e : e + 1, seed);
            if (odd == e || bytes.compareAndSwapLong(EPOCH_OFFSET, e, odd)) {
                bytes.writeVolatileLong(LEASE_OFFSET, 0);
                return odd;
            }
        }
    }

    /**
     * A new invalidation stream is live since before {@code sinceNanos}: starts the even epoch after
     * {@code odd} with a lease to {@code sinceNanos + leaseNanos}. False when the epoch moved meanwhile
     * (another break).
     */
    boolean trust(long odd, long sinceNanos, long leaseNanos) {
        bytes.writeVolatileLong(LEASE_OFFSET, sinceNanos + leaseNanos);
        return bytes.compareAndSwapLong(EPOCH_OFFSET, odd, odd + 1);
    }

    /** Every held copy is dropped at once and the stream goes on (Redis flushed its keys): epoch + 2. */
    void dropAll(long epoch) {
        bytes.compareAndSwapLong(EPOCH_OFFSET, epoch, epoch + 2);
    }

    /** Raises the lease to {@code deadline} if the epoch is still {@code epoch}. */
    void renew(long epoch, long deadline) {
        while (bytes.readVolatileLong(EPOCH_OFFSET) == epoch) {
            long lease = bytes.readVolatileLong(LEASE_OFFSET);
            if (deadline - lease <= 0 || bytes.compareAndSwapLong(LEASE_OFFSET, lease, deadline)) {
                return;
            }
        }
    }

    void listener(long pid, boolean abandoned) {
        bytes.writeVolatileLong(LISTENER_PID_OFFSET, pid);
        add(TAKEOVERS_OFFSET, 1);
        if (abandoned) {
            add(ABANDONED_TAKEOVERS_OFFSET, 1);
        }
    }

    void invalidated(int keys) {
        add(INVALIDATIONS_OFFSET, keys);
        bytes.writeVolatileLong(LAST_INVALIDATION_OFFSET, System.nanoTime());
    }

    void redisRead() {
        add(REDIS_READS_OFFSET, 1);
    }

    void redisWrite() {
        add(REDIS_WRITES_OFFSET, 1);
    }

    long read(int offset) {
        return bytes.readVolatileLong(offset);
    }

    private void add(int offset, long delta) {
        while (true) {
            long v = bytes.readVolatileLong(offset);
            if (bytes.compareAndSwapLong(offset, v, v + delta)) {
                return;
            }
        }
    }

    @Override
    public void close() {
        view.close();
        memory.close();
    }
}
