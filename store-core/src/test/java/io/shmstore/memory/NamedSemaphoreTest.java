package io.shmstore.memory;

import io.shmstore.IncompatibleStoreException;
import io.shmstore.LockTimeoutException;
import io.shmstore.SemaphoreFullException;
import io.shmstore.testing.Background;
import io.shmstore.testing.ChildJvm;
import io.shmstore.testing.ShmDirExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The named-semaphore contract, per backend (see {@link SharedMemoryTest}). */
@ExtendWith(ShmDirExtension.class)
@SuppressWarnings("try") // handles opened only to keep an object alive
class NamedSemaphoreTest {
    private static final Duration CHILD = Duration.ofSeconds(60);

    @Test
    void acquireAndReleaseCountThePermitsOfTheProcess() {
        try (NamedSemaphore s = NamedSemaphore.createOrOpen("pool", 3, 3)) {
            assertThat(s.availablePermits()).isEqualTo(3);
            assertThat(s.maxPermits()).isEqualTo(3);
            assertThat(s.name()).isEqualTo("pool");
            assertThat(s.tryAcquire(Duration.ZERO)).isTrue();
            Permits two = s.acquire(2, Duration.ZERO);
            assertThat(two).isEqualTo(new Permits(2, 0));
            assertThat(two.ownership()).isEqualTo(Ownership.ACQUIRED);
            assertThat(s.availablePermits()).isZero();
            assertThat(s.heldByThisProcess()).isEqualTo(3);
            s.release(2);
            s.release();
            assertThat(s.availablePermits()).isEqualTo(3);
            assertThat(s.heldByThisProcess()).isZero();
            assertThat(s.recoveredPermits()).isZero();
        }
    }

    @Test
    void anEmptyPoolTimesTheWaitOutAndTheTimeOutNamesTheHolders() {
        try (NamedSemaphore s = NamedSemaphore.createOrOpen("empty", 1, 1)) {
            assertThat(s.tryAcquire(Duration.ZERO)).isTrue();
            assertThat(s.tryAcquire(Duration.ZERO)).isFalse();
            assertThat(s.tryAcquire(Duration.ofMillis(50))).isFalse();
            assertThatThrownBy(() -> s.acquire(1, Duration.ofMillis(50)))
                    .isInstanceOf(LockTimeoutException.class)
                    .hasMessageContaining("\"empty\"")
                    .hasMessageContaining("0 available")
                    .hasMessageContaining("pid " + ProcessHandle.current().pid() + " (1)");
            s.release();
            assertThat(s.tryAcquire(Duration.ZERO)).isTrue();
            s.release();
        }
    }

    @Test
    void threadsOfAProcessShareItsPermitsAndAWaiterWakesOnARelease() throws Exception {
        try (NamedSemaphore s = NamedSemaphore.createOrOpen("threads", 1, 1)) {
            assertThat(s.tryAcquire(Duration.ZERO)).isTrue();
            CompletableFuture<Boolean> waiting = CompletableFuture.supplyAsync(() -> s.tryAcquire(Duration.ofSeconds(30)));
            Thread.sleep(100);
            assertThat(waiting).isNotDone();
            CompletableFuture.runAsync(s::release).get(30, TimeUnit.SECONDS);
            assertThat(waiting.get(30, TimeUnit.SECONDS)).isTrue();
            assertThat(s.heldByThisProcess()).isEqualTo(1);
            s.release();
        }
    }

    @Test
    void releaseBeyondMaxThrowsNamingTheCountsAndChangesNothing() {
        try (NamedSemaphore s = NamedSemaphore.createOrOpen("full", 2, 2)) {
            assertThatThrownBy(s::release).isInstanceOf(SemaphoreFullException.class)
                    .hasMessageContaining("\"full\"")
                    .hasMessageContaining("max of 2");
            s.acquire(1, Duration.ZERO);
            assertThatThrownBy(() -> s.release(2)).isInstanceOf(SemaphoreFullException.class)
                    .hasMessageContaining("holds 1")
                    .hasMessageContaining("making 3 permits");
            assertThat(s.availablePermits()).isEqualTo(1);
            assertThat(s.heldByThisProcess()).isEqualTo(1);
            s.release();
            assertThat(s.availablePermits()).isEqualTo(2);
        }
    }

