package io.shmstore.internal.platform.windows;

import io.shmstore.internal.platform.Backend;
import io.shmstore.internal.platform.Handover;
import io.shmstore.internal.platform.HandoverToken;
import io.shmstore.internal.sync.EventHandle;
import io.shmstore.internal.sync.MutexHandle;
import io.shmstore.internal.sync.SemaphoreHandle;
import io.shmstore.internal.platform.Names;
import io.shmstore.internal.platform.ObjectSpec;
import io.shmstore.internal.sync.ProcessProbe;
import io.shmstore.internal.platform.Region;
import io.shmstore.internal.sync.Waiter;
import io.shmstore.internal.sync.BackoffWaiter;
import io.shmstore.memory.Access;
import io.shmstore.memory.Capabilities;
import io.shmstore.memory.EventMode;

import java.nio.file.Path;

/**
 * The named-object model on Win32 kernel objects, which is the model it was taken from: a section
 * ({@code CreateFileMapping}) for memory, a kernel mutex and a kernel event.
 *
 * <p><b>Names.</b> Object {@code x} is the kernel object {@code Local\shmstore.x}, whatever its type,
 * so mappings, mutexes, events and semaphores share one namespace as the contract requires; the kernel enforces
 * it by failing with {@code ERROR_INVALID_HANDLE} when a name exists as another type, and the backend
 * then opens the name as each type to say what is there ({@link Win32Errors#heldByOtherType}), in the
 * POSIX backends' words: {@code IncompatibleStoreException} for an open, {@code StoreExistsException}
 * for an exclusive create. Helper objects are named {@code Local\shmstore!owner.x} (a mutex's owner
 * record) and {@code Local\shmstore!file.<id>} (a file's section): object names cannot contain
 * {@code !}. {@code Local\} is the caller's logon session; services and other sessions need {@code
 * Global\}, which this backend does not use.
 *
 * <p><b>Lifetime.</b> The kernel counts handles across processes and removes an object when the last
 * one closes, or its process dies: that is {@code UNTIL_LAST_CLOSE}, with no attach table (the
 * header's table stays empty). A memory-only section cannot outlive its handles, so {@code
 * PERSISTENT} memory-only creation throws {@code UnsupportedOperationException}; file-backed
 * mappings are the persistent option and the only lifetime they support, until {@code destroy()}
 * deletes the file. Conversely {@code destroy()} of a memory-only region can only mark it destroyed
 * and close its own handle: the name lasts until every other handle closes too, and meanwhile opens
 * fail with {@code StoreNotFoundException} and creates with {@code StoreExistsException} saying so.
 * Whether Windows deletes a file while a view of it is mapped depends on its version; where it does
 * not, destroying a file-backed mapping with views open fails naming the file. Each of these is a
 * flag of {@link Capabilities}, false here.
 *
 * <p><b>Header.</b> Every section starts with the {@link io.shmstore.internal.platform.ObjectHeader}.
 * A named section is visible as soon as it is created, so the header cannot be finished under
 * another name first as on POSIX; the creator writes the magic last and openers wait for it (see
 * {@link Headers}).
 *
 * <p><b>Alignment.</b> View offsets must be multiples of the allocation granularity (64 KiB), not of
 * the page size; views are mapped from the rounded-down offset and point at the requested byte.
 *
 * <p><b>Semaphores</b> are kernel semaphores, which record no holder: the permits of a process that
 * dies are lost, where the POSIX backends give them back (see {@link WindowsSemaphore}).
 *
 * <p><b>Mutexes</b> are kernel mutexes, so a dead owner shows as {@code WAIT_ABANDONED} ({@code
 * Ownership.ABANDONED}) with no polling, and a waiter sleeps in the kernel until the owner releases;
 * the kernel allows recursive acquisition, which this backend refuses, and does not report the
 * owner's process, which an owner record beside the mutex does (see {@link WindowsMutex}).
 * <b>Events</b> are kernel events; an existing event keeps the reset mode it was created with, which
 * {@code NtQueryEvent} reads (see {@link WindowsEvent}). Lock words inside views (the store's segment
 * locks) have no kernel object to wait on: their waiters use {@link BackoffWaiter}, whose sleeps on
 * Windows last at least a timer tick (see there).
 *
 * <p><b>Security.</b> Every object and backing file is created with an explicit descriptor: owned by
 * the creating account, with a protected DACL giving that account all access, and, when group or
 * others read or write is asked for, read or read and write to Everyone ({@link SecurityAttributes},
 * which also says what "owner" means for an elevated creator). A descriptor that cannot be built
 * fails the creation with {@code StoreException}, never a fallback to the default. {@code
 * CreateMutex}, {@code CreateEvent} and {@code CreateFileMapping} ask for all access on an existing
 * name, which such a DACL does not give other users, so on {@code ERROR_ACCESS_DENIED} they open it
 * with the rights they were granted. Every open of an existing object checks its owner first
 * ({@link WindowsOwners}), as the POSIX backends check the file's.
 *
 * <p><b>Verified how.</b> No Windows JVM runs this project's tests. The Win32 call sequences of each
 * operation are replayed by a C program under Wine in every CI run, and its answers are compared with
 * {@link Win32Facts}, the values this code is written against ({@code store-core/src/test/win32/}); the Java code
 * itself has only been compiled.
 *
 * <p>No Win32 call runs when this class loads or is constructed: {@code Backends} loads it on every
 * operating system, and it binds Kernel32 on first use.
 */
