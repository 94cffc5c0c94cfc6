package io.shmstore.reliability;

import io.shmstore.SharedStore;
import io.shmstore.memory.Access;
import io.shmstore.memory.EventMode;
import io.shmstore.memory.MemoryView;
import io.shmstore.memory.NamedEvent;
import io.shmstore.memory.NamedMutex;
import io.shmstore.memory.NamedSemaphore;
import io.shmstore.memory.Ownership;
import io.shmstore.memory.SharedMemory;
import io.shmstore.testing.ShmDirExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Opening and closing every kind of object many times — names reused and fresh, views of one mapping,
 * stores, mutexes, events, semaphores, unnamed mappings — leaves no file descriptor, no mapping and no
 * file behind. Counted from
 * {@code /proc/self}, so Linux only. {@code -Dshmstore.soak=true} runs ten times as many rounds.
 */
@EnabledOnOs(OS.LINUX)
@ExtendWith(ShmDirExtension.class)
class LeakTest {
    private static final int ROUNDS = Soak.pick(2_000, 20_000);
    /** Descriptors the JVM itself may open meanwhile (class files, JIT logs, the random source). */
    private static final int FD_NOISE = 8;
    /** Mappings the JVM itself may add meanwhile (code heap, malloc arenas, thread stacks). */
    private static final int MAPS_NOISE = 64;

    @Test
    void tenThousandOpensAndClosesLeaveNoDescriptorMappingOrFile() throws IOException {
        Path dir = ShmDirExtension.dir();
        // one round of everything first: class loading, JNA's native library and the first
        // allocations map and open things once, for good, and are not leaks
        int fdsBefore;
        int mapsBefore;
        try (SharedMemory views = SharedMemory.create("views", 8192)) {
            cycle(0, views);
            fdsBefore = fds();
            mapsBefore = maps().size();
            for (int i = 0; i < ROUNDS; i++) {
                cycle(i, views);
            }
            assertThat(mappingsUnder(dir)).as("mappings left while the views' mapping is open: its handle's, no view's")
                    .hasSizeLessThanOrEqualTo(1);
        }

        assertThat(mappingsUnder(dir)).as("mappings of files in the test's shm directory").isEmpty();
        try (Stream<Path> left = Files.list(dir)) {
            assertThat(left).as("files left in the shm directory").isEmpty();
        }
        assertThat(fds()).as("open file descriptors (before: %d)", fdsBefore).isLessThanOrEqualTo(fdsBefore + FD_NOISE);
        assertThat(maps().size()).as("lines of /proc/self/maps (before: %d)", mapsBefore)
                .isLessThanOrEqualTo(mapsBefore + MAPS_NOISE);
    }

    /** One of each kind; even rounds reuse a name, odd rounds take a fresh one. */
    private static void cycle(int i, SharedMemory views) {
        String suffix = i % 2 == 0 ? "reused" : "fresh-" + i;
        try (SharedStore<String, String> s = SharedStore.of(String.class, String.class).name("store-" + suffix)
                .entries(16).create()) {
            s.put("k", "v");
            assertThat(s.get("k")).isEqualTo("v");
        }
        try (SharedMemory m = SharedMemory.create("mem-" + suffix, 8192);
             MemoryView v = m.map(4096, 4096, Access.READ_WRITE)) {
            v.bytes().writeLong(0, i);
        }
        // a view of a mapping that stays open: each view maps and unmaps on its own
        try (MemoryView v = views.map(i % 2 * 4096, 4096, Access.READ_ONLY)) {
            assertThat(v.bytes().readLong(0)).isZero();
        }
        try (NamedMutex mutex = NamedMutex.createOrOpen("mutex-" + suffix)) {
            assertThat(mutex.tryAcquire()).isEqualTo(Ownership.ACQUIRED);
            mutex.release();
        }
        try (NamedEvent event = NamedEvent.createOrOpen("event-" + suffix, EventMode.AUTO_RESET)) {
            event.signal();
            assertThat(event.await(Duration.ZERO)).isTrue();
        }
        try (NamedSemaphore semaphore = NamedSemaphore.createOrOpen("semaphore-" + suffix, 2, 2)) {
            assertThat(semaphore.tryAcquire(Duration.ZERO)).isTrue();
            semaphore.release();
        }
        try (SharedMemory unnamed = SharedMemory.createUnnamed(4096);
             MemoryView v = unnamed.map()) {
            v.bytes().writeLong(0, i);
        }
    }

    private static int fds() throws IOException {
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            return (int) fds.count();
        }
    }

    private static List<String> maps() throws IOException {
        return Files.readAllLines(Path.of("/proc/self/maps"));
    }

    private static List<String> mappingsUnder(Path dir) throws IOException {
        String prefix = dir.toRealPath().toString() + "/";
        return maps().stream().filter(l -> l.contains(prefix)).toList();
    }
}
