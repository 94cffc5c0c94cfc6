package io.shmstore.internal.platform.windows;

import com.sun.jna.platform.win32.Kernel32;
import com.sun.jna.platform.win32.WinBase;
import com.sun.jna.platform.win32.WinError;
import com.sun.jna.platform.win32.WinNT;
import io.shmstore.LockTimeoutException;
import io.shmstore.internal.sync.MutexHandle;
import io.shmstore.internal.platform.Names;
import io.shmstore.internal.platform.ObjectSpec;
import io.shmstore.memory.Ownership;

import java.lang.ref.Reference;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A named Windows mutex. The kernel gives ownership to a thread and reports a dead owner with
 * {@code WAIT_ABANDONED}, as this contract wants; what it does differently is recursion (an owner
 * that waits again gets the mutex again). So this process records which thread owns each mutex, in
 * one {@link Holder} per name shared by all of its handles here, and refuses a second acquire from
 * the owner, whichever handle it comes through, before the kernel could grant it.
 *
 * <p>Ownership belongs to the OS thread, so {@code ReleaseMutex} must run on the thread that
 * acquired: use mutexes from platform threads (a virtual thread may resume on another carrier).
 */
final class WindowsMutex implements MutexHandle {
    private static final ConcurrentHashMap<String, Holder> HOLDERS = new ConcurrentHashMap<>();
    /** Rounds of create-then-open for a mutex that keeps being deleted between the two. */
    private static final int MAX_ATTEMPTS = 100;
    /** What a handle here needs: waiting, and releasing ({@code MUTEX_MODIFY_STATE}). */
    private static final int USE_ACCESS = WinNT.SYNCHRONIZE | WinBase.MUTEX_MODIFY_STATE;

    private final String name;
    private final String kernelName;
    private final KernelHandle handle;
    private final Holder holder;
    private final AtomicBoolean closed = new AtomicBoolean();

    /** The owning thread of one mutex in this process, shared by all handles here on that name. */
    private static final class Holder {
        int handles;
        volatile Thread owner;
    }

    private WindowsMutex(String name, String kernelName, WinNT.HANDLE h) {
        this.name = name;
        this.kernelName = kernelName;
        this.handle = new KernelHandle(h, "mutex " + Names.quote(name));
        this.holder = HOLDERS.compute(kernelName, (k, v) -> {
            Holder o = v == null ? new Holder() : v;
            o.handles++;
            return o;
        });
    }

    /**
     * {@code CreateMutex} without initial ownership: creates the name or opens the existing mutex.
     * On an existing name it asks for {@code MUTEX_ALL_ACCESS}, which a mutex another user created
     * with wider permissions does not grant: {@code ERROR_ACCESS_DENIED} then falls back to {@code
     * OpenMutex} with the rights a handle needs, and a mutex deleted in between is created again.
     */
    static WindowsMutex open(ObjectSpec spec) {
        String kernelName = WindowsBackend.kernelName(spec.name());
        SecurityAttributes security = SecurityAttributes.of(spec, SecurityAttributes.Kind.MUTEX);
        try {
            for (int attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
                WinNT.HANDLE h = Kernel32.INSTANCE.CreateMutex(security.attributes(), false, kernelName);
                int code = Win32.lastError();
                if (Win32.invalid(h) && code == WinError.ERROR_ACCESS_DENIED) {
                    h = Kernel32.INSTANCE.OpenMutex(USE_ACCESS | WinNT.READ_CONTROL, false, kernelName);
                    code = Win32.lastError();
                    if (Win32.invalid(h) && code == WinError.ERROR_FILE_NOT_FOUND) {
                        continue;
                    }
                    if (!Win32.invalid(h)) {
                        code = WinError.ERROR_ALREADY_EXISTS;
                    }
                }
                if (Win32.invalid(h)) {
                    throw Win32Errors.forObject(code, spec, "cannot create or open");
                }
                if (code == WinError.ERROR_ALREADY_EXISTS) {
                    WindowsOwners.checkExisting(h, spec);
                }
                return new WindowsMutex(spec.name(), kernelName, h);
            }
        } finally {
            Reference.reachabilityFence(security);
        }
        throw Win32Errors.deniedThenGone(spec, MAX_ATTEMPTS);
    }

    @Override
    public Ownership acquire(long timeoutNanos) {
        Ownership o = await(timeoutNanos);
        if (o == null) {
            throw new LockTimeoutException("timed out after " + TimeUnit.NANOSECONDS.toMillis(Math.max(timeoutNanos, 0))
                    + " ms waiting for mutex " + Names.quote(name) + ": another thread or process holds it (owner"
                    + " unknown: Windows does not tell which process owns a mutex)", 0);
        }
        return o;
    }

    @Override
    public Ownership tryAcquire() {
        return await(0);
    }

    /** Waits for the kernel mutex; {@code null} on time-out. */
    private Ownership await(long timeoutNanos) {
        WinNT.HANDLE h = handle.enter();
        try {
            Thread me = Thread.currentThread();
            if (holder.owner == me) {
                throw new IllegalStateException("mutex " + Names.quote(name) + " is already held by this thread");
            }
            int r = Kernel32.INSTANCE.WaitForSingleObject(h, Win32.waitMillis(timeoutNanos));
            switch (r) {
                case WinBase.WAIT_OBJECT_0:
                    holder.owner = me;
                    return Ownership.ACQUIRED;
                case WinBase.WAIT_ABANDONED:
                    holder.owner = me;
                    return Ownership.ABANDONED;
                case WinError.WAIT_TIMEOUT:
                    return null;
                default:
                    throw Win32Errors.toException(Win32.lastError(), "cannot wait for mutex " + Names.quote(name)
                            + " (Windows object " + kernelName + ")");
            }
        } finally {
            handle.exit();
        }
    }

    /**
     * Clears the owner before {@code ReleaseMutex}: once the kernel lets go, another thread of this
     * process may acquire and record itself, which a later clear would erase.
     */
    @Override
    public void release() {
        WinNT.HANDLE h = handle.enter();
        try {
            Thread me = Thread.currentThread();
            if (holder.owner != me) {
                throw new IllegalMonitorStateException("mutex " + Names.quote(name) + " is not held by thread \""
                        + me.getName() + "\"");
            }
            holder.owner = null;
            if (!Kernel32.INSTANCE.ReleaseMutex(h)) {
                int code = Win32.lastError();
                holder.owner = me;
                throw Win32Errors.toException(code, "cannot release mutex " + Names.quote(name)
                        + " (Windows object " + kernelName + ")");
            }
        } finally {
            handle.exit();
        }
    }

    @Override
    public boolean isHeldByCurrentThread() {
        return handle.isOpen() && holder.owner == Thread.currentThread();
    }

    /** Always false: Win32 reports abandonment only to the waiter that acquires the mutex. */
    @Override
    public boolean isAbandoned() {
        return false;
    }

    /** Always 0: Win32 does not expose a mutex's owning process. */
    @Override
    public long ownerPid() {
        return 0;
    }

    @Override
    public String name() {
        return name;
    }

    /**
     * Releases the mutex if the calling thread holds it, then closes the handle. If another thread of
     * this process holds it, that thread keeps ownership until it exits, when waiters see it
     * abandoned: only the owning thread can release a Windows mutex.
     */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        try {
            if (holder.owner == Thread.currentThread()) {
                release();
            }
        } finally {
            handle.close();
            HOLDERS.computeIfPresent(kernelName, (k, v) -> --v.handles == 0 ? null : v);
        }
    }
}