public final class WindowsBackend implements Backend {
    private final WindowsProcesses processes = new WindowsProcesses();
    private final Waiter waiter = new BackoffWaiter();
    private final Sections sections = new Sections(processes);
    private final WindowsUnnamed unnamed = new WindowsUnnamed(processes);

    /** Makes no Win32 call; Kernel32 is bound by the first operation. */
    public WindowsBackend() {
    }

    /** The kernel object name of ShmStore object {@code name}, for any type. */
    static String kernelName(String name) {
        return "Local\\" + Names.FILE_PREFIX + name;
    }

    /** "memory \"x\"" or "memory \"C:\\data\\f\"", for messages. */
    static String describe(ObjectSpec spec) {
        return spec.type().label() + " " + Names.quote(spec.displayName());
    }

    @Override
    public String name() {
        return "windows";
    }

    /** Always {@code null}: memory-only objects are kernel objects, not files. */
    @Override
    public Path directory() {
        return null;
    }

    @Override
    public Region create(ObjectSpec spec) {
        return sections.create(spec, false);
    }

    @Override
    public Region open(ObjectSpec spec, Access access) {
        return sections.open(spec, access);
    }

    @Override
    public Region createOrOpen(ObjectSpec spec) {
        return sections.create(spec, true);
    }

    @Override
    public Region createUnnamed(ObjectSpec spec) {
        return sections.createUnnamed(spec);
    }

    /** See {@link WindowsUnnamed}. */
    @Override
    public Handover handOver(Region region, Access access, long targetPid) {
        return unnamed.handOver(region, access, targetPid);
    }

    @Override
    public Region receive(HandoverToken token, Access access) {
        return unnamed.receive(token, access);
    }

    /** The kernel counts handles, so there is no lifetime to keep out of: an ordinary read-only open. */
    @Override
    public Region observe(ObjectSpec spec) {
        return sections.open(spec, Access.READ_ONLY);
    }

    @Override
    public void checkUser(String user) {
        if (WindowsOwners.sidOf(user) == null) {
            throw new IllegalArgumentException("no account " + Names.quote(user)
                    + " on this host: trustOwner takes an account name (DOMAIN\\user) or a SID string (S-1-...)");
        }
    }

    @Override
    public MutexHandle mutex(ObjectSpec spec) {
        return WindowsMutex.open(spec, processes);
    }

    @Override
    public EventHandle event(ObjectSpec spec, EventMode mode) {
        return WindowsEvent.open(spec, mode);
    }

    @Override
    public SemaphoreHandle semaphore(ObjectSpec spec, int initialPermits, int maxPermits) {
        return WindowsSemaphore.open(spec, initialPermits, maxPermits);
    }

    /** Win32 offers no enumeration of a session's named kernel objects; nothing is listed. */
    @Override
    public java.util.List<io.shmstore.memory.NamedObjectInfo> list() {
        return java.util.List.of();
    }

    /** See {@link Capabilities}: Windows keeps none of the promises that differ between platforms. */
    @Override
    public Capabilities capabilities() {
        return new Capabilities(false, false, false, false, false, false, false, false);
    }

    @Override
    public ProcessProbe processes() {
        return processes;
    }

    @Override
    public Waiter waiter() {
        return waiter;
    }
}