    @Test
    void aProcessThatNeverAcquiresReleasesNewPermitsUpToTheMax() {
        try (NamedSemaphore s = NamedSemaphore.createOrOpen("signals", 0, 2)) {
            assertThat(s.tryAcquire(Duration.ZERO)).isFalse();
            s.release();
            s.release();
            assertThatThrownBy(s::release).isInstanceOf(SemaphoreFullException.class);
            assertThat(s.availablePermits()).isEqualTo(2);
        }
    }

    @Test
    void openingWithOtherPermitCountsFailsNamingBoth() {
        try (NamedSemaphore s = NamedSemaphore.createOrOpen("counts", 2, 5)) {
            assertThatThrownBy(() -> NamedSemaphore.createOrOpen("counts", 3, 5))
                    .isInstanceOf(IncompatibleStoreException.class)
                    .hasMessageContaining("2 initial permits and at most 5")
                    .hasMessageContaining("3 and at most 5");
            assertThatThrownBy(() -> NamedSemaphore.createOrOpen("counts", 2, 4))
                    .isInstanceOf(IncompatibleStoreException.class)
                    .hasMessageContaining("at most 5")
                    .hasMessageContaining("at most 4");
            try (NamedSemaphore same = NamedSemaphore.createOrOpen("counts", 2, 5)) {
                assertThat(same.availablePermits()).isEqualTo(s.availablePermits());
            }
        }
    }

