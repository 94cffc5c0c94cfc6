package io.shmstore.internal.platform.windows;

import com.sun.jna.Native;
import com.sun.jna.Pointer;
import com.sun.jna.platform.win32.BaseTSD;
import com.sun.jna.platform.win32.Kernel32;
import com.sun.jna.platform.win32.WinBase;
import com.sun.jna.platform.win32.WinNT;
import com.sun.jna.ptr.IntByReference;
import com.sun.jna.win32.StdCallLibrary;
import com.sun.jna.win32.W32APIOptions;

/**
 * The Win32 plumbing shared by the Windows backend's classes. Nothing here binds a native library
 * while the class loads: {@code Backends} loads the Windows backend's classes on every operating
 * system, so {@link Kernel32#INSTANCE} and the binding below are reached only from method bodies and
 * lazy holders, which run on Windows alone.
 */
final class Win32 {
    /** {@code WaitForSingleObject}'s "no time-out" value. */
    private static final long INFINITE_MILLIS = 0xFFFF_FFFFL;

    private Win32() {
    }

    /**
     * The error of the last native call on this thread. JNA captures it right after every call, so it
     * is not disturbed by whatever the JVM does in between, unlike a later call to {@code GetLastError}.
     */
    static int lastError() {
        return Native.getLastError();
    }

    /** True for the values Win32 functions return instead of a handle when they fail. */
    static boolean invalid(WinNT.HANDLE h) {
        return h == null || WinBase.INVALID_HANDLE_VALUE.equals(h);
    }

    /** Closes a handle on a path that has nothing left to report: a failure cannot be acted upon. */
    static void close(WinNT.HANDLE h) {
        if (!invalid(h)) {
            Kernel32.INSTANCE.CloseHandle(h);
        }
    }

    /**
     * {@code MapViewOfFile}. jna-platform declares the byte count as {@code int}, but it is a
     * {@code SIZE_T}: views of 2 GiB or more would be passed truncated, so this one call has its own
     * binding with the native signature.
     *
     * @return the view's base address, or {@code null} on failure (see {@link #lastError()})
     */
    static Pointer mapView(WinNT.HANDLE section, int access, long offset, long length) {
        return Views.API.MapViewOfFile(section, access, (int) (offset >>> 32), (int) offset,
                new BaseTSD.SIZE_T(length));
    }

    /** Granularity of view offsets ({@code dwAllocationGranularity}, 64 KiB on every Windows so far). */
    static long allocationGranularity() {
        return Granularity.VALUE;
    }

    /**
     * A time-out for {@code WaitForSingleObject}: milliseconds rounded up, so that a wait never ends
     * before the caller's deadline; a time-out beyond the largest finite value (about 49 days) waits
     * without limit, as a caller passing such a value means.
     */
    static int waitMillis(long timeoutNanos) {
        if (timeoutNanos <= 0) {
            return 0;
        }
        long millis = timeoutNanos / 1_000_000 + (timeoutNanos % 1_000_000 == 0 ? 0 : 1);
        return (int) Math.min(millis, INFINITE_MILLIS);
    }

    /** jna-platform binds none of the semaphore calls; the Windows semaphore uses this binding, loaded on first use. */
    static SemaphoreApi semaphores() {
        return Semaphores.API;
    }

    /**
     * {@code NtQuerySemaphore}'s {@code SemaphoreBasicInformation}: the current and the maximum count.
     * It is the one call that reads a semaphore's counts; it lives in ntdll, is exported on every
     * Windows NT, and needs {@code SEMAPHORE_QUERY_STATE} on the handle.
     *
     * @return {current, maximum}, or {@code null} when the call fails
     */
    static int[] semaphoreCounts(WinNT.HANDLE semaphore) {
        int[] info = new int[2];
        return NtQuery.API.NtQuerySemaphore(semaphore, 0, info, 2 * Integer.BYTES, null) == 0 ? info : null;
    }

    /** {@code CreateSemaphoreW}, {@code OpenSemaphoreW} and {@code ReleaseSemaphore}. */
    interface SemaphoreApi extends StdCallLibrary {
        WinNT.HANDLE CreateSemaphore(WinBase.SECURITY_ATTRIBUTES lpSemaphoreAttributes, int lInitialCount,
                                     int lMaximumCount, String lpName);

        WinNT.HANDLE OpenSemaphore(int dwDesiredAccess, boolean bInheritHandle, String lpName);

        boolean ReleaseSemaphore(WinNT.HANDLE hSemaphore, int lReleaseCount, IntByReference lpPreviousCount);
    }

    /** The binding for {@link #semaphoreCounts}: an NTSTATUS, 0 on success. */
    interface NtQueryApi extends StdCallLibrary {
        int NtQuerySemaphore(WinNT.HANDLE semaphoreHandle, int informationClass, int[] information, int length,
                             IntByReference returnLength);
    }

    private static final class Semaphores {
        static final SemaphoreApi API = Native.load("kernel32", SemaphoreApi.class, W32APIOptions.DEFAULT_OPTIONS);
    }

    private static final class NtQuery {
        static final NtQueryApi API = Native.load("ntdll", NtQueryApi.class, W32APIOptions.DEFAULT_OPTIONS);
    }

    /** The binding for {@link #mapView}, loaded on first use. */
    interface ViewApi extends StdCallLibrary {
        Pointer MapViewOfFile(WinNT.HANDLE hFileMappingObject, int dwDesiredAccess, int dwFileOffsetHigh,
                              int dwFileOffsetLow, BaseTSD.SIZE_T dwNumberOfBytesToMap);
    }

    private static final class Views {
        static final ViewApi API = Native.load("kernel32", ViewApi.class, W32APIOptions.DEFAULT_OPTIONS);
    }

    private static final class Granularity {
        static final long VALUE = query();

        private static long query() {
            WinBase.SYSTEM_INFO info = new WinBase.SYSTEM_INFO();
            Kernel32.INSTANCE.GetSystemInfo(info);
            return info.dwAllocationGranularity.longValue();
        }
    }
}
