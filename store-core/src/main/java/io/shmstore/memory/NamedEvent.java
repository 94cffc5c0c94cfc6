package io.shmstore.memory;

import io.shmstore.internal.memory.Backends;
import io.shmstore.internal.sync.EventHandle;
import io.shmstore.internal.platform.Names;
import io.shmstore.internal.platform.ObjectSpec;
import io.shmstore.internal.platform.ObjectType;

import java.nio.file.attribute.PosixFilePermission;
import java.time.Duration;
import java.util.Objects;
import java.util.Set;

/**
 * An event shared by name between processes, like a Windows event: one process sleeps in
 * {@link #await(Duration)} until another calls {@link #signal()}. On Linux the sleeper is a futex
 * waiter and wakes within microseconds of the signal; it spends no CPU while it waits.
 *
 * <ul>
 *   <li>{@link EventMode#AUTO_RESET}: a signal releases one waiter and the event resets; a signal with
 *       no waiter stays until one waiter consumes it.</li>
 *   <li>{@link EventMode#MANUAL_RESET}: a signal releases every waiter and stays until {@link #reset()}.</li>
 * </ul>
 * The mode is fixed by whoever creates the event; an opener that asks for another mode gets the
 * existing one ({@link #mode()} tells).
 */
public final class NamedEvent implements AutoCloseable {
    static final long OBJECT_SIZE = 4096;

    private final EventHandle handle;

    private NamedEvent(EventHandle handle) {
        this.handle = handle;
    }

    /**
     * Creates the event, or opens it if it exists, owner-only.
     *
     * @param name the name, in the namespace mappings and mutexes share
     * @param mode auto-reset or manual-reset, when created
     * @return the handle, which the caller closes
     */
    public static NamedEvent createOrOpen(String name, EventMode mode) {
        return createOrOpen(name, mode, SharedMemory.OWNER_ONLY);
    }

    /**
     * Creates the event with these permissions, or opens it if it exists.
     *
     * @param name        the name
     * @param mode        auto-reset or manual-reset, when created
     * @param permissions who may open it, when created
     * @return the handle, which the caller closes
     */
    public static NamedEvent createOrOpen(String name, EventMode mode, Set<PosixFilePermission> permissions) {
        return createOrOpen(name, mode, permissions, Set.of());
    }

    /**
     * As {@link #createOrOpen(String, EventMode, Set)}, also opening an existing event that one of
     * {@code trustedOwners} owns: users as {@link SharedMemory.Builder#trustOwner} takes them. Any other
     * owner but this process's user and root is refused with {@link io.shmstore.UntrustedOwnerException}.
     *
     * @param name          the name
     * @param mode          auto-reset or manual-reset, when created
     * @param permissions   who may open it, when created
     * @param trustedOwners other users whose event this may open
     * @return the handle, which the caller closes
     */
    public static NamedEvent createOrOpen(String name, EventMode mode, Set<PosixFilePermission> permissions,
                                          Set<String> trustedOwners) {
        Names.check(name);
        Objects.requireNonNull(mode, "mode");
        Objects.requireNonNull(permissions, "permissions");
        Objects.requireNonNull(trustedOwners, "trustedOwners").forEach(SharedMemory::checkOwner);
        return new NamedEvent(Backends.current().event(new ObjectSpec(name, null, ObjectType.EVENT, OBJECT_SIZE,
                Set.copyOf(permissions), Lifetime.UNTIL_LAST_CLOSE, null, trustedOwners, false), mode));
    }

    /**
     * Signals the event: an auto-reset event wakes one waiter (or the next to wait), a manual-reset one
     * every waiter until {@link #reset()}.
     */
    public void signal() {
        handle.signal();
    }

    /** Clears the signal (of use for a manual-reset event). */
    public void reset() {
        handle.reset();
    }

    /**
     * Waits up to {@code timeout} for the event to be signalled.
     *
     * @param timeout the longest wait
     * @return true when signalled, false when the time ran out or the handle was closed
     */
    public boolean await(Duration timeout) {
        Objects.requireNonNull(timeout, "timeout");
        if (timeout.isNegative()) {
            throw new IllegalArgumentException("timeout " + timeout + " is negative");
        }
        return handle.await(NamedMutex.saturatedNanos(timeout));
    }

    /**
     * How the event resets.
     *
     * @return its mode
     */
    public EventMode mode() {
        return handle.mode();
    }

    /**
     * The event's name.
     *
     * @return the name
     */
    public String name() {
        return handle.name();
    }

    @Override
    public void close() {
        handle.close();
    }

    @Override
    public String toString() {
        return "NamedEvent[" + name() + ", " + mode() + "]";
    }
}
