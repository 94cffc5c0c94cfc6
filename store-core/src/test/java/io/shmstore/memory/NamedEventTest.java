package io.shmstore.memory;

import io.shmstore.testing.ChildJvm;
import io.shmstore.testing.ShmDirExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** The named-event contract, per backend (see {@link SharedMemoryTest}). */
@ExtendWith(ShmDirExtension.class)
class NamedEventTest {
    private static final Duration CHILD = Duration.ofSeconds(60);

    @Test
    void autoResetReleasesOneWaitAndResets() {
        try (NamedEvent e = NamedEvent.createOrOpen("auto", EventMode.AUTO_RESET)) {
            assertThat(e.mode()).isEqualTo(EventMode.AUTO_RESET);
            assertThat(e.await(Duration.ofMillis(20))).as("not signalled yet").isFalse();
            e.signal();
            assertThat(e.await(Duration.ofSeconds(1))).isTrue();
            assertThat(e.await(Duration.ofMillis(20))).as("consumed by the first wait").isFalse();
        }
    }

    @Test
    void manualResetStaysSignalledUntilReset() {
        try (NamedEvent e = NamedEvent.createOrOpen("manual", EventMode.MANUAL_RESET);
             NamedEvent other = NamedEvent.createOrOpen("manual", EventMode.AUTO_RESET)) {
            assertThat(other.mode()).as("the creator's mode wins").isEqualTo(EventMode.MANUAL_RESET);
            e.signal();
            assertThat(e.await(Duration.ZERO)).isTrue();
            assertThat(other.await(Duration.ZERO)).isTrue();
            e.reset();
            assertThat(other.await(Duration.ofMillis(20))).isFalse();
        }
    }

    @Test
    void anAutoResetEventOpenedAsManualResetKeepsItsMode() {
        try (NamedEvent e = NamedEvent.createOrOpen("auto-first", EventMode.AUTO_RESET);
             NamedEvent other = NamedEvent.createOrOpen("auto-first", EventMode.MANUAL_RESET)) {
            assertThat(other.mode()).as("the creator's mode wins").isEqualTo(EventMode.AUTO_RESET);
            other.signal();
            assertThat(e.await(Duration.ZERO)).isTrue();
            assertThat(other.await(Duration.ofMillis(20))).as("reset by the first wait").isFalse();
        }
    }

    @Test
    void aWaiterInAnotherProcessWakesOnSignal() {
        try (NamedEvent e = NamedEvent.createOrOpen("wake", EventMode.AUTO_RESET)) {
            List<Long> latenciesMicros = new ArrayList<>();
            for (int round = 0; round < 5; round++) {
                try (ChildJvm child = ChildJvm.start(MemoryChild.class, "await-event", "wake", "AUTO_RESET", "30000")) {
                    child.expect("WAITING", CHILD);
                    sleepQuietly(100);
                    long signalledAt = System.nanoTime();
                    e.signal();
                    long wokeAt = Long.parseLong(child.expect("WOKE", CHILD));
                    latenciesMicros.add(TimeUnit.NANOSECONDS.toMicros(wokeAt - signalledAt));
                    assertThat(child.waitFor(CHILD)).isZero();
                }
            }
            System.out.println("cross-process event wake-up latencies (us): " + latenciesMicros);
            assertThat(latenciesMicros).allMatch(l -> l >= 0);
        }
    }

    @Test
    void manualResetReleasesEveryWaitingProcess() {
        try (NamedEvent e = NamedEvent.createOrOpen("all", EventMode.MANUAL_RESET)) {
            List<ChildJvm> children = new ArrayList<>();
            try {
                for (int i = 0; i < 3; i++) {
                    children.add(ChildJvm.start(MemoryChild.class, "await-event", "all", "MANUAL_RESET", "30000"));
                }
                for (ChildJvm c : children) {
                    c.expect("WAITING", CHILD);
                }
                e.signal();
                for (ChildJvm c : children) {
                    c.expect("WOKE", CHILD);
                }
            } finally {
                children.forEach(ChildJvm::close);
            }
        }
    }

    @Test
    void anUnsignalledWaitInAnotherProcessTimesOut() {
        try (NamedEvent e = NamedEvent.createOrOpen("quiet", EventMode.AUTO_RESET);
             ChildJvm child = ChildJvm.start(MemoryChild.class, "await-event", "quiet", "AUTO_RESET", "300")) {
            assertThat(child.expect("", CHILD)).isEqualTo("WAITING");
            assertThat(child.nextLine(CHILD)).isEqualTo("TIMEOUT");
            assertThat(e.await(Duration.ZERO)).isFalse();
        }
    }

    private static void sleepQuietly(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
    }
}