    @Test
    void badCountsAndPermitsAreRefusedNamingTheValue() {
        assertThatThrownBy(() -> NamedSemaphore.createOrOpen("bad", 0, 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("max permits 0");
        assertThatThrownBy(() -> NamedSemaphore.createOrOpen("bad", 3, 2))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("initial permits 3");
        assertThatThrownBy(() -> NamedSemaphore.createOrOpen("bad", -1, 2))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("initial permits -1");
        assertThatThrownBy(() -> NamedSemaphore.createOrOpen("a/b", 1, 1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("a/b");
        try (NamedSemaphore s = NamedSemaphore.createOrOpen("bad", 1, 2)) {
            assertThatThrownBy(() -> s.acquire(3, Duration.ZERO))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("permits 3");
            assertThatThrownBy(() -> s.tryAcquire(0, Duration.ZERO))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("permits 0");
            assertThatThrownBy(() -> s.release(-1))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("permits -1");
            assertThatThrownBy(() -> s.tryAcquire(Duration.ofMillis(-5)))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("PT-0.005S");
            assertThatThrownBy(() -> s.tryAcquire(null))
                    .isInstanceOf(NullPointerException.class).hasMessageContaining("timeout");
            assertThat(s.availablePermits()).isEqualTo(1);
        }
    }

    @Test
    void semaphoresShareTheNamespaceOfTheOtherKinds() {
        try (NamedSemaphore s = NamedSemaphore.createOrOpen("sem", 1, 1);
             NamedMutex m = NamedMutex.createOrOpen("mutex");
             NamedEvent e = NamedEvent.createOrOpen("event", EventMode.AUTO_RESET);
             SharedMemory mem = SharedMemory.create("memory", 4096)) {
            assertThatThrownBy(() -> NamedSemaphore.createOrOpen("mutex", 1, 1))
                    .isInstanceOf(IncompatibleStoreException.class).hasMessageContaining("is a mutex, not a semaphore");
            assertThatThrownBy(() -> NamedSemaphore.createOrOpen("event", 1, 1))
                    .isInstanceOf(IncompatibleStoreException.class).hasMessageContaining("is an event, not a semaphore");
            assertThatThrownBy(() -> NamedSemaphore.createOrOpen("memory", 1, 1))
                    .isInstanceOf(IncompatibleStoreException.class)
                    .hasMessageContaining("is a memory mapping, not a semaphore");
            assertThatThrownBy(() -> NamedMutex.createOrOpen("sem"))
                    .isInstanceOf(IncompatibleStoreException.class).hasMessageContaining("is a semaphore, not a mutex");
            assertThatThrownBy(() -> NamedEvent.createOrOpen("sem", EventMode.AUTO_RESET))
                    .isInstanceOf(IncompatibleStoreException.class).hasMessageContaining("is a semaphore, not an event");
            assertThatThrownBy(() -> SharedMemory.open("sem"))
                    .isInstanceOf(IncompatibleStoreException.class)
                    .hasMessageContaining("is a semaphore, not a memory mapping");
            assertThat(SharedMemory.list()).anySatisfy(info -> {
                assertThat(info.name()).isEqualTo("sem");
                assertThat(info.type()).isEqualTo("semaphore");
            });
        }
    }

    @Test
    void isCreatedOwnerOnlyAndGoesWithItsLastHandle() throws Exception {
        Path file = ShmDirExtension.dir().resolve("shmstore.lifetime");
        try (NamedSemaphore s = NamedSemaphore.createOrOpen("lifetime", 1, 1)) {
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
            try (NamedSemaphore wider = NamedSemaphore.createOrOpen("wider", 1, 1,
                    SharedMemory.parsePermissions("rw-rw----"))) {
                assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(
                        ShmDirExtension.dir().resolve("shmstore.wider")))).isEqualTo("rw-rw----");
            }
        }
        assertThat(file).doesNotExist();
    }

    @Test
    void childJvmsSharingNPermitsNeverHoldMoreThanNAtOnce() {
        int permits = 2;
        int children = 4;
        int rounds = 300;
        try (NamedSemaphore s = NamedSemaphore.createOrOpen("shared.pool", permits, permits);
             SharedMemory slots = SharedMemory.create("shared.slots", 8 + 8L * permits)) {
            List<ChildJvm> started = new ArrayList<>();
            try {
                for (int i = 0; i < children; i++) {
                    started.add(ChildJvm.start(MemoryChild.class, "share-permits", "shared.pool",
                            Integer.toString(permits), "shared.slots", Integer.toString(rounds)));
                }
                for (ChildJvm c : started) {
                    c.expect("READY", CHILD);
                }
                started.forEach(c -> c.send("go"));
                int most = 0;
                for (ChildJvm c : started) {
                    String line = c.nextLine(Duration.ofMinutes(5));
                    assertThat(line).as("child %d", c.pid()).startsWith("DONE " + rounds);
                    most = Math.max(most, Integer.parseInt(line.split(" ")[2]));
                    assertThat(c.waitFor(CHILD)).isZero();
                }
                System.out.println("most concurrent holders seen: " + most + " of " + permits + " permits");
                assertThat(most).isBetween(1, permits);
            } finally {
                started.forEach(ChildJvm::close);
            }
            assertThat(s.availablePermits()).isEqualTo(permits);
        }
    }

    @Test
    void aHolderKilledWithSigkillReturnsItsPermitsWithin100msOfItsDeath() throws Exception {
        try (ChildJvm child = ChildJvm.start(MemoryChild.class, "hold-permits", "victim", "3", "3", "3")) {
            child.expect("HELD", CHILD);
            try (NamedSemaphore s = NamedSemaphore.createOrOpen("victim", 3, 3)) {
                assertThat(s.availablePermits()).isZero();
                AtomicLong acquiredAt = new AtomicLong();
                CompletableFuture<Permits> waiting = CompletableFuture.supplyAsync(() -> {
                    Permits p = s.acquire(2, Duration.ofSeconds(30));
                    acquiredAt.set(System.nanoTime());
                    return p;
                });
                Thread.sleep(300);
                assertThat(waiting).as("the holder is alive").isNotDone();
                child.process().destroyForcibly();
                assertThat(child.process().waitFor(30, TimeUnit.SECONDS)).isTrue();
                long deathSeenAt = System.nanoTime();
                Permits p = waiting.get(30, TimeUnit.SECONDS);
                long ms = TimeUnit.NANOSECONDS.toMillis(acquiredAt.get() - deathSeenAt);
                System.out.println("permits of a killed holder back " + ms + " ms after its death was seen");
                assertThat(p).isEqualTo(new Permits(2, 3));
                assertThat(p.ownership()).isEqualTo(Ownership.ABANDONED);
                assertThat(ms).as("ms from the death to the permits").isLessThan(100);
                assertThat(s.availablePermits()).isEqualTo(1);
                assertThat(s.recoveredPermits()).isEqualTo(3);
                s.release(2);
            }
        }
    }

    @Test
    void theNextAcquirerIsToldOnceHowManyPermitsCameBack() {
        try (NamedSemaphore s = NamedSemaphore.createOrOpen("told", 4, 4)) {
            try (ChildJvm child = ChildJvm.start(MemoryChild.class, "hold-permits", "told", "4", "4", "3")) {
                child.expect("HELD", CHILD);
                assertThat(s.availablePermits()).isEqualTo(1);
                child.kill();
            }
            assertThat(s.tryAcquire(Duration.ZERO)).as("a permit was free all along").isTrue();
            assertThat(s.acquire(3, Duration.ofSeconds(30))).as("the dead holder's permits").isEqualTo(new Permits(3, 3));
            s.release(4);
            assertThat(s.acquire(1, Duration.ZERO)).as("told once").isEqualTo(new Permits(1, 0));
            s.release();
        }
    }

    @Test
    void aWaiterInAnotherProcessWakesOnARelease() {
        try (NamedSemaphore s = NamedSemaphore.createOrOpen("handoff", 1, 1)) {
            assertThat(s.tryAcquire(Duration.ZERO)).isTrue();
            try (ChildJvm child = ChildJvm.start(MemoryChild.class, "await-permits", "handoff", "1", "1", "1")) {
                child.expect("WAITING", CHILD);
                s.release();
                assertThat(child.expect("ACQUIRED", CHILD)).isEqualTo("1 0");
                assertThat(s.tryAcquire(Duration.ZERO)).isFalse();
                child.send("exit");
                assertThat(child.waitFor(CHILD)).isZero();
            }
        }
    }

    @Test
    void closingTheLastHandleOfAProcessGivesItsPermitsBack() {
        try (ChildJvm keeper = ChildJvm.start(MemoryChild.class, "hold-permits", "left", "3", "3", "1")) {
            keeper.expect("HELD", CHILD);
            NamedSemaphore first = NamedSemaphore.createOrOpen("left", 3, 3);
            NamedSemaphore second = NamedSemaphore.createOrOpen("left", 3, 3);
            first.acquire(2, Duration.ZERO);
            first.close();
            assertThat(second.heldByThisProcess()).as("held by the process, not the handle").isEqualTo(2);
            assertThat(second.availablePermits()).isZero();
            second.close();
            try (NamedSemaphore again = NamedSemaphore.createOrOpen("left", 3, 3)) {
                assertThat(again.availablePermits()).isEqualTo(2);
                assertThat(again.heldByThisProcess()).isZero();
                assertThat(again.acquire(1, Duration.ZERO)).isEqualTo(new Permits(1, 2));
                again.release();
            }
        }
    }

    @Test
    void closingWhileAThreadWaitsMakesItThrowAndLaterCallsThrowToo() throws Exception {
        NamedSemaphore s = NamedSemaphore.createOrOpen("closing", 0, 1);
        Throwable[] thrown = new Throwable[1];
        try (Background background = new Background()) {
            background.start("waiter", () -> {
                try {
                    s.acquire(1, Duration.ofSeconds(30));
                } catch (IllegalStateException expected) {
                    thrown[0] = expected;
                }
            });
            Thread.sleep(100);
            s.close();
        }
        assertThat(thrown[0]).isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
        assertThatThrownBy(() -> s.tryAcquire(Duration.ZERO)).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(s::release).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(s::availablePermits).isInstanceOf(IllegalStateException.class);
        s.close();
    }
}
