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
    /** {@code CreateFileMapping}: a pagefile-backed section whose pages are committed only on request. */
    static final int SEC_RESERVE = 0x0400_0000;
    /** {@code CreateFileMapping}: a pagefile-backed section committed, and charged, in full at creation. */
    static final int SEC_COMMIT = 0x0800_0000;
    /** {@code NtQueryEvent}'s {@code EventBasicInformation} class. */
    private static final int EVENT_BASIC_INFORMATION = 0;
    /** Bytes of {@code BY_HANDLE_FILE_INFORMATION}. */
    private static final int FILE_INFORMATION_BYTES = 52;
    private static final int VOLUME_SERIAL_OFFSET = 28;
    private static final int FILE_INDEX_HIGH_OFFSET = 44;
    private static final int FILE_INDEX_LOW_OFFSET = 48;
    /** Bytes of a 64-bit {@code MEMORY_BASIC_INFORMATION}, and the offset of its {@code State}. */
    private static final int BASIC_INFORMATION_BYTES = 48;
    private static final int STATE_OFFSET = 32;

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
        return Extra.API.MapViewOfFile(section, access, (int) (offset >>> 32), (int) offset,
                new BaseTSD.SIZE_T(length));
    }

    /**
     * {@code VirtualAlloc(MEM_COMMIT, PAGE_READWRITE)} of {@code length} bytes at {@code address}, inside a
     * view of a {@code SEC_RESERVE} section: the pages are committed in the section, so every view in
     * every process sees them backed from now on. Committing committed pages is allowed.
     *
     * @return false on failure (see {@link #lastError()})
     */
    static boolean commit(long address, long length) {
        return Extra.API.VirtualAlloc(new Pointer(address), new BaseTSD.SIZE_T(length), WinNT.MEM_COMMIT,
                WinNT.PAGE_READWRITE) != null;
    }

    /**
     * True when the page at {@code address}, in a view, is committed ({@code VirtualQuery}'s {@code
     * State}): in a view of a {@code SEC_RESERVE} section, a page another process committed shows as
     * committed here too, and one nobody committed as reserved, which must not be touched.
     */
    static boolean committed(long address) {
        try (com.sun.jna.Memory info = new com.sun.jna.Memory(BASIC_INFORMATION_BYTES)) {
            BaseTSD.SIZE_T got = Extra.API.VirtualQuery(new Pointer(address), info,
                    new BaseTSD.SIZE_T(BASIC_INFORMATION_BYTES));
            return got.longValue() == BASIC_INFORMATION_BYTES && info.getInt(STATE_OFFSET) == Win32Facts.MEM_COMMIT;
        }
    }

    /**
     * The identity of the file behind {@code file}: volume serial number and file index, the same for
     * every handle and path of one file ({@code GetFileInformationByHandle}).
     *
     * @return "{@code <volume>-<index>}" in hex, or {@code null} on failure (see {@link #lastError()})
     */
    static String fileIdentity(WinNT.HANDLE file) {
        try (com.sun.jna.Memory info = new com.sun.jna.Memory(FILE_INFORMATION_BYTES)) {
            if (!Extra.API.GetFileInformationByHandle(file, info)) {
                return null;
            }
            long index = ((long) info.getInt(FILE_INDEX_HIGH_OFFSET) << 32)
                    | (info.getInt(FILE_INDEX_LOW_OFFSET) & 0xFFFF_FFFFL);
            return Integer.toHexString(info.getInt(VOLUME_SERIAL_OFFSET)) + "-" + Long.toHexString(index);
        }
    }

    /**
     * The reset type of the event behind {@code event} ({@code NtQueryEvent}, which needs {@code
     * EVENT_QUERY_STATE} on the handle): {@link Win32Facts#EVENT_TYPE_MANUAL_RESET} or {@link
     * Win32Facts#EVENT_TYPE_AUTO_RESET}.
     *
     * @return the type, or -1 - status when the call failed with that NTSTATUS
     */
    static int eventType(WinNT.HANDLE event) {
        try (com.sun.jna.Memory info = new com.sun.jna.Memory(8)) {
            int status = NtDll.API.NtQueryEvent(event, EVENT_BASIC_INFORMATION, info, 8, null);
            return status == 0 ? info.getInt(0) : -1 - status;
        }
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

    /** Kernel32 calls that jna-platform lacks or declares too narrowly, loaded on first use. */
    interface Kernel32Extra extends StdCallLibrary {
        Pointer MapViewOfFile(WinNT.HANDLE hFileMappingObject, int dwDesiredAccess, int dwFileOffsetHigh,
                              int dwFileOffsetLow, BaseTSD.SIZE_T dwNumberOfBytesToMap);

        Pointer VirtualAlloc(Pointer lpAddress, BaseTSD.SIZE_T dwSize, int flAllocationType, int flProtect);

        boolean GetFileInformationByHandle(WinNT.HANDLE hFile, Pointer lpFileInformation);

        BaseTSD.SIZE_T VirtualQuery(Pointer lpAddress, Pointer lpBuffer, BaseTSD.SIZE_T dwLength);
    }

    /** The one ntdll call: {@code NtQueryEvent}, which Win32 has no wrapper for. */
    interface NtDllApi extends StdCallLibrary {
        int NtQueryEvent(WinNT.HANDLE eventHandle, int informationClass, Pointer information, int length,
                         Pointer returnLength);
    }

    private static final class Extra {
        static final Kernel32Extra API = Native.load("kernel32", Kernel32Extra.class, W32APIOptions.DEFAULT_OPTIONS);
    }

    private static final class NtDll {
        static final NtDllApi API = Native.load("ntdll", NtDllApi.class);
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
