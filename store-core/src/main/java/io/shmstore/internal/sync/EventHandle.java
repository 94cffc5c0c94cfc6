package io.shmstore.internal.sync;

import io.shmstore.memory.EventMode;

/** A backend's cross-process event, auto-reset or manual-reset. */
public interface EventHandle {
    void signal();

    void reset();

    /** Waits up to {@code timeoutNanos}; true if signalled, false on timeout. */
    boolean await(long timeoutNanos);

    EventMode mode();

    String name();

    void close();
}
