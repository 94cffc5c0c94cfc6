package io.shmstore.internal.platform.windows;

import com.sun.jna.platform.win32.Kernel32Util;
import com.sun.jna.platform.win32.WinError;
import io.shmstore.IncompatibleStoreException;
import io.shmstore.StoreException;
import io.shmstore.StoreExistsException;
import io.shmstore.StoreFullException;
import io.shmstore.StoreNotFoundException;
import io.shmstore.internal.platform.Names;
import io.shmstore.internal.platform.ObjectSpec;

import java.nio.file.Path;

/**
 * The one place where Win32 error codes become ShmStore exceptions. Every message names the object
 * (or path), the Win32 error code and the system's text for it, so that a report from a user's
 * machine can be read without reproducing it.
 */
final class Win32Errors {
    private Win32Errors() {
    }

    /**
     * The exception for a failed call about {@code what} ("cannot open memory \"x\"", ...): the
     * condition a caller can act on where there is one, else {@link StoreException}.
     */
    static StoreException toException(int code, String what) {
        String message = what + ": " + describe(code);
        switch (code) {
            case WinError.ERROR_FILE_NOT_FOUND:
            case WinError.ERROR_PATH_NOT_FOUND:
                return new StoreNotFoundException(message);
            case WinError.ERROR_ALREADY_EXISTS:
            case WinError.ERROR_FILE_EXISTS:
                return new StoreExistsException(message);
            case WinError.ERROR_DISK_FULL:
            case WinError.ERROR_HANDLE_DISK_FULL:
            case WinError.ERROR_NOT_ENOUGH_MEMORY:
            case WinError.ERROR_OUTOFMEMORY:
            case WinError.ERROR_COMMITMENT_LIMIT:
                return new StoreFullException(message);
            default:
                return new StoreException(message);
        }
    }

    /**
     * The exception for a failed call on the object {@code spec} describes; {@code action} is the
     * verb phrase ("cannot open"). For a named object, {@code ERROR_INVALID_HANDLE} is Windows'
     * answer to opening a name that exists as another kind of kernel object (a mutex where a mapping
     * was asked for, ...), and {@code ERROR_FILE_NOT_FOUND} means the name is free.
     */
    static StoreException forObject(int code, ObjectSpec spec, String action) {
        if (spec.unnamed()) {
            return toException(code, action + " an unnamed " + spec.type().label());
        }
        if (!spec.fileBacked()) {
            String kernelName = WindowsBackend.kernelName(spec.name());
            if (code == WinError.ERROR_INVALID_HANDLE) {
                return new IncompatibleStoreException(Names.quote(spec.name()) + " exists as another kind of object"
                        + ", not a " + spec.type().label() + " (Windows object " + kernelName
                        + "; mappings, mutexes and events share one namespace)");
            }
            if (code == WinError.ERROR_FILE_NOT_FOUND) {
                return new StoreNotFoundException("no " + spec.type().label() + " named " + Names.quote(spec.name())
                        + " (Windows object " + kernelName + ")");
            }
            return toException(code, action + " " + WindowsBackend.describe(spec) + " (Windows object "
                    + kernelName + ")");
        }
        if (code == WinError.ERROR_FILE_NOT_FOUND || code == WinError.ERROR_PATH_NOT_FOUND) {
            return new StoreNotFoundException("no " + spec.type().label() + " at " + spec.file().toAbsolutePath()
                    + ": " + describe(code));
        }
        return toException(code, action + " " + WindowsBackend.describe(spec));
    }

    /**
     * Creating a named object failed with {@code ERROR_ACCESS_DENIED} and opening it then found no
     * such object, every one of {@code attempts} times: either the name keeps being deleted between
     * the two calls, or this process may not create objects in the namespace at all.
     */
    static StoreException deniedThenGone(ObjectSpec spec, int attempts) {
        return new StoreException("cannot create or open " + WindowsBackend.describe(spec) + " (Windows object "
                + WindowsBackend.kernelName(spec.name()) + "): creating it was denied ("
                + describe(WinError.ERROR_ACCESS_DENIED) + ") and opening it then found no such object, "
                + attempts + " times");
    }

    /**
     * A failed {@code DeleteFile} of a file-backed mapping. Windows refuses to delete a file while
     * any process still maps a view of it, which POSIX allows; the message says what to do.
     */
    static StoreException deleteFailed(int code, Path path) {
        switch (code) {
            case WinError.ERROR_ACCESS_DENIED:
            case WinError.ERROR_SHARING_VIOLATION:
            case WinError.ERROR_USER_MAPPED_FILE:
            case WinError.ERROR_LOCK_VIOLATION:
                return new StoreException("cannot delete " + path + ": " + describe(code) + "; Windows keeps a file"
                        + " while a view of it is mapped or a handle on it is open in any process (this one"
                        + " included): close every view and handle on it, then destroy it again");
            default:
                return toException(code, "cannot delete " + path);
        }
    }

    /** "Win32 error 5 (Access is denied.)": the code, and the system's text where it has one. */
    static String describe(int code) {
        String text;
        try {
            text = Kernel32Util.formatMessage(code).trim();
        } catch (RuntimeException e) {
            // FormatMessage has no text for this code: the code alone still identifies it
            text = "";
        }
        return "Win32 error " + code + (text.isEmpty() ? "" : " (" + text + ")");
    }
}
