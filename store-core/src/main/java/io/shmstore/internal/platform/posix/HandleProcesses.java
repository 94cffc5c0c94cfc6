package io.shmstore.internal.platform.posix;

import io.shmstore.internal.sync.ProcessProbe;

import java.time.Instant;
import java.util.Optional;

/**
 * {@link ProcessProbe} from {@link ProcessHandle}, for systems without {@code /proc}. The start tag
 * is the start instant in units of 10 ms.
 */
final class HandleProcesses implements ProcessProbe {
    private final int selfPid = (int) ProcessHandle.current().pid();
    private final int selfTag = tagOf(ProcessHandle.current());

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
        Optional<ProcessHandle> h = ProcessHandle.of(pid);
        return h.isPresent() && h.get().isAlive() && tagOf(h.get()) == startTag;
    }

    private static int tagOf(ProcessHandle h) {
        Optional<Instant> start = h.info().startInstant();
        int t = start.map(i -> (int) (i.toEpochMilli() / 10)).orElse(1);
        return t == 0 ? 1 : t;
    }
}
