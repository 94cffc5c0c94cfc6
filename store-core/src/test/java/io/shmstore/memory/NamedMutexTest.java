package io.shmstore.memory;

import io.shmstore.LockTimeoutException;
import io.shmstore.testing.Background;
import io.shmstore.testing.ChildJvm;
import io.shmstore.testing.ShmDirExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.extension.ExtendWith;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The named-mutex contract, per backend (see {@link SharedMemoryTest}). */
@ExtendWith(ShmDirExtension.class)
class NamedMutexTest {
    private static final Duration CHILD = Duration.ofSeconds(60);

    @Test
    void uncontendedAcquireAndRelease() {
        try (NamedMutex m = NamedMutex.createOrOpen("m")) {
            assertThat(m.acquire(Duration.ZERO)).isEqualTo(Ownership.ACQUIRED);
            assertThat(m.isHeldByCurrentThread()).isTrue();
            assertThat(m.ownerPid()).isEqualTo(ProcessHandle.current().pid());
            m.release();
            assertThat(m.isHeldByCurrentThread()).isFalse();
            assertThat(m.ownerPid()).isZero();
            assertThat(m.tryAcquire()).isEqualTo(Ownership.ACQUIRED);
            m.release();
        }
    }

    @Test
    void releaseByAThreadThatDoesNotOwnItIsIllegal() throws Exception {
        try (NamedMutex m = NamedMutex.createOrOpen("owned")) {
            assertThatThrownBy(m::release).isInstanceOf(IllegalMonitorStateException.class)
                    .hasMessageContaining("\"owned\"");
            m.acquire(Duration.ofSeconds(1));
            ExecutorService other = Executors.newSingleThreadExecutor();
            try (NamedMutex second = NamedMutex.createOrOpen("owned")) {
                Future<Throwable> f = other.submit(() -> {
                    try {
                        second.release();
                        return null;
                    } catch (Throwable t) {
                        return new AssertionError(Thread.currentThread().getName(), t);
                    }
                });
                Throwable refused = f.get();
                // the same words on every backend (the Windows one shares them with the lock word)
                assertThat(refused.getCause()).isInstanceOf(IllegalMonitorStateException.class)
                        .hasMessage("mutex \"owned\" is not held by thread \"" + refused.getMessage()
                                + "\"; it is held by thread \"" + Thread.currentThread().getName() + "\"");
                assertThat(other.submit(second::tryAcquire).get()).as("held by another thread").isNull();
            } finally {
                other.shutdownNow();
            }
            assertThatThrownBy(() -> m.acquire(Duration.ZERO)).isInstanceOf(IllegalStateException.class)
                    .hasMessage("mutex \"owned\" is already held by this thread, and it is not reentrant: this thread would wait for itself. Release it before acquiring it again, or acquire it once around the whole section");
            m.release();
        }
    }

    @Test
    void closeReleasesOnlyWhatWasAcquiredThroughThatHandle() throws Exception {
        try (NamedMutex first = NamedMutex.createOrOpen("handles")) {
            NamedMutex second = NamedMutex.createOrOpen("handles");
            assertThat(first.acquire(Duration.ofSeconds(1))).isEqualTo(Ownership.ACQUIRED);
            second.close();
            assertThat(first.isHeldByCurrentThread()).as("closing another handle keeps it held").isTrue();
            ExecutorService other = Executors.newSingleThreadExecutor();
            try {
                assertThat(other.submit(first::tryAcquire).get()).as("held by this thread").isNull();
            } finally {
                other.shutdownNow();
            }
            first.release();
            NamedMutex third = NamedMutex.createOrOpen("handles");
            assertThat(third.acquire(Duration.ofSeconds(1))).isEqualTo(Ownership.ACQUIRED);
            third.close();
            assertThat(first.tryAcquire()).as("closing the acquiring handle released it").isEqualTo(Ownership.ACQUIRED);
            first.release();
        }
    }

