package io.shmstore.internal.platform.windows;

import com.sun.jna.platform.win32.Kernel32;
import com.sun.jna.platform.win32.WinBase;
import com.sun.jna.platform.win32.WinError;
import com.sun.jna.platform.win32.WinNT;
import io.shmstore.IncompatibleStoreException;
import io.shmstore.LockTimeoutException;
import io.shmstore.SemaphoreFullException;
import io.shmstore.internal.platform.Names;
import io.shmstore.internal.platform.ObjectSpec;
import io.shmstore.internal.sync.SemaphoreHandle;
import io.shmstore.memory.Permits;

import java.lang.ref.Reference;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A named Windows semaphore ({@code CreateSemaphore}, {@code WaitForSingleObject}, {@code
 * ReleaseSemaphore}). What the kernel does not do, and the POSIX backends do:
 * <ul>
 *   <li><b>Holders.</b> A Windows semaphore is a bare count: it does not record who took a permit, so
 *       the permits of a process that dies are lost for good, and {@link Permits#recovered()} is always
 *       0. This process counts what it holds ({@link Holdings}, shared by its handles on one name), so that
 *       closing its last handle gives those permits back, as the POSIX backends do.</li>
 *   <li><b>Several permits at once.</b> A wait takes one permit; {@code k} permits are {@code k} waits
 *       against one deadline, and a time-out gives back those already taken. Two processes each taking
 *       several permits can so hold part of what the other waits for until one of them times out.</li>
 *   <li><b>Initial permits</b> are not recorded by the kernel: an opener is checked against the maximum
 *       alone (read with {@code NtQuerySemaphore}, as is {@link #availablePermits()}).</li>
 * </ul>
 * A wait is cut into slices of at most {@value #WAIT_SLICE_MILLIS} ms, between which a closed handle is
 * noticed: a waiter on a handle that another thread closes throws {@link IllegalStateException}.
 */
final class WindowsSemaphore implements SemaphoreHandle {
    /** {@code SEMAPHORE_QUERY_STATE}: reading the counts. */
    static final int QUERY_STATE = 0x0001;
    /** {@code SEMAPHORE_MODIFY_STATE}: releasing. */
    static final int MODIFY_STATE = 0x0002;
    /** {@code SEMAPHORE_ALL_ACCESS}. */
    static final int ALL_ACCESS = WinNT.STANDARD_RIGHTS_REQUIRED | WinNT.SYNCHRONIZE | QUERY_STATE | MODIFY_STATE;
    /** What a handle here needs: waiting, reading the counts and releasing. */
    static final int USE_ACCESS = WinNT.SYNCHRONIZE | QUERY_STATE | MODIFY_STATE;

    private static final ConcurrentHashMap<String, Holdings> HOLDINGS = new ConcurrentHashMap<>();
    /** Rounds of create-then-open for a semaphore that keeps being deleted between the two. */
    private static final int MAX_ATTEMPTS = 100;
    private static final int WAIT_SLICE_MILLIS = 100;

    private final String name;
    private final String kernelName;
    private final int max;
    private final KernelHandle handle;
    private final Holdings holdings;
    private final AtomicBoolean closed = new AtomicBoolean();

    /** The permits this process holds on one semaphore, shared by all its handles here on that name. */
    private static final class Holdings {
        int handles;
        int held;
    }

    private WindowsSemaphore(String name, String kernelName, int max, WinNT.HANDLE h) {
        this.name = name;
        this.kernelName = kernelName;
        this.max = max;
        this.handle = new KernelHandle(h, "semaphore " + Names.quote(name));
        this.holdings = HOLDINGS.compute(kernelName, (k, v) -> {
            Holdings o = v == null ? new Holdings() : v;
            o.handles++;
            return o;
        });
    }

    /**
     * {@code CreateSemaphore}: creates the name or opens the existing semaphore, whose maximum must be
     * {@code maxPermits}. On an existing name it asks for {@code SEMAPHORE_ALL_ACCESS}, which a semaphore
     * another user created with wider permissions does not grant: {@code ERROR_ACCESS_DENIED} then falls
     * back to {@code OpenSemaphore} with the rights a handle needs, and a semaphore deleted in between is
     * created again.
     */
    static WindowsSemaphore open(ObjectSpec spec, int initialPermits, int maxPermits) {
        String kernelName = WindowsBackend.kernelName(spec.name());
        SecurityAttributes security = SecurityAttributes.of(spec, SecurityAttributes.Kind.SEMAPHORE);
        Win32.SemaphoreApi api = Win32.semaphores();
        try {
            for (int attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
                WinNT.HANDLE h = api.CreateSemaphore(security.attributes(), initialPermits, maxPermits, kernelName);
                int code = Win32.lastError();
                if (Win32.invalid(h) && code == WinError.ERROR_ACCESS_DENIED) {
                    h = api.OpenSemaphore(USE_ACCESS | WinNT.READ_CONTROL, false, kernelName);
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
                    checkMaximum(WindowsOwners.checkExisting(h, spec), spec, initialPermits, maxPermits);
                }
                return new WindowsSemaphore(spec.name(), kernelName, maxPermits, h);
            }
        } finally {
            Reference.reachabilityFence(security);
        }
        throw Win32Errors.deniedThenGone(spec, MAX_ATTEMPTS);
    }

    /** Closes {@code h} and throws when the existing semaphore has another maximum than asked for. */
    private static void checkMaximum(WinNT.HANDLE h, ObjectSpec spec, int initialPermits, int maxPermits) {
        int[] counts = Win32.semaphoreCounts(h);
        if (counts != null && counts[1] != maxPermits) {
            Win32.close(h);
            throw new IncompatibleStoreException("semaphore " + Names.quote(spec.name()) + " exists with at most "
                    + counts[1] + " permits, not the " + initialPermits + " and at most " + maxPermits + " asked for"
                    + " (Windows does not record a semaphore's initial permits; its maximum differs)");
        }
    }

    @Override
    public Permits acquire(int permits, long timeoutNanos) {
        if (!take(permits, timeoutNanos)) {
            throw new LockTimeoutException("timed out after " + TimeUnit.NANOSECONDS.toMillis(Math.max(timeoutNanos, 0))
                    + " ms waiting for " + permits + " of the " + max + " permits of semaphore " + Names.quote(name)
                    + ": " + availablePermits() + " available (holders unknown: Windows does not record who holds a"
                    + " semaphore's permits)", 0);
        }
        return new Permits(permits, 0);
    }

    @Override
    public boolean tryAcquire(int permits, long timeoutNanos) {
        return take(permits, timeoutNanos);
    }

    /** {@code permits} waits against one deadline; a time-out gives back what was taken. */
    private boolean take(int permits, long timeoutNanos) {
        WinNT.HANDLE h = handle.enter();
        int taken = 0;
        try {
            long deadline = System.nanoTime() + Math.max(0, timeoutNanos);
            while (taken < permits) {
                if (!handle.isOpen()) {
                    throw new IllegalStateException("semaphore " + Names.quote(name)
                            + " was closed while this thread waited for it");
                }
                long left = deadline - System.nanoTime();
                int millis = Win32.waitMillis(Math.min(Math.max(left, 0), TimeUnit.MILLISECONDS.toNanos(WAIT_SLICE_MILLIS)));
                int r = Kernel32.INSTANCE.WaitForSingleObject(h, millis);
                if (r == WinBase.WAIT_OBJECT_0) {
                    taken++;
                } else if (r != Win32Facts.WAIT_TIMEOUT) {
                    throw failure("wait for");
                } else if (left <= 0) {
                    return false;
                }
            }
            synchronized (holdings) {
                holdings.held += permits;
            }
            taken = 0;
            return true;
        } finally {
            if (taken > 0) {
                Win32.semaphores().ReleaseSemaphore(h, taken, null);
            }
            handle.exit();
        }
    }

    @Override
    public void release(int permits) {
        WinNT.HANDLE h = handle.enter();
        try {
            if (!Win32.semaphores().ReleaseSemaphore(h, permits, null)) {
                int code = Win32.lastError();
                if (code == Win32Facts.TOO_MANY_POSTS) {
                    throw new SemaphoreFullException("cannot release " + permits + " permits of semaphore "
                            + Names.quote(name) + ": that would make more than its max of " + max + " available ("
                            + availablePermits() + " available now)");
                }
                throw Win32Errors.toException(code, "cannot release semaphore " + Names.quote(name) + " (Windows object "
                        + kernelName + ")");
            }
            synchronized (holdings) {
                holdings.held = Math.max(0, holdings.held - permits);
            }
        } finally {
            handle.exit();
        }
    }

    @Override
    public int availablePermits() {
        WinNT.HANDLE h = handle.enter();
        try {
            int[] counts = Win32.semaphoreCounts(h);
            if (counts == null) {
                throw failure("read the counts of");
            }
            return counts[0];
        } finally {
            handle.exit();
        }
    }

    @Override
    public int maxPermits() {
        return max;
    }

    /** Always -1: the kernel does not record it. */
    @Override
    public int initialPermits() {
        return -1;
    }

    @Override
    public int heldByThisProcess() {
        synchronized (holdings) {
            return holdings.held;
        }
    }

    /** Always 0: Windows semaphores record no holder, so a dead one's permits cannot be recovered. */
    @Override
    public long recoveredPermits() {
        return 0;
    }

    @Override
    public String name() {
        return name;
    }

    /**
     * Closes the handle; the kernel removes the semaphore when its last handle in any process closes. The
     * last handle of this process on the name first gives back the permits this process still holds.
     */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        try {
            int[] back = new int[1];
            HOLDINGS.computeIfPresent(kernelName, (k, v) -> {
                if (--v.handles > 0) {
                    return v;
                }
                synchronized (v) {
                    back[0] = v.held;
                    v.held = 0;
                }
                return null;
            });
            if (back[0] > 0) {
                WinNT.HANDLE h = handle.enter();
                try {
                    Win32.semaphores().ReleaseSemaphore(h, back[0], null);
                } finally {
                    handle.exit();
                }
            }
        } finally {
            handle.close();
        }
    }

    private RuntimeException failure(String verb) {
        return Win32Errors.toException(Win32.lastError(), "cannot " + verb + " semaphore " + Names.quote(name)
                + " (Windows object " + kernelName + ")");
    }
}
