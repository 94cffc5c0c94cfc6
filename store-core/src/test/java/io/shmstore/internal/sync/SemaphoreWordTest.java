package io.shmstore.internal.sync;

import io.shmstore.IncompatibleStoreException;
import io.shmstore.SemaphoreFullException;
import io.shmstore.StoreCorruptedException;
import net.openhft.chronicle.core.Memory;
import net.openhft.chronicle.core.OS;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The semaphore-word protocol against a scripted process table: other processes' holdings, their
 * deaths, and their deaths inside the lock, written into the word as each would leave it.
 */
class SemaphoreWordTest {
    private static final int SELF_PID = 1000;
    private static final int SELF_TAG = 77;
    private static final Memory MEMORY = OS.memory();

    /** A process table the test controls: pid and tag pairs that are alive. */
    private final ScriptedProcesses probe = new ScriptedProcesses(SELF_PID, SELF_TAG);

    private long memory;
    private long word;
    private LocalOwner owner;

    @BeforeEach
    void setUp() {
        memory = MEMORY.allocate(SemaphoreWord.LENGTH + 8);
        word = (memory + 7) & ~7L;
        SemaphoreWord.initialize(word, SemaphoreWord.LENGTH, 4, 4);
        owner = LocalOwner.register("semaphore-word-test-" + System.nanoTime());
    }

    @AfterEach
    void tearDown() {
        owner.unregister();
        MEMORY.freeMemory(memory, SemaphoreWord.LENGTH + 8);
    }

    private SemaphoreWord open() {
        return new SemaphoreWord(word, 4, 4, new BackoffWaiter(), probe, owner, "semaphore \"test\"");
    }

    /** Another process's holder record, as its own acquires would have written it. */
    private int otherHolds(int pid, int tag, int permits) {
        int slot = pid % 100 + 10;
        long at = word + SemaphoreWord.HOLDERS_OFFSET + (long) slot * SemaphoreWord.HOLDER_LENGTH;
        MEMORY.writeVolatileLong(at, ProcessProbe.ownerWord(pid, tag));
        MEMORY.writeVolatileInt(at + SemaphoreWord.HOLDER_HELD_OFFSET, permits);
        return slot;
    }

    private int available() {
        return MEMORY.readVolatileInt(word + SemaphoreWord.AVAILABLE_OFFSET);
    }

    @Test
    void theNextAcquireIsToldOnceOfTheDeadHoldersPermits() {
        SemaphoreWord s = open();
        int me = s.claimSlot();
        probe.live(2001, 5);
        otherHolds(2001, 5, 3);
        MEMORY.writeVolatileInt(word + SemaphoreWord.AVAILABLE_OFFSET, 1);
        assertThat(s.take(me, 2, 0, true)).as("the holder is alive").isEqualTo(-1);
        assertThat(s.tryTake(me, 1, true)).isZero();
        probe.die(2001, 5);
        probe.live(2001, 6); // the pid, reused by a later process
        assertThat(s.take(me, 2, 1_000_000_000L, true)).as("reported to this acquire").isEqualTo(3);
        assertThat(s.tryTake(me, 1, true)).as("and to no other").isZero();
        assertThat(s.recovered()).isEqualTo(3);
        assertThat(s.held(me)).isEqualTo(4);
        assertThat(available()).isZero();
    }

    @Test
    void aProcessKilledInsideTheLockIsRepairedByTheNextToTakeIt() {
        SemaphoreWord s = open();
        int me = s.claimSlot();
        // process 2002 died in the middle of an acquire of 2: its held count was stored, the pool's was not
        int dead = otherHolds(2002, 1, 2);
        MEMORY.writeVolatileLong(word + SemaphoreWord.LOCK_OFFSET, ProcessProbe.ownerWord(2002, 1));
        assertThat(available()).isEqualTo(4);
        assertThat(s.tryTake(me, 3, false)).as("after the repair, 2 are free").isEqualTo(-1);
        assertThat(available()).isEqualTo(2);
        assertThat(s.reclaimDead()).isEqualTo(2);
        assertThat(available()).isEqualTo(4);
        long record = word + SemaphoreWord.HOLDERS_OFFSET + (long) dead * SemaphoreWord.HOLDER_LENGTH;
        assertThat(MEMORY.readVolatileLong(record)).as("its record is free").isZero();
    }

