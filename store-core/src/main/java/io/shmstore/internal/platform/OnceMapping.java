package io.shmstore.internal.platform;

import java.util.concurrent.atomic.AtomicBoolean;

/** A {@link Mapping} whose {@link #unmap()} releases the memory once, however often it is called. */
public abstract class OnceMapping implements Mapping {
    private final long address;
    private final long length;
    private final boolean writable;
    private final AtomicBoolean unmapped = new AtomicBoolean();

    protected OnceMapping(long address, long length, boolean writable) {
        this.address = address;
        this.length = length;
        this.writable = writable;
    }

    @Override
    public final long address() {
        return address;
    }

    @Override
    public final long length() {
        return length;
    }

    @Override
    public final boolean writable() {
        return writable;
    }

    @Override
    public final void unmap() {
        if (unmapped.compareAndSet(false, true)) {
            release();
        }
    }

    @Override
    public final Runnable retire() {
        if (!unmapped.get()) {
            replaceWithPlaceholder();
        }
        return this::unmap;
    }

    /** Gives the memory back to the operating system; called at most once. */
    protected abstract void release();

    /**
     * Replaces the mapped range in place with private zero-filled memory that {@link #release()} frees
     * as it would the mapping (see {@link Mapping#retire()}); does nothing where that is impossible.
     */
    protected void replaceWithPlaceholder() {
    }
}
