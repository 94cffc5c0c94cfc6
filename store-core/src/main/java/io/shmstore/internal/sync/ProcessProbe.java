package io.shmstore.internal.sync;

/**
 * Process identity for lock owners and attach tables: a pid plus a 32-bit tag derived from the
 * process start time, so that a recycled pid is not mistaken for the process that held it.
 */
public interface ProcessProbe {
    int selfPid();

    /** Non-zero start-time tag of this process. */
    int selfStartTag();

    /**
     * True while process {@code pid} runs and its start tag is {@code startTag}. A zombie (killed but
     * not yet reaped by its parent) is dead; so is a pid now used by a later process.
     */
    boolean isAlive(int pid, int startTag);

    /** This process as one word: start tag in the high 32 bits, pid in the low 32. Never zero. */
    default long selfWord() {
        return ownerWord(selfPid(), selfStartTag());
    }

    static long ownerWord(int pid, int startTag) {
        return ((long) startTag << 32) | (pid & 0xFFFF_FFFFL);
    }

    static int pidOf(long word) {
        return (int) word;
    }

    static int tagOf(long word) {
        return (int) (word >>> 32);
    }
}