    @Test
    void aProcessKilledInsideTheLockHalfwayThroughAReleaseIsRepairedByAWaiter() {
        SemaphoreWord s = open();
        int me = s.claimSlot();
        // process 2003 held all 4 and died releasing 3: its held count went down, the pool's did not go up
        otherHolds(2003, 1, 1);
        MEMORY.writeVolatileInt(word + SemaphoreWord.AVAILABLE_OFFSET, 0);
        MEMORY.writeVolatileLong(word + SemaphoreWord.LOCK_OFFSET, ProcessProbe.ownerWord(2003, 1));
        assertThat(s.take(me, 4, 1_000_000_000L, true)).as("its last permit was recovered").isEqualTo(1);
        assertThat(s.held(me)).isEqualTo(4);
        assertThat(available()).isZero();
    }

    @Test
    void aThreadThatDiedInsideTheLockIsRepairedByAWaiter() {
        SemaphoreWord s = open();
        int me = s.claimSlot();
        assertThat(s.tryTake(me, 4, false)).isZero();
        // a thread of this process released 2 and died before the pool went up; its lock word is this
        // process's, held by no live thread here
        long record = word + SemaphoreWord.HOLDERS_OFFSET + (long) me * SemaphoreWord.HOLDER_LENGTH;
        MEMORY.writeVolatileInt(record + SemaphoreWord.HOLDER_HELD_OFFSET, 2);
        Thread dead = new Thread(() -> { });
        dead.start();
        join(dead);
        owner.owner = dead;
        MEMORY.writeVolatileLong(word + SemaphoreWord.LOCK_OFFSET, probe.selfWord());
        assertThat(s.take(me, 2, 1_000_000_000L, false)).isZero();
        assertThat(s.held(me)).isEqualTo(4);
    }

    private static void join(Thread t) {
        try {
            t.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    @Test
    void aReleaseBeyondTheMaxChangesNothing() {
        SemaphoreWord s = open();
        int me = s.claimSlot();
        otherHolds(2004, 1, 1);
        probe.live(2004, 1);
        MEMORY.writeVolatileInt(word + SemaphoreWord.AVAILABLE_OFFSET, 3);
        assertThatThrownBy(() -> s.release(me, 1)).isInstanceOf(SemaphoreFullException.class)
                .hasMessageContaining("holds 0").hasMessageContaining("making 5 permits").hasMessageContaining("max of 4");
        assertThat(available()).isEqualTo(3);
        assertThat(s.held(me)).isZero();
    }

    @Test
    void freeingTheLastRecordOfAProcessGivesItsPermitsBackAsRecovered() {
        SemaphoreWord s = open();
        int me = s.claimSlot();
        s.tryTake(me, 3, false);
        assertThat(s.freeSlot(me)).isEqualTo(3);
        assertThat(available()).isEqualTo(4);
        int again = s.claimSlot();
        assertThat(s.tryTake(again, 1, true)).isEqualTo(3);
    }

    @Test
    void anotherPermitCountOrADamagedWordIsRefused() {
        assertThatThrownBy(() -> new SemaphoreWord(word, 3, 4, new BackoffWaiter(), probe, owner, "semaphore \"test\""))
                .isInstanceOf(IncompatibleStoreException.class).hasMessageContaining("4 initial permits and at most 4")
                .hasMessageContaining("3 and at most 4");
        MEMORY.writeVolatileInt(word + SemaphoreWord.CAPACITY_OFFSET, 1 << 30);
        assertThatThrownBy(this::open).isInstanceOf(StoreCorruptedException.class).hasMessageContaining("capacity");
        MEMORY.writeVolatileInt(word + SemaphoreWord.CAPACITY_OFFSET, SemaphoreWord.CAPACITY);
        SemaphoreWord s = open();
        int me = s.claimSlot();
        otherHolds(2005, 1, -7);
        MEMORY.writeVolatileLong(word + SemaphoreWord.LOCK_OFFSET, ProcessProbe.ownerWord(2005, 1));
        assertThatThrownBy(() -> s.tryTake(me, 1, false)).isInstanceOf(StoreCorruptedException.class)
                .hasMessageContaining("-7");
    }
}
