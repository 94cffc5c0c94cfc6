package io.shmstore.internal.platform;

import io.shmstore.internal.sync.Waiter;
import io.shmstore.internal.sync.ProcessProbe;
import io.shmstore.internal.sync.MutexHandle;
import io.shmstore.internal.sync.EventHandle;
import io.shmstore.internal.sync.SemaphoreHandle;
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
     * Creates an unnamed mapping ({@code spec.unnamed()}): memory no name leads to, which other processes
     * reach only through {@link #handOver}, and which goes when the last process holding it closes it or
     * exits.
     */
    Region createUnnamed(ObjectSpec spec);

    /**
     * Hands {@code region}, an unnamed mapping's, to another process with {@code access}, which the
     * region's own access allows (the caller checked).
     *
     * @param targetPid the receiving process, or 0 for a child this process is about to start
     * @throws IllegalStateException when the region is not an unnamed mapping's, or is closed
     * @throws UnsupportedOperationException where this platform cannot hand memory over
     */
    Handover handOver(Region region, Access access, long targetPid);

    /**
     * Opens an unnamed mapping handed to this process ({@link Handover#token()}), with {@code access},
     * which the token allows and is for this process (the caller checked).
     *
     * @throws io.shmstore.StoreNotFoundException when what it names is gone
     */
    Region receive(HandoverToken token, Access access);

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
     * Creates or opens the named semaphore ({@code spec.type() == SEMAPHORE}; on POSIX its initializer
     * writes the semaphore word).
     *
     * @throws io.shmstore.IncompatibleStoreException naming both when it exists with other permit counts
     */
    SemaphoreHandle semaphore(ObjectSpec spec, int initialPermits, int maxPermits);

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
