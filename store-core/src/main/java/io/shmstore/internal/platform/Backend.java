package io.shmstore.internal.platform;

import io.shmstore.internal.sync.Waiter;
import io.shmstore.internal.sync.ProcessProbe;
import io.shmstore.internal.sync.MutexHandle;
import io.shmstore.internal.sync.EventHandle;
import io.shmstore.memory.Access;
import io.shmstore.memory.EventMode;

import java.nio.file.Path;

/**
 * One operating system's implementation of the named-object model. Chosen once per process by
 * {@link Backends#current()}; the memory layer is its only caller.
 *
 * <p>Contract shared by every backend (and checked by the same contract tests):
 * <ul>
 *   <li>creation is atomic: an opener never sees a partly initialised object;</li>
 *   <li>exactly one of many concurrent {@link #createOrOpen} calls reports {@link Region#created()};</li>
 *   <li>one namespace for all {@link ObjectType}s; a name of another type fails with
 *       {@code IncompatibleStoreException} naming the type found;</li>
 *   <li>{@code StoreNotFoundException} for an absent name, {@code StoreExistsException} for a taken one;</li>
 *   <li>every open of an existing object (open, the open of createOrOpen, observe, mutexes and events)
 *       checks its owner first: this process's user, root (an administrator on Windows) or one of
 *       {@link ObjectSpec#trustedOwners()}, else {@code UntrustedOwnerException} naming both users.</li>
 * </ul>
 */
public interface Backend {
    /** Short name for messages and reports: "linux", "posix-nio", "windows". */
    String name();

    /** Where memory-only objects live, for backends that use files; {@code null} otherwise. */
    Path directory();

    Region create(ObjectSpec spec);

    Region open(ObjectSpec spec, Access access);

    Region createOrOpen(ObjectSpec spec);

    /**
     * Opens an existing object read-only without taking part in its lifetime: the handle neither keeps
     * an until-last-close object alive nor removes one whose processes all exited, as every other open
     * does. For tools that look at objects and must change nothing.
     */
    Region observe(ObjectSpec spec);

    /** Creates or opens the named mutex ({@code spec.type() == MUTEX}). */
    MutexHandle mutex(ObjectSpec spec);

    /** Creates or opens the named event ({@code spec.type() == EVENT}). */
    EventHandle event(ObjectSpec spec, EventMode mode);

    /**
     * The named objects in this backend's namespace (empty where it cannot enumerate them: Windows).
     *
     * @throws io.shmstore.StoreNotFoundException naming the directory when it does not exist
     */
    java.util.List<io.shmstore.memory.NamedObjectInfo> list();

    /**
     * Checks that {@code user} names a user of this host: a user name, or a numeric uid on POSIX, an
     * account name or a SID string on Windows.
     *
     * @throws IllegalArgumentException naming {@code user} when there is none
     */
    void checkUser(String user);

    /** What this backend can do where backends differ; the same value on every call. */
    io.shmstore.memory.Capabilities capabilities();

    ProcessProbe processes();

    Waiter waiter();
}
