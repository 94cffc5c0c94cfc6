package io.shmstore.internal.platform.windows;

import com.sun.jna.platform.win32.Kernel32;
import com.sun.jna.platform.win32.Kernel32Util;
import com.sun.jna.platform.win32.WinBase;
import com.sun.jna.platform.win32.WinError;
import com.sun.jna.platform.win32.WinNT;
import io.shmstore.IncompatibleStoreException;
import io.shmstore.StoreException;
import io.shmstore.StoreExistsException;
import io.shmstore.StoreFullException;
import io.shmstore.StoreNotFoundException;
import io.shmstore.internal.platform.Names;
import io.shmstore.internal.platform.ObjectSpec;
import io.shmstore.internal.platform.ObjectType;

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
            case Win32Facts.NAME_ABSENT:
            case Win32Facts.PATH_ABSENT:
                return new StoreNotFoundException(message);
            case Win32Facts.NAME_EXISTS:
            case Win32Facts.FILE_EXISTS:
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
     * verb phrase ("cannot open"). For a named object, {@link Win32Facts#NAME_HELD_BY_OTHER_TYPE} is
     * Windows' answer to a name that exists as another kind of kernel object (a mutex where a mapping
     * was asked for, ...): what is there is named as on POSIX ({@link #heldByOtherType}), and {@link
     * Win32Facts#NAME_ABSENT} means the name is free.
     */
    static StoreException forObject(int code, ObjectSpec spec, String action) {
        if (spec.unnamed()) {
            return toException(code, action + " an unnamed " + spec.type().label());
        }
        if (!spec.fileBacked()) {
            String kernelName = WindowsBackend.kernelName(spec.name());
            if (code == Win32Facts.NAME_HELD_BY_OTHER_TYPE) {
                return heldByOtherType(spec, false);
            }
            if (code == Win32Facts.NAME_ABSENT) {
                return new StoreNotFoundException("no " + spec.type().label() + " named " + Names.quote(spec.name())
                        + " (Windows object " + kernelName + ")");
            }
            return toException(code, action + " " + WindowsBackend.describe(spec) + " (Windows object "
                    + kernelName + ")");
        }
        if (code == Win32Facts.NAME_ABSENT || code == Win32Facts.PATH_ABSENT) {
            return new StoreNotFoundException("no " + spec.type().label() + " at " + spec.file().toAbsolutePath()
                    + ": " + describe(code));
        }
        return toException(code, action + " " + WindowsBackend.describe(spec));
    }

    /**
     * The name of {@code spec} is held by a kernel object of another type. Names what is there, in the
     * words the POSIX backends use ("\"x\" is a mutex, not a memory mapping"): {@link
     * IncompatibleStoreException} for an open, {@link StoreExistsException} for an exclusive create,
     * which found the name taken.
     */
    static StoreException heldByOtherType(ObjectSpec spec, boolean exclusiveCreate) {
        String kernelName = WindowsBackend.kernelName(spec.name());
        ObjectType found = probe(kernelName);
        String what = Names.quote(spec.name()) + " is " + (found == null
                ? "a kernel object of a kind ShmStore does not make (a timer, a job, ...)"
                : found.withArticle()) + ", not " + spec.type().withArticle() + " (Windows object " + kernelName
                + "; mappings, mutexes, events and semaphores share one namespace)";
        if (exclusiveCreate) {
            return new StoreExistsException("cannot create " + WindowsBackend.describe(spec) + ": the name is taken; "
                    + what);
        }
        return new IncompatibleStoreException(what);
    }

    /**
     * The type of the kernel object named {@code kernelName}, found by opening it as each type with the
     * least access: an open of the right type succeeds or is denied, one of a wrong type fails with
     * {@link Win32Facts#NAME_HELD_BY_OTHER_TYPE}. {@code null} when it is none of the four, or gone.
     */
    static ObjectType probe(String kernelName) {
        for (ObjectType type : ObjectType.values()) {
            WinNT.HANDLE h;
            switch (type) {
                case MUTEX:
                    h = Kernel32.INSTANCE.OpenMutex(WinNT.SYNCHRONIZE, false, kernelName);
                    break;
                case EVENT:
                    h = Kernel32.INSTANCE.OpenEvent(WinNT.SYNCHRONIZE, false, kernelName);
                    break;
                case SEMAPHORE:
                    h = Win32.semaphores().OpenSemaphore(WinNT.SYNCHRONIZE, false, kernelName);
                    break;
                default:
                    h = Kernel32.INSTANCE.OpenFileMapping(WinBase.FILE_MAP_READ, false, kernelName);
                    break;
            }
            int code = Win32.lastError();
            if (!Win32.invalid(h)) {
                Win32.close(h);
                return type;
            }
            if (code == Win32Facts.ACCESS_DENIED) {
                return type;
            }
        }
        return null;
    }

    /**
     * An exclusive create of a named object failed with {@link Win32Facts#ACCESS_DENIED}: the name is
     * held by an object whose DACL does not let this user in (another account created it), or, when
     * nothing holds it, this process may not create objects in the session's namespace at all.
     */
    static StoreException createDenied(ObjectSpec spec) {
        String kernelName = WindowsBackend.kernelName(spec.name());
        ObjectType found = probe(kernelName);
        if (found == spec.type()) {
            return new StoreExistsException("cannot create " + WindowsBackend.describe(spec) + ": it already exists"
                    + " (Windows object " + kernelName + "), and its security descriptor does not grant this user"
                    + " access: another account created it (" + describe(Win32Facts.ACCESS_DENIED) + ")");
        }
        if (found != null) {
            return heldByOtherType(spec, true);
        }
        return new StoreException("cannot create " + WindowsBackend.describe(spec) + " (Windows object " + kernelName
                + "): Windows denied creating it, and no object holds the name; this process may not create"
                + " named objects in its session (" + describe(Win32Facts.ACCESS_DENIED) + ")");
    }

    /**
     * Creating a named object failed with {@code ERROR_ACCESS_DENIED} and opening it then found no
     * such object, every one of {@code attempts} times: either the name keeps being deleted between
     * the two calls, or this process may not create objects in the namespace at all.
     */
    static StoreException deniedThenGone(ObjectSpec spec, int attempts) {
        return new StoreException("cannot create or open " + WindowsBackend.describe(spec) + " (Windows object "
                + WindowsBackend.kernelName(spec.name()) + "): creating it was denied ("
                + describe(Win32Facts.ACCESS_DENIED) + ") and opening it then found no such object, "
                + attempts + " times");
    }

    /**
     * A failed {@code DeleteFile} of a file-backed mapping. Windows refuses to delete a file while
     * any process still maps a view of it, which POSIX allows; the message says what to do.
     */
    static StoreException deleteFailed(int code, Path path) {
        if (Win32Facts.DELETE_REFUSED_IN_USE.contains(code)) {
            return new StoreException("cannot delete " + path + ": " + describe(code) + "; this Windows keeps a"
                    + " file while a view of it is mapped or a handle on it is open in any process (this one"
                    + " included; SharedMemory.capabilities().destroyWhileMapped() is false here): close every"
                    + " view and handle on it, then delete the file");
        }
        return toException(code, "cannot delete " + path);
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
