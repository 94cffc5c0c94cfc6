package io.shmstore.internal.platform.windows;

import com.sun.jna.platform.win32.WinBase;
import com.sun.jna.platform.win32.WinError;

/**
 * What the Windows backend expects Win32 to answer, in one place: the error codes its error mapping
 * turns into exceptions, the wait results it acts on, the values it reads back. The backend's code
 * uses these constants and nothing else for those answers, and {@code Win32ReplayTest} checks each
 * against what a C program replaying the same call sequences under Wine observed
 * ({@code store-core/src/test/win32/replay.c}): a mapping that Win32 does not support fails the build there.
 *
 * <p>What Wine cannot check (where it behaves unlike Windows) is named in that test, with the
 * documented Windows behaviour the backend relies on instead.
 */
final class Win32Facts {
    /** {@code Create*} on a name held by an object of that type: the existing object, and this error. */
    static final int NAME_EXISTS = WinError.ERROR_ALREADY_EXISTS;
    /** {@code Open*} of a name that no object holds. */
    static final int NAME_ABSENT = WinError.ERROR_FILE_NOT_FOUND;
    /** {@code Create*} or {@code Open*} of a name held by an object of another type. */
    static final int NAME_HELD_BY_OTHER_TYPE = WinError.ERROR_INVALID_HANDLE;
    /**
     * {@code Create*} of an existing name whose DACL does not grant all access, or {@code
     * MapViewOfFile} for writing through a handle opened for reading.
     */
    static final int ACCESS_DENIED = WinError.ERROR_ACCESS_DENIED;
    /** {@code CreateFile(CREATE_NEW)} of an existing file. */
    static final int FILE_EXISTS = WinError.ERROR_FILE_EXISTS;
    /** {@code CreateFile(OPEN_EXISTING)} of a path whose directory is missing. */
    static final int PATH_ABSENT = WinError.ERROR_PATH_NOT_FOUND;
    /** {@code ReleaseMutex} by a thread that does not own the mutex. */
    static final int NOT_OWNER = WinError.ERROR_NOT_OWNER;
    /** {@code MapViewOfFile} at an offset that is not a multiple of the allocation granularity. */
    static final int UNALIGNED_VIEW = WinError.ERROR_MAPPED_ALIGNMENT;
    /** {@code VirtualFree(MEM_DECOMMIT)} of pages of a mapped view: a section's pages stay committed. */
    static final int DECOMMIT_OF_VIEW_REFUSED = WinError.ERROR_INVALID_PARAMETER;

    /**
     * {@code DeleteFile} refusing a file that is mapped or open somewhere: the codes the backend reports
     * as "close the views, then delete it" ({@link Win32Errors#deleteFailed}).
     */
    static final java.util.Set<Integer> DELETE_REFUSED_IN_USE = java.util.Set.of(ACCESS_DENIED,
            WinError.ERROR_SHARING_VIOLATION, WinError.ERROR_USER_MAPPED_FILE, WinError.ERROR_LOCK_VIOLATION);

    /** The allocation granularity the object header's length is a divisor of (64 KiB). */
    static final long ALLOCATION_GRANULARITY = 64 * 1024;

    /** {@code VirtualQuery}'s {@code State} of a committed page, in any view of the section. */
    static final int MEM_COMMIT = 0x1000;
    /** {@code VirtualQuery}'s {@code State} of a page of a {@code SEC_RESERVE} section nobody committed. */
    static final int MEM_RESERVE = 0x2000;

    static final int WAIT_OBJECT_0 = WinBase.WAIT_OBJECT_0;
    /** The owner of a mutex died (thread exit or process kill) holding it; the waiter owns it now. */
    static final int WAIT_ABANDONED = WinBase.WAIT_ABANDONED;
    static final int WAIT_TIMEOUT = WinError.WAIT_TIMEOUT;
    /** {@code ReleaseSemaphore} past the maximum: refused, the count unchanged. */
    static final int TOO_MANY_POSTS = WinError.ERROR_TOO_MANY_POSTS;

    /** {@code GetExitCodeProcess} of a process that still runs. */
    static final int STILL_ACTIVE = WinBase.STILL_ACTIVE;

    /** {@code EVENT_BASIC_INFORMATION.EventType} of a manual-reset event ({@code NotificationEvent}). */
    static final int EVENT_TYPE_MANUAL_RESET = 0;
    /** {@code EVENT_BASIC_INFORMATION.EventType} of an auto-reset event ({@code SynchronizationEvent}). */
    static final int EVENT_TYPE_AUTO_RESET = 1;
    /** {@code NtQueryEvent} through a handle without {@code EVENT_QUERY_STATE}: {@code STATUS_ACCESS_DENIED}. */
    static final int STATUS_ACCESS_DENIED = 0xC000_0022;

    private Win32Facts() {
    }
}
