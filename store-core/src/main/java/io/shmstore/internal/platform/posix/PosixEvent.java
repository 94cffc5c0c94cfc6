package io.shmstore.internal.platform.posix;

import io.shmstore.internal.platform.EventHandle;
import io.shmstore.internal.platform.Mapping;
import io.shmstore.internal.sync.EventWord;
import io.shmstore.memory.EventMode;

/** A named event: an {@link EventWord} at offset 0 of an EVENT object's user area. */
final class PosixEvent implements EventHandle {
    private final PosixRegion region;
    private final Mapping word;
    private final EventWord event;
    private volatile boolean closed;

    PosixEvent(PosixRegion region, PosixBackend backend) {
        this.region = region;
        try {
            this.word = region.mapControlWord();
        } catch (RuntimeException e) {
            region.close();
            throw e;
        }
        this.event = new EventWord(word.address(), backend.waiter());
    }

    @Override
    public void signal() {
        checkOpen();
        event.signal();
    }

    @Override
    public void reset() {
        checkOpen();
        event.reset();
    }

    @Override
    public boolean await(long timeoutNanos) {
        checkOpen();
        return event.await(timeoutNanos);
    }

    @Override
    public EventMode mode() {
        return event.mode();
    }

    @Override
    public String name() {
        return region.name();
    }

    @Override
    public synchronized void close() {
        if (!closed) {
            closed = true;
            word.unmap();
            region.close();
        }
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("event \"" + region.name() + "\" is closed");
        }
    }
}