    @Test
    void theHolderMayReleaseAfterAnotherThreadClosedTheHandle() throws Exception {
        NamedMutex m = NamedMutex.createOrOpen("closed-while-held");
        assertThat(m.acquire(Duration.ofSeconds(1))).isEqualTo(Ownership.ACQUIRED);
        ExecutorService other = Executors.newSingleThreadExecutor();
        try {
            other.submit(m::close).get();
        } finally {
            other.shutdownNow();
        }
        m.release();
        try (NamedMutex again = NamedMutex.createOrOpen("closed-while-held")) {
            assertThat(again.tryAcquire()).as("released for good").isEqualTo(Ownership.ACQUIRED);
            again.release();
        }
    }

    @Test
    void threadsOfOneProcessExcludeEachOther() throws Exception {
        int threads = 4;
        int rounds = 2000;
        long[] counter = new long[1];
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            CompletableFuture<?>[] fs = new CompletableFuture<?>[threads];
            for (int t = 0; t < threads; t++) {
                fs[t] = CompletableFuture.runAsync(() -> {
                    try (NamedMutex m = NamedMutex.createOrOpen("count")) {
                        for (int i = 0; i < rounds; i++) {
                            m.acquire(Duration.ofSeconds(30));
                            counter[0]++;
                            m.release();
                        }
                    }
                }, pool);
            }
            CompletableFuture.allOf(fs).get(120, TimeUnit.SECONDS);
        } finally {
            pool.shutdownNow();
        }
        assertThat(counter[0]).isEqualTo((long) threads * rounds);
    }

    @Test
    void aLiveOwnerInAnotherProcessTimesTheWaiterOutNamingItsPid() {
        try (ChildJvm child = ChildJvm.start(MemoryChild.class, "hold-mutex", "busy");
             NamedMutex m = openWhenHeld(child, "busy")) {
            assertThat(m.tryAcquire()).isNull();
            assertThat(m.ownerPid()).isEqualTo(child.pid());
            assertThat(m.isAbandoned()).isFalse();
            assertThatThrownBy(() -> m.acquire(Duration.ofMillis(100)))
                    .isInstanceOf(LockTimeoutException.class)
                    .hasMessage("timed out after 100 ms waiting for mutex \"busy\", held by live process " + child.pid())
                    .satisfies(e -> assertThat(((LockTimeoutException) e).ownerPid()).isEqualTo(child.pid()));
            child.send("release");
            child.expect("RELEASED", CHILD);
            assertThat(m.acquire(Duration.ofSeconds(10))).isEqualTo(Ownership.ACQUIRED);
            m.release();
        }
    }

    @Test
    void aWaiterSleepingOnALiveOwnerIsWokenByItsRelease() throws Exception {
        try (ChildJvm child = ChildJvm.start(MemoryChild.class, "hold-mutex", "handoff");
             NamedMutex m = openWhenHeld(child, "handoff")) {
            CompletableFuture<Ownership> waiting = CompletableFuture.supplyAsync(() -> {
                Ownership o = m.acquire(Duration.ofSeconds(30));
                m.release();
                return o;
            });
            Thread.sleep(200);
            assertThat(waiting).isNotDone();
            child.send("release");
            assertThat(waiting.get(30, TimeUnit.SECONDS)).isEqualTo(Ownership.ACQUIRED);
        }
    }

    @Test
    void shouldReportAbandonedWithin100msWhenTheOwnerIsKilled() throws Exception {
        try (ChildJvm child = ChildJvm.start(MemoryChild.class, "hold-mutex", "victim");
             NamedMutex m = openWhenHeld(child, "victim")) {
            AtomicLong acquiredAt = new AtomicLong();
            CompletableFuture<Ownership> waiting = CompletableFuture.supplyAsync(() -> {
                Ownership o = m.acquire(Duration.ofSeconds(30));
                acquiredAt.set(System.nanoTime());
                return o;
            });
            Thread.sleep(300);
            assertThat(waiting).as("the owner is alive").isNotDone();
            assertThat(m.ownerPid()).isEqualTo(child.pid());
            long killedAt = System.nanoTime();
            child.process().destroyForcibly();
            Ownership o = waiting.get(30, TimeUnit.SECONDS);
            long ms = TimeUnit.NANOSECONDS.toMillis(acquiredAt.get() - killedAt);
            System.out.println("abandoned mutex detected " + ms + " ms after SIGKILL");
            assertThat(o).isEqualTo(Ownership.ABANDONED);
            assertThat(ms).as("detection delay in ms").isLessThan(100);
            assertThat(m.isHeldByCurrentThread()).isFalse();
            // the future's thread owns it now; the next acquirer sees it held by a live owner
            assertThat(m.ownerPid()).isEqualTo(ProcessHandle.current().pid());
        }
    }

    @Test
    void aThreadThatDiesHoldingTheMutexAbandonsIt() throws Exception {
        try (NamedMutex m = NamedMutex.createOrOpen("thread-death")) {
            try (Background background = new Background()) {
                background.start("dies-holding", () -> assertThat(m.acquire(Duration.ofSeconds(1)))
                        .isEqualTo(Ownership.ACQUIRED));
            }
            assertThat(m.acquire(Duration.ofSeconds(5))).isEqualTo(Ownership.ABANDONED);
            m.release();
            assertThat(m.acquire(Duration.ofSeconds(5))).isEqualTo(Ownership.ACQUIRED);
            m.release();
        }
    }

    @Test
    @EnabledOnOs(OS.LINUX)
    void aKilledOwnerThatIsStillAZombieIsDead() throws Exception {
        // "exec sleep" replaces the shell, so nothing reaps the killed JVM: it stays a zombie.
        // A background job's stdin is /dev/null, hence the variant that holds without reading it.
        List<String> java = ChildJvm.command(MemoryChild.class, "hold-mutex-forever", "zombie");
        String cmd = String.join(" ", java.stream().map(s -> "'" + s.replace("'", "'\\''") + "'").toList())
                + " & exec sleep 120";
        try (ChildJvm shell = ChildJvm.start(List.of("/bin/sh", "-c", cmd), "zombie parent")) {
            String[] held = shell.expect("HELD", CHILD).split(" ");
            long pid = Long.parseLong(held[0]);
            try (NamedMutex m = NamedMutex.createOrOpen("zombie")) {
                assertThat(m.tryAcquire()).isNull();
                ProcessHandle.of(pid).orElseThrow().destroyForcibly();
                Path stat = Path.of("/proc/" + pid + "/stat");
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
                while (!Files.readString(stat).contains(") Z ") && System.nanoTime() < deadline) {
                    Thread.sleep(5);
                }
                assertThat(Files.readString(stat)).as("the killed child is a zombie").contains(") Z ");
                assertThat(m.acquire(Duration.ofSeconds(5))).isEqualTo(Ownership.ABANDONED);
                m.release();
            }
        }
    }

    @Test
    void aWaiterSleepsWithoutBurningACore() throws Exception {
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        try (ChildJvm child = ChildJvm.start(MemoryChild.class, "hold-mutex", "sleepy");
             NamedMutex m = openWhenHeld(child, "sleepy")) {
            long[] cpu = new long[2];
            try (Background background = new Background()) {
                background.start("waiter", () -> {
                    long id = Thread.currentThread().getId();
                    cpu[0] = mx.getThreadCpuTime(id);
                    assertThatThrownBy(() -> m.acquire(Duration.ofMillis(1000))).isInstanceOf(LockTimeoutException.class);
                    cpu[1] = mx.getThreadCpuTime(id);
                });
            }
            long cpuMs = TimeUnit.NANOSECONDS.toMillis(cpu[1] - cpu[0]);
            System.out.println("waiter used " + cpuMs + " ms of CPU in a 1000 ms wait");
            assertThat(cpuMs).as("CPU ms spent waiting 1000 ms").isLessThan(300);
        }
    }

    private static NamedMutex openWhenHeld(ChildJvm child, String name) {
        child.expect("HELD", CHILD);
        return NamedMutex.createOrOpen(name);
    }
}
