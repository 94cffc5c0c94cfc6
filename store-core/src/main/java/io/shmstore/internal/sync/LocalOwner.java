package io.shmstore.internal.sync;

import java.util.concurrent.ConcurrentHashMap;

/**
 * The thread of this process that holds a cross-process lock. The shared lock word records only the
 * process; every handle on the same lock in this process shares one {@code LocalOwner}, found by the
 * lock's identity (file and offset), so ownership checks work across handles and a thread that died
 * holding the lock is recognised as an abandoning owner.
 */
public final class LocalOwner {
    private static final ConcurrentHashMap<Object, LocalOwner> REGISTRY = new ConcurrentHashMap<>();

    private final Object key;
    private int handles;
    volatile Thread owner;
    /**
     * The use the owning thread holds on the handle it acquired through ({@link LockWordMutex}): ended
     * by the release, through whichever handle, or by the thread that takes over from a dead owner
     * thread. Written and read only by the owning thread.
     */
    LockWordMutex leaseHandle;
    int leaseToken;

    private LocalOwner(Object key) {
        this.key = key;
    }

    /** The shared owner record for {@code key}; pair with {@link #unregister()}. */
    public static LocalOwner register(Object key) {
        return REGISTRY.compute(key, (k, v) -> {
            LocalOwner o = v == null ? new LocalOwner(k) : v;
            o.handles++;
            return o;
        });
    }

    /** Drops one handle's claim; the record goes when the last handle in this process goes. */
    public void unregister() {
        REGISTRY.computeIfPresent(key, (k, v) -> --v.handles == 0 ? null : v);
    }
}
