package io.shmstore.internal.platform.windows;

import com.sun.jna.platform.win32.Kernel32;
import com.sun.jna.platform.win32.WinBase;
import com.sun.jna.platform.win32.WinError;
import com.sun.jna.platform.win32.WinNT;
import io.shmstore.internal.sync.EventHandle;
import io.shmstore.internal.platform.Names;
import io.shmstore.internal.platform.ObjectSpec;
import io.shmstore.memory.EventMode;

import java.lang.ref.Reference;

/**
 * A named Windows event, whose auto- and manual-reset semantics are the ones this contract copies.
 *
 * <p>The reset mode is fixed by whoever creates the event: {@code CreateEvent} on an existing name
 * returns the existing event and ignores the mode asked for, and Win32 offers no call that reports
 * an event's mode. {@link #mode()} is therefore the mode this handle asked for, which is the event's
 * real mode unless another process created it with the other one.
 */
final class WindowsEvent implements EventHandle {
    /** Rounds of create-then-open for an event that keeps being deleted between the two. */
    private static final int MAX_ATTEMPTS = 100;
    /** What a handle here needs: waiting, signalling and resetting. */
    private static final int USE_ACCESS = WinNT.SYNCHRONIZE | WinNT.EVENT_MODIFY_STATE;

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
     * SYNCHRONIZE} alone (such a handle can wait; signalling and resetting through it fail with
     * access denied). An event deleted in between is created again.
     */
    static WindowsEvent open(ObjectSpec spec, EventMode mode) {
        String kernelName = WindowsBackend.kernelName(spec.name());
        SecurityAttributes security = SecurityAttributes.of(spec, SecurityAttributes.Kind.EVENT);
        try {
            for (int attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
                WinNT.HANDLE h = Kernel32.INSTANCE.CreateEvent(security.attributes(), mode == EventMode.MANUAL_RESET,
                        false, kernelName);
                int code = Win32.lastError();
                if (Win32.invalid(h) && code == WinError.ERROR_ACCESS_DENIED) {
                    h = Kernel32.INSTANCE.OpenEvent(USE_ACCESS | WinNT.READ_CONTROL, false, kernelName);
                    code = Win32.lastError();
                    if (Win32.invalid(h) && code == WinError.ERROR_ACCESS_DENIED) {
                        h = Kernel32.INSTANCE.OpenEvent(WinNT.SYNCHRONIZE | WinNT.READ_CONTROL, false, kernelName);
                        code = Win32.lastError();
                    }
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
                return new WindowsEvent(spec.name(), kernelName, mode, h);
            }
        } finally {
            Reference.reachabilityFence(security);
        }
        throw Win32Errors.deniedThenGone(spec, MAX_ATTEMPTS);
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
            if (r == WinBase.WAIT_OBJECT_0) {
                return true;
            }
            if (r == WinError.WAIT_TIMEOUT) {
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
