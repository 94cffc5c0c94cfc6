package io.shmstore.internal.platform;

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
 *   <li>{@code StoreNotFoundException} for an absent name, {@code StoreExistsException} for a taken one.</li>
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

    /** Creates or opens the named mutex ({@code spec.type() == MUTEX}). */
    MutexHandle mutex(ObjectSpec spec);

    /** Creates or opens the named event ({@code spec.type() == EVENT}). */
    EventHandle event(ObjectSpec spec, EventMode mode);

    /** The named objects in this backend's namespace (empty where it cannot enumerate them: Windows). */
    java.util.List<io.shmstore.memory.NamedObjectInfo> list();

    ProcessProbe processes();

    Waiter waiter();
}
