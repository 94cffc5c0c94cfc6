package io.shmstore.internal.platform.windows;

import com.sun.jna.platform.win32.Kernel32;
import com.sun.jna.platform.win32.WinBase;
import com.sun.jna.platform.win32.WinNT;
import com.sun.jna.ptr.IntByReference;
import io.shmstore.internal.sync.ProcessProbe;

/**
 * {@link ProcessProbe} from Win32 process handles. The start tag is the process creation time
 * ({@code GetProcessTimes}, 100 ns units since 1601) in milliseconds, low 32 bits, with the lowest
 * bit set so it is never zero; the same function computes it for this process and for any other, so
 * tags compare equal exactly when pid and start time both match. Computed on first use, not at
 * construction, so that no Win32 call runs before a caller asks.
 */
final class WindowsProcesses implements ProcessProbe {
    /** 100 ns intervals per millisecond. */
    private static final long FILETIME_PER_MILLI = 10_000;

    /** This process as {@link ProcessProbe#selfWord()}; 0 until first asked (a real word is never 0). */
    private volatile long self;

    @Override
    public int selfPid() {
        return ProcessProbe.pidOf(self());
    }

    @Override
    public int selfStartTag() {
        return ProcessProbe.tagOf(self());
    }

    @Override
    public long selfWord() {
        return self();
    }

    /**
     * Alive means: the pid opens, has not exited ({@code STILL_ACTIVE}) and has the same start tag. A
     * process that has exited but whose object other handles keep is dead. A process this user may
     * not query (another user's, a protected one) counts as alive: its tag cannot be checked, and
     * declaring a live owner dead would hand its lock to someone else.
     */
    @Override
    public boolean isAlive(int pid, int startTag) {
        if (pid <= 0) {
            return false;
        }
        long me = self();
        if (pid == ProcessProbe.pidOf(me)) {
            return startTag == ProcessProbe.tagOf(me);
        }
        WinNT.HANDLE h = Kernel32.INSTANCE.OpenProcess(WinNT.PROCESS_QUERY_LIMITED_INFORMATION, false, pid);
        if (Win32.invalid(h)) {
            return Win32.lastError() == Win32Facts.ACCESS_DENIED;
        }
        try {
            IntByReference exitCode = new IntByReference();
            if (Kernel32.INSTANCE.GetExitCodeProcess(h, exitCode) && exitCode.getValue() != Win32Facts.STILL_ACTIVE) {
                return false;
            }
            int tag = startTag(h);
            // unreadable creation time: as with a denied open, a process that cannot be checked is alive
            return tag == 0 || tag == startTag;
        } finally {
            Win32.close(h);
        }
    }

    private long self() {
        long word = self;
        if (word == 0) {
            // racing threads compute the same value; whichever store lands is right
            int tag = startTag(Kernel32.INSTANCE.GetCurrentProcess());
            if (tag == 0) {
                throw Win32Errors.toException(Win32.lastError(), "cannot read this process's start time");
            }
            word = ProcessProbe.ownerWord(Kernel32.INSTANCE.GetCurrentProcessId(), tag);
            self = word;
        }
        return word;
    }

    /** The start tag of the process behind {@code process}, or 0 when Windows will not say. */
    private static int startTag(WinNT.HANDLE process) {
        WinBase.FILETIME creation = new WinBase.FILETIME();
        WinBase.FILETIME exit = new WinBase.FILETIME();
        WinBase.FILETIME kernel = new WinBase.FILETIME();
        WinBase.FILETIME user = new WinBase.FILETIME();
        if (!Kernel32.INSTANCE.GetProcessTimes(process, creation, exit, kernel, user)) {
            return 0;
        }
        long ticks = ((long) creation.dwHighDateTime << 32) | (creation.dwLowDateTime & 0xFFFF_FFFFL);
        return (int) (ticks / FILETIME_PER_MILLI) | 1;
    }
}
