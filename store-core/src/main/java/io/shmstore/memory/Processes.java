package io.shmstore.memory;

import io.shmstore.internal.memory.Backends;
import io.shmstore.internal.sync.ProcessProbe;

/**
 * Processes as the named objects record them (a mutex's owner, an attach entry): one 64-bit word, the
 * pid in the low half and a tag of the process's start time in the high half, so that a pid the
 * operating system has given to a later process is not taken for the one recorded. A structure kept
 * in shared memory can record its writer this way and let readers tell a slow writer from a dead one.
 */
public final class Processes {
    private Processes() {
    }

    /**
     * This process's word.
     *
     * @return the word; never zero
     */
    public static long self() {
        return Backends.current().processes().selfWord();
    }

    /**
     * True while the process recorded as {@code word} runs: its pid exists, is not a zombie, and has
     * the recorded start tag. False for zero.
     *
     * @param word a process word, as {@link #self()} gave it
     * @return whether that process runs
     */
    public static boolean isAlive(long word) {
        return word != 0 && Backends.current().processes().isAlive(ProcessProbe.pidOf(word), ProcessProbe.tagOf(word));
    }

    /**
     * The pid in a process word.
     *
     * @param word a process word
     * @return its pid
     */
    public static int pidOf(long word) {
        return ProcessProbe.pidOf(word);
    }
}
