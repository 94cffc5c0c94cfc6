package io.shmstore.internal.platform.posix;

import io.shmstore.internal.sync.ProcessProbe;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Paths;

/**
 * {@link ProcessProbe} from {@code /proc/<pid>/stat}: the state letter (a zombie {@code Z} or a dying
 * {@code X} process is dead even though its pid still exists) and the start time in clock ticks since
 * boot (field 22), whose low 32 bits are the start tag.
 */
final class ProcProcesses implements ProcessProbe {
    private final int selfPid = (int) ProcessHandle.current().pid();
    private final int selfTag;

    ProcProcesses() {
        long[] st = stat(selfPid);
        if (st == null) {
            throw new IllegalStateException("cannot read /proc/self/stat");
        }
        selfTag = (int) st[1];
    }

    @Override
    public int selfPid() {
        return selfPid;
    }

    @Override
    public int selfStartTag() {
        return selfTag;
    }

    @Override
    public boolean isAlive(int pid, int startTag) {
        if (pid <= 0) {
            return false;
        }
        long[] st = stat(pid);
        return st != null && st[0] != 'Z' && st[0] != 'X' && (int) st[1] == startTag;
    }

    /** {state letter, start tag} or null when the process does not exist. */
    static long[] stat(int pid) {
        byte[] raw;
        try {
            raw = Files.readAllBytes(Paths.get("/proc/" + pid + "/stat"));
        } catch (NoSuchFileException e) {
            return null;
        } catch (IOException e) {
            return null;
        }
        String s = new String(raw, StandardCharsets.US_ASCII);
        int close = s.lastIndexOf(')');
        if (close < 0 || close + 2 >= s.length()) {
            return null;
        }
        String[] f = s.substring(close + 2).trim().split(" ");
        // f[0] is field 3 (state); field 22 (starttime) is f[19]
        if (f.length < 20 || f[0].isEmpty()) {
            return null;
        }
        long start = Long.parseLong(f[19]);
        return new long[]{f[0].charAt(0), tag(start)};
    }

    static int tag(long startTicks) {
        int t = (int) startTicks;
        return t == 0 ? 1 : t;
    }
}
