package io.shmstore.internal.sync;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** A process table a test controls: this process, and the pid and start-tag pairs it says are alive. */
final class ScriptedProcesses implements ProcessProbe {
    private final Set<Long> alive = ConcurrentHashMap.newKeySet();
    private final int selfPid;
    private final int selfTag;

    ScriptedProcesses(int selfPid, int selfTag) {
        this.selfPid = selfPid;
        this.selfTag = selfTag;
        live(selfPid, selfTag);
    }

    void live(int pid, int tag) {
        alive.add(ProcessProbe.ownerWord(pid, tag));
    }

    void die(int pid, int tag) {
        alive.remove(ProcessProbe.ownerWord(pid, tag));
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
        return alive.contains(ProcessProbe.ownerWord(pid, startTag));
    }
}
