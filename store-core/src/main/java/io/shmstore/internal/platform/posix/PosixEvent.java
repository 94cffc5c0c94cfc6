package io.shmstore.internal.platform.posix;

import io.shmstore.internal.sync.Lifecycle;
import io.shmstore.internal.sync.EventHandle;
import io.shmstore.internal.platform.Mapping;
import io.shmstore.internal.sync.EventWord;
import io.shmstore.internal.sync.LockWordMutex;
import io.shmstore.memory.EventMode;

/**
 * A named event: an {@link EventWord} at offset 0 of an EVENT object's user area. Every call is a use
 * of the handle's {@link Lifecycle}, so closing it while another thread signals or waits never unmaps
 * the word under that thread: a waiter returns false, and the word is unmapped after the last call.
 */
final class PosixEvent implements EventHandle {
    private final PosixRegion region;
    private final Mapping word;
    private final EventWord event;
    private final Lifecycle life;

    PosixEvent(PosixRegion region, PosixBackend backend) {
        this.region = region;
        try {
            this.word = region.mapControlWord();
        } catch (RuntimeException e) {
            region.close();
            throw e;
        }
        this.event = new EventWord(word.address(), backend.waiter());
        this.life = Lifecycle.single("event \"" + region.name() + "\"");
    }

    @Override
    public void signal() {
        int use = life.enter();
        try {
            event.signal();
        } finally {
            life.exit(use);
        }
    }

    @Override
    public void reset() {
        int use = life.enter();
        try {
            event.reset();
        } finally {
            life.exit(use);
        }
    }

    @Override
    public boolean await(long timeoutNanos) {
        int use = life.enter();
        try {
            return event.await(timeoutNanos);
        } finally {
            life.exit(use);
        }
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
    public void close() {
        if (life.close(this::unmap)) {
            event.cancelWaits();
            life.awaitQuiet(LockWordMutex.CLOSE_WAIT_NANOS);
        }
    }

    private void unmap() {
        word.unmap();
        region.close();
    }
}
