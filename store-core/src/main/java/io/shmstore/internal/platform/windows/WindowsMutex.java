package io.shmstore.internal.platform.windows;

import com.sun.jna.Pointer;
import com.sun.jna.platform.win32.Kernel32;
import com.sun.jna.platform.win32.WinBase;
import com.sun.jna.platform.win32.WinNT;
import io.shmstore.LockTimeoutException;
import io.shmstore.internal.platform.Names;
import io.shmstore.internal.platform.ObjectSpec;
import io.shmstore.internal.sync.LockWord;
import io.shmstore.internal.sync.MutexHandle;
import io.shmstore.internal.sync.ProcessProbe;
import io.shmstore.memory.Ownership;
import net.openhft.chronicle.core.Memory;
import net.openhft.chronicle.core.OS;

import java.lang.ref.Reference;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A named Windows mutex. The kernel gives ownership to a thread and reports a dead owner with
 * {@code WAIT_ABANDONED}, as this contract wants, and a waiter sleeps in the kernel until the mutex is
 * released or abandoned. What it does differently:
 *
 * <p><b>Recursion.</b> An owner that waits again gets the mutex again. So this process records which
 * thread owns each mutex, in one {@link Holder} per name shared by all of its handles here, and refuses
 * a second acquire from the owner, whichever handle it comes through, before the kernel could grant it.
 *
 * <p><b>The owner's process.</b> Win32 does not say which process owns a mutex. So beside the mutex
 * {@code Local\shmstore.x} lives a one-page section {@code Local\shmstore!owner.x} (object names
 * cannot contain {@code !}, so no ShmStore name collides with it) whose first 8 bytes are the owner
 * word of {@link LockWord}: pid and start tag of the owning process, 0 when free. An acquirer writes
 * it once the kernel has granted the mutex and clears it before {@code ReleaseMutex}, both with
 * volatile stores, so {@link #ownerPid()} and a timed-out waiter's message name the owner, and
 * {@link #isAbandoned()} can tell a dead owner as on POSIX. Between an owner's wait and its store the
 * word is still 0 (or the previous, dead, owner's); that window is the one inexact answer.
 *
 * <p><b>Handles.</b> Holding the mutex is a call in progress on the handle it was acquired through
 * ({@link KernelHandle}), as on POSIX: that handle stays open while its thread holds the mutex, so
 * the holder may release after another thread closed the handle. {@link #close()} releases the mutex
 * only when the closing thread acquired it through this handle.
 *
 * <p>Ownership belongs to the OS thread, so {@code ReleaseMutex} must run on the thread that
 * acquired: use mutexes from platform threads (a virtual thread may resume on another carrier).
 * Acquire and release are system calls, contended or not.
 */
final class WindowsMutex implements MutexHandle {
    private static final ConcurrentHashMap<String, Holder> HOLDERS = new ConcurrentHashMap<>();
    /** Rounds of create-then-open for a mutex that keeps being deleted between the two. */
    private static final int MAX_ATTEMPTS = 100;
    /** What a handle here needs: waiting, and releasing ({@code MUTEX_MODIFY_STATE}). */
    private static final int USE_ACCESS = WinNT.SYNCHRONIZE | WinBase.MUTEX_MODIFY_STATE;
    /** Bytes of the owner section: one page. */
    private static final int STATE_BYTES = 4096;
    private static final Memory MEMORY = OS.memory();

    private final String name;
    private final String label;
    private final String kernelName;
    private final KernelHandle handle;
    private final long ownerWord;
    private final ProcessProbe processes;
    private final Holder holder;
    private final AtomicBoolean closed = new AtomicBoolean();

    /** The owning thread of one mutex in this process, shared by all handles here on that name. */
    private static final class Holder {
        int handles;
        volatile Thread owner;
        /** The handle the owner acquired through; its hold keeps that handle open. */
        volatile WindowsMutex via;
    }

    private WindowsMutex(String name, String kernelName, WinNT.HANDLE h, WinNT.HANDLE state, Pointer view,
                         ProcessProbe processes) {
        this.name = name;
        this.label = "mutex " + Names.quote(name);
        this.kernelName = kernelName;
        this.ownerWord = Pointer.nativeValue(view);
        this.processes = processes;
        this.handle = new KernelHandle(h, label, () -> {
            Kernel32.INSTANCE.UnmapViewOfFile(view);
            Win32.close(state);
        });
        this.holder = HOLDERS.compute(kernelName, (k, v) -> {
            Holder o = v == null ? new Holder() : v;
            o.handles++;
            return o;
        });
    }

    /** The kernel name of the section that records the owner of mutex {@code name}. */
    static String stateName(String name) {
        return "Local\\" + Names.FILE_PREFIX.replace('.', '!') + "owner." + name;
    }

    /**
     * {@code CreateMutex} without initial ownership: creates the name or opens the existing mutex.
     * On an existing name it asks for {@code MUTEX_ALL_ACCESS}, which a mutex another user created
     * with wider permissions does not grant: {@code ERROR_ACCESS_DENIED} then falls back to {@code
     * OpenMutex} with the rights a handle needs, and a mutex deleted in between is created again. The
     * owner section is created or opened the same way.
     */
    static WindowsMutex open(ObjectSpec spec, ProcessProbe processes) {
        String kernelName = WindowsBackend.kernelName(spec.name());
        SecurityAttributes security = SecurityAttributes.of(spec, SecurityAttributes.Kind.MUTEX);
        try {
            for (int attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
                WinNT.HANDLE h = Kernel32.INSTANCE.CreateMutex(security.attributes(), false, kernelName);
                int code = Win32.lastError();
                if (Win32.invalid(h) && code == Win32Facts.ACCESS_DENIED) {
                    h = Kernel32.INSTANCE.OpenMutex(USE_ACCESS | WinNT.READ_CONTROL, false, kernelName);
                    code = Win32.lastError();
                    if (Win32.invalid(h) && code == Win32Facts.NAME_ABSENT) {
                        continue;
                    }
                    if (!Win32.invalid(h)) {
                        code = Win32Facts.NAME_EXISTS;
                    }
                }
                if (Win32.invalid(h)) {
                    throw Win32Errors.forObject(code, spec, "cannot create or open");
                }
                if (code == Win32Facts.NAME_EXISTS) {
                    WindowsOwners.checkExisting(h, spec);
                }
                return withState(spec, kernelName, h, processes);
            }
        } finally {
            Reference.reachabilityFence(security);
        }
        throw Win32Errors.deniedThenGone(spec, MAX_ATTEMPTS);
    }

    /** Creates or opens the owner section of a mutex whose handle is {@code h}; closes {@code h} on failure. */
    private static WindowsMutex withState(ObjectSpec spec, String kernelName, WinNT.HANDLE h, ProcessProbe processes) {
        String stateName = stateName(spec.name());
        SecurityAttributes security = SecurityAttributes.of(spec, SecurityAttributes.Kind.MUTEX_STATE);
        WinNT.HANDLE state = null;
        Pointer view = null;
        try {
            state = Kernel32.INSTANCE.CreateFileMapping(WinBase.INVALID_HANDLE_VALUE, security.attributes(),
                    WinNT.PAGE_READWRITE | Win32.SEC_COMMIT, 0, STATE_BYTES, stateName);
            int code = Win32.lastError();
            if (Win32.invalid(state) && code == Win32Facts.ACCESS_DENIED) {
                state = Kernel32.INSTANCE.OpenFileMapping(WinBase.FILE_MAP_READ | WinBase.FILE_MAP_WRITE
                        | WinNT.READ_CONTROL, false, stateName);
                code = Win32.invalid(state) ? Win32.lastError() : Win32Facts.NAME_EXISTS;
            }
            if (Win32.invalid(state)) {
                throw Win32Errors.toException(code, "cannot create or open the owner record " + stateName + " of "
                        + WindowsBackend.describe(spec));
            }
            if (code == Win32Facts.NAME_EXISTS) {
                WindowsOwners.checkExisting(state, spec);
            }
            view = Win32.mapView(state, WinBase.FILE_MAP_READ | WinBase.FILE_MAP_WRITE, 0, STATE_BYTES);
            if (view == null) {
                throw Win32Errors.toException(Win32.lastError(), "cannot map the owner record " + stateName + " of "
                        + WindowsBackend.describe(spec));
            }
            WindowsMutex m = new WindowsMutex(spec.name(), kernelName, h, state, view, processes);
            h = null;
            state = null;
            view = null;
            return m;
        } finally {
            Reference.reachabilityFence(security);
            if (view != null) {
                Kernel32.INSTANCE.UnmapViewOfFile(view);
            }
            Win32.close(state);
            Win32.close(h);
        }
    }

    @Override
    public Ownership acquire(long timeoutNanos) {
        return await(timeoutNanos, true);
    }

    @Override
    public Ownership tryAcquire() {
        return await(0, false);
    }

    /**
     * Waits for the kernel mutex; on time-out throws {@link LockTimeoutException} naming the recorded
     * owner, or returns {@code null} when {@code orThrow} is false. On success the call started on the
     * handle is not ended: it is the hold, ended by {@link #release()}.
     */
    private Ownership await(long timeoutNanos, boolean orThrow) {
        WinNT.HANDLE h = handle.enter();
        boolean held = false;
        try {
            Thread me = Thread.currentThread();
            if (holder.owner == me) {
                throw new IllegalStateException(LockWord.reentryMessage(label));
            }
            int r = Kernel32.INSTANCE.WaitForSingleObject(h, Win32.waitMillis(timeoutNanos));
            switch (r) {
                case Win32Facts.WAIT_OBJECT_0:
                    held = owned(me);
                    return Ownership.ACQUIRED;
                case Win32Facts.WAIT_ABANDONED:
                    held = owned(me);
                    return Ownership.ABANDONED;
                case Win32Facts.WAIT_TIMEOUT:
                    if (orThrow) {
                        int pid = ProcessProbe.pidOf(MEMORY.readVolatileLong(ownerWord));
                        throw new LockTimeoutException(LockWord.timeoutMessage(label, timeoutNanos, pid), pid);
                    }
                    return null;
                default:
                    throw Win32Errors.toException(Win32.lastError(), "cannot wait for " + label
                            + " (Windows object " + kernelName + ")");
            }
        } finally {
            if (!held) {
                handle.exit();
            }
        }
    }

    private boolean owned(Thread me) {
        holder.owner = me;
        holder.via = this;
        MEMORY.writeVolatileLong(ownerWord, processes.selfWord());
        return true;
    }

    /**
     * Releases through the handle the mutex was acquired through, which its hold keeps open, then ends
     * that hold. The owner record and the word are cleared before {@code ReleaseMutex}: once the kernel
     * lets go, another thread may acquire and record itself, which a later clear would erase.
     */
    @Override
    public void release() {
        Thread me = Thread.currentThread();
        WindowsMutex via = holder.via;
        if (holder.owner != me || via == null) {
            throw new IllegalMonitorStateException(LockWord.notHeldMessage(label, holder.owner));
        }
        if (via != this && !handle.isOpen()) {
            throw new IllegalStateException(label + " is closed");
        }
        // through the acquiring handle's view, which its hold keeps mapped, whoever closed which handle
        holder.owner = null;
        holder.via = null;
        MEMORY.writeVolatileLong(via.ownerWord, 0);
        if (!Kernel32.INSTANCE.ReleaseMutex(via.handle.held())) {
            int code = Win32.lastError();
            holder.owner = me;
            holder.via = via;
            MEMORY.writeVolatileLong(via.ownerWord, processes.selfWord());
            if (code == Win32Facts.NOT_OWNER) {
                throw new IllegalMonitorStateException(label + ": Windows says thread \"" + me.getName()
                        + "\" does not own it, though it acquired it; a virtual thread that moved to another carrier"
                        + " thread cannot release a Windows mutex (use platform threads)");
            }
            throw Win32Errors.toException(code, "cannot release " + label + " (Windows object " + kernelName + ")");
        }
        via.handle.exit();
    }

    @Override
    public boolean isHeldByCurrentThread() {
        return handle.isOpen() && holder.owner == Thread.currentThread();
    }

    /**
     * True when the recorded owner has died holding the mutex: another process that is gone (or whose
     * pid now belongs to a later process), or a thread of this one that has ended.
     */
    @Override
    public boolean isAbandoned() {
        long w = readOwnerWord();
        if (w == 0) {
            return false;
        }
        if (w == processes.selfWord()) {
            Thread t = holder.owner;
            return t != null && !t.isAlive();
        }
        return !processes.isAlive(ProcessProbe.pidOf(w), ProcessProbe.tagOf(w));
    }

    /** The pid in the owner record: 0 when free (or held by an owner that has not recorded itself yet). */
    @Override
    public long ownerPid() {
        return ProcessProbe.pidOf(readOwnerWord());
    }

    /** The owner word, read while the handle (and so the record's view) is kept open. */
    private long readOwnerWord() {
        handle.enter();
        try {
            return MEMORY.readVolatileLong(ownerWord);
        } finally {
            handle.exit();
        }
    }

    @Override
    public String name() {
        return name;
    }

    /**
     * Releases the mutex if the calling thread acquired it through this handle, then closes the handle,
     * at once or, while another thread of this process holds the mutex through it, when that thread
     * releases (or, if it exits holding it, never: waiters then see the mutex abandoned).
     */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        try {
            if (holder.owner == Thread.currentThread() && holder.via == this) {
                release();
            }
        } finally {
            handle.close();
            HOLDERS.computeIfPresent(kernelName, (k, v) -> --v.handles == 0 ? null : v);
        }
    }
}
