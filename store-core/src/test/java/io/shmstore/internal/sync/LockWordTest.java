package io.shmstore.internal.sync;

import io.shmstore.LockTimeoutException;
import io.shmstore.internal.sync.ProcessProbe;
import io.shmstore.memory.Ownership;
import net.openhft.chronicle.core.OS;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The lock-word protocol against a scripted process table. */
class LockWordTest {
    private static final int SELF_PID = 1000;
    private static final int SELF_TAG = 77;

    /** A process table the test controls: pid and tag pairs that are alive. */
    private final ScriptedProcesses probe = new ScriptedProcesses(SELF_PID, SELF_TAG);

    private long memory;
    private LocalOwner owner;
    private LockWord lock;

    @BeforeEach
    void setUp() {
        memory = OS.memory().allocate(64);
        long aligned = (memory + 7) & ~7L;
        LockWord.initialize(aligned);
        owner = LocalOwner.register("lock-word-test-" + System.nanoTime());
        lock = new LockWord(aligned, new io.shmstore.internal.sync.BackoffWaiter(), probe, owner, "test lock");
        this.word = aligned;
    }

    private long word;

    @AfterEach
    void tearDown() {
        owner.unregister();
        OS.memory().freeMemory(memory, 64);
    }

    @Test
    void aRecycledPidWithAnotherStartTimeIsADeadOwner() {
        int pid = 4242;
        probe.live(pid, 9);
        OS.memory().writeVolatileLong(word, ProcessProbe.ownerWord(pid, 8));
        assertThat(lock.tryAcquire()).isEqualTo(Ownership.ABANDONED);
        assertThat(lock.recoveries()).isEqualTo(1);
        assertThat(lock.ownerPid()).isEqualTo(SELF_PID);
        lock.release();
        assertThat(OS.memory().readVolatileLong(word)).isZero();
    }

    @Test
    void aLiveOwnerIsNotTakenOver() {
        int pid = 4243;
        probe.live(pid, 5);
        OS.memory().writeVolatileLong(word, ProcessProbe.ownerWord(pid, 5));
        assertThat(lock.tryAcquire()).isNull();
        assertThatThrownBy(() -> lock.acquire(20_000_000L)).isInstanceOf(LockTimeoutException.class)
                .hasMessageContaining("4243").hasMessageContaining("test lock");
        assertThat(lock.recoveries()).isZero();
        probe.die(pid, 5);
        assertThat(lock.acquire(1_000_000_000L)).isEqualTo(Ownership.ABANDONED);
        lock.release();
    }

    @Test
    void releaseThatFindsTheWordStolenReportsCorruption() {
        assertThat(lock.tryAcquire()).isEqualTo(Ownership.ACQUIRED);
        OS.memory().writeVolatileLong(word, ProcessProbe.ownerWord(1, 1));
        assertThatThrownBy(lock::release).isInstanceOf(io.shmstore.StoreCorruptedException.class)
                .hasMessageContaining("pid 1");
    }

    @Test
    void misalignedWordsAreRefused() {
        assertThatThrownBy(() -> new LockWord(word + 4, new BackoffWaiter(), probe, owner, "x"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("aligned");
    }
}
