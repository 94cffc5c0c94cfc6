package io.shmstore.internal.platform.windows;

import com.sun.jna.platform.win32.Kernel32;
import com.sun.jna.platform.win32.WinNT;
import io.shmstore.StoreException;
import io.shmstore.internal.sync.EventHandle;
import io.shmstore.internal.platform.Names;
import io.shmstore.internal.platform.ObjectSpec;
import io.shmstore.memory.EventMode;

import java.lang.ref.Reference;

/**
 * A named Windows event, whose auto- and manual-reset semantics are the ones this contract copies.
 *
 * <p>The reset mode is fixed by whoever creates the event: {@code CreateEvent} on an existing name
 * returns the existing event and ignores the mode asked for. Win32 has no call that reports an
 * event's mode, but ntdll's {@code NtQueryEvent} does ({@code EVENT_BASIC_INFORMATION.EventType}), on a
 * handle with {@code EVENT_QUERY_STATE}: every handle here is opened with it, and {@link #mode()} is
 * the creator's mode, read once when the handle is made, as on POSIX.
 */
final class WindowsEvent implements EventHandle {
    /** Rounds of create-then-open for an event that keeps being deleted between the two. */
    private static final int MAX_ATTEMPTS = 100;
    /** {@code EVENT_QUERY_STATE}, which {@code NtQueryEvent} needs; jna-platform does not define it. */
    private static final int EVENT_QUERY_STATE = 0x0001;
    /** What a handle here needs: waiting, signalling and resetting, and reading the mode. */
    private static final int USE_ACCESS = WinNT.SYNCHRONIZE | WinNT.EVENT_MODIFY_STATE | EVENT_QUERY_STATE;

    private final String name;
    private final String kernelName;
    private final EventMode mode;
    private final KernelHandle handle;

    private WindowsEvent(String name, String kernelName, EventMode mode, WinNT.HANDLE h) {
        this.name = name;
        this.kernelName = kernelName;
        this.mode = mode;
        this.handle = new KernelHandle(h, "event " + Names.quote(name));
    }

    /**
     * {@code CreateEvent}, initially not signalled: creates the name or opens the existing event. On
     * an existing name it asks for {@code EVENT_ALL_ACCESS}, which an event another user created with
     * wider permissions does not grant: {@code ERROR_ACCESS_DENIED} then falls back to {@code
     * OpenEvent} with the rights a handle needs, or, where the event grants only read, with {@code
     * SYNCHRONIZE} and {@code EVENT_QUERY_STATE} (generic read includes both; such a handle can wait;
     * signalling and resetting through it fail with access denied). An event deleted in between is
     * created again. A handle on an existing event reads the event's mode; one that created it has the
     * mode asked for.
     */
    static WindowsEvent open(ObjectSpec spec, EventMode mode) {
        String kernelName = WindowsBackend.kernelName(spec.name());
        SecurityAttributes security = SecurityAttributes.of(spec, SecurityAttributes.Kind.EVENT);
        try {
            for (int attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
                WinNT.HANDLE h = Kernel32.INSTANCE.CreateEvent(security.attributes(), mode == EventMode.MANUAL_RESET,
                        false, kernelName);
                int code = Win32.lastError();
                if (Win32.invalid(h) && code == Win32Facts.ACCESS_DENIED) {
                    h = Kernel32.INSTANCE.OpenEvent(USE_ACCESS | WinNT.READ_CONTROL, false, kernelName);
                    code = Win32.lastError();
                    if (Win32.invalid(h) && code == Win32Facts.ACCESS_DENIED) {
                        h = Kernel32.INSTANCE.OpenEvent(WinNT.SYNCHRONIZE | EVENT_QUERY_STATE | WinNT.READ_CONTROL,
                                false, kernelName);
                        code = Win32.lastError();
                    }
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
                if (code != Win32Facts.NAME_EXISTS) {
                    return new WindowsEvent(spec.name(), kernelName, mode, h);
                }
                WindowsOwners.checkExisting(h, spec);
                return new WindowsEvent(spec.name(), kernelName, modeOf(h, spec), h);
            }
        } finally {
            Reference.reachabilityFence(security);
        }
        throw Win32Errors.deniedThenGone(spec, MAX_ATTEMPTS);
    }

    /** The mode of the existing event behind {@code h}; closes {@code h} when it cannot be read. */
    private static EventMode modeOf(WinNT.HANDLE h, ObjectSpec spec) {
        int type = Win32.eventType(h);
        if (type == Win32Facts.EVENT_TYPE_MANUAL_RESET) {
            return EventMode.MANUAL_RESET;
        }
        if (type == Win32Facts.EVENT_TYPE_AUTO_RESET) {
            return EventMode.AUTO_RESET;
        }
        Win32.close(h);
        throw new StoreException("cannot read the reset mode of " + WindowsBackend.describe(spec) + " (Windows object "
                + WindowsBackend.kernelName(spec.name()) + "): NtQueryEvent answered "
                + (type < 0 ? "NTSTATUS 0x" + Integer.toHexString(-1 - type) : "event type " + type));
    }

    @Override
    public void signal() {
        WinNT.HANDLE h = handle.enter();
        try {
            if (!Kernel32.INSTANCE.SetEvent(h)) {
                throw failure("signal");
            }
        } finally {
            handle.exit();
        }
    }

    @Override
    public void reset() {
        WinNT.HANDLE h = handle.enter();
        try {
            if (!Kernel32.INSTANCE.ResetEvent(h)) {
                throw failure("reset");
            }
        } finally {
            handle.exit();
        }
    }

    @Override
    public boolean await(long timeoutNanos) {
        WinNT.HANDLE h = handle.enter();
        try {
            int r = Kernel32.INSTANCE.WaitForSingleObject(h, Win32.waitMillis(timeoutNanos));
            if (r == Win32Facts.WAIT_OBJECT_0) {
                return true;
            }
            if (r == Win32Facts.WAIT_TIMEOUT) {
                return false;
            }
            throw failure("wait for");
        } finally {
            handle.exit();
        }
    }

    private RuntimeException failure(String verb) {
        return Win32Errors.toException(Win32.lastError(), "cannot " + verb + " event " + Names.quote(name)
                + " (Windows object " + kernelName + ")");
    }

    @Override
    public EventMode mode() {
        return mode;
    }

    @Override
    public String name() {
        return name;
    }

    /** Closes the handle; the kernel removes the event when its last handle in any process closes. */
    @Override
    public void close() {
        handle.close();
    }
}
