package io.shmstore.internal.platform.windows;

import com.sun.jna.platform.win32.WinNT;

/**
 * A kernel handle used by several threads of this process: {@link #close()} may be called while
 * another thread is inside a call on it (a wait on a mutex or event, a {@code MapViewOfFile}).
 * Closing a handle that a call is still using is undefined in Win32, and the handle value may even be
 * reused for an unrelated object, so the handle is closed only when the last call in progress
 * leaves; calls that start after {@link #close()} fail with {@link IllegalStateException}.
 */
final class KernelHandle {
    private final WinNT.HANDLE handle;
    private final String what;
    private final Runnable alsoOnClose;
    private int calls;
    private boolean closing;

    /** Takes over {@code handle}; {@code what} names its object in the "closed" message. */
    KernelHandle(WinNT.HANDLE handle, String what) {
        this(handle, what, () -> { });
    }

    /** As {@link #KernelHandle(WinNT.HANDLE, String)}; {@code alsoOnClose} runs right after the handle closes. */
    KernelHandle(WinNT.HANDLE handle, String what, Runnable alsoOnClose) {
        this.handle = handle;
        this.what = what;
        this.alsoOnClose = alsoOnClose;
    }

    /**
     * The handle, for a caller that holds a call started by {@link #enter()} that has not ended yet
     * (a mutex's owner holds one for as long as it owns the mutex), so that the handle is open.
     */
    WinNT.HANDLE held() {
        return handle;
    }

    /**
     * Starts a call on the handle; pair with {@link #exit()} in a {@code finally}.
     *
     * @throws IllegalStateException when the handle is closed
     */
    synchronized WinNT.HANDLE enter() {
        if (closing) {
            throw new IllegalStateException(what + " is closed");
        }
        calls++;
        return handle;
    }

    /** Ends a call started by {@link #enter()}; closes the handle if it was closed meanwhile. */
    void exit() {
        boolean last;
        synchronized (this) {
            calls--;
            last = closing && calls == 0;
        }
        if (last) {
            closeNow();
        }
    }

    /** Closes the handle now, or when the last call in progress ends. Idempotent. */
    void close() {
        boolean now;
        synchronized (this) {
            if (closing) {
                return;
            }
            closing = true;
            now = calls == 0;
        }
        if (now) {
            closeNow();
        }
    }

    private void closeNow() {
        try {
            Win32.close(handle);
        } finally {
            alsoOnClose.run();
        }
    }

    synchronized boolean isOpen() {
        return !closing;
    }
}
