package io.shmstore.reliability;

import io.shmstore.SharedStore;
import io.shmstore.StoreFullException;
import io.shmstore.internal.platform.ObjectHeader;
import io.shmstore.memory.MemoryView;
import io.shmstore.memory.SharedMemory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Objects larger than the free space of the shm directory's file system fail when they are created,
 * with a StoreFullException naming the sizes, instead of a SIGBUS on a later write into a page the
 * file system cannot back. The shm directory is a 16 MiB tmpfs mounted for the test (root needed;
 * without it the tests are skipped, saying why).
 */
@EnabledOnOs(OS.LINUX)
class SpaceTest {
    private static final long MIB = 1 << 20;

    private Path mount;

    @BeforeEach
    void mountASmallTmpfs() throws IOException, InterruptedException {
        mount = Files.createTempDirectory("shmstore-space-");
        String problem = run("mount", "-t", "tmpfs", "-o", "size=16m,mode=0700", "tmpfs", mount.toString());
        if (problem != null) {
            Files.deleteIfExists(mount);
            mount = null;
        }
        assumeTrue(problem == null, () -> "cannot mount a 16 MiB tmpfs to fill (needs root): " + problem);
        System.setProperty("shmstore.dir", mount.toString());
    }

    @AfterEach
    void unmount() throws IOException, InterruptedException {
        System.clearProperty("shmstore.dir");
        if (mount != null) {
            String problem = run("umount", mount.toString());
            if (problem != null) {
                // a mapping a failed test left open keeps the file system busy: detach it anyway, so
                // no mount outlives the test, and still report that something was left mapped
                run("umount", "-l", mount.toString());
            }
            Files.deleteIfExists(mount);
            assertThat(problem).as("umount " + mount).isNull();
        }
    }

    @Test
    void aMappingLargerThanTheFileSystemFailsAtCreationNamingTheSizes() throws IOException {
        long size = 32 * MIB;
        assertThatThrownBy(() -> SharedMemory.create("too-big", size))
                .isInstanceOf(StoreFullException.class)
                .hasMessageContaining(Long.toString(ObjectHeader.HEADER_LENGTH + size))
                .hasMessageContaining("free space")
                .hasMessageContaining(mount.toString());
        assertThat(files()).as("nothing is left of the failed creation").isEmpty();
    }

    @Test
    void aStoreLargerThanTheFileSystemFailsAtCreation() throws IOException {
        assertThatThrownBy(() -> SharedStore.of(String.class, String.class).name("too-big-store")
                .entries(1_000_000).averageValueSize(64).create())
                .isInstanceOf(StoreFullException.class)
                .hasMessageContaining("cannot reserve")
                .hasMessageContaining("free space");
        assertThat(files()).as("nothing is left of the failed creation").isEmpty();
    }

    @Test
    void theSecondOfTwoMappingsThatDoNotFitTogetherFailsAndTheFirstStaysWritable() {
        try (SharedMemory first = SharedMemory.create("first", 10 * MIB);
             MemoryView v = first.map()) {
            assertThatThrownBy(() -> SharedMemory.create("second", 10 * MIB).close())
                    .as("the first mapping's 10 MiB must really be reserved (not a sparse file), so a second"
                            + " 10 MiB does not fit in 16 MiB; otherwise a write into either faults later (SIGBUS)")
                    .isInstanceOf(StoreFullException.class)
                    .hasMessageContaining(Long.toString(ObjectHeader.HEADER_LENGTH + 10 * MIB));
            // the first one's pages were reserved when it was made: writing all of them cannot fault
            for (long at = 0; at < v.length(); at += 4096) {
                v.bytes().writeByte(at, (byte) 1);
            }
            v.bytes().writeByte(v.length() - 1, (byte) 0x5A);
            assertThat(v.bytes().readByte(v.length() - 1)).isEqualTo((byte) 0x5A);
        }
    }

    @Test
    void aStoreReservesWhatItStartsWithAndItsWholeReservedRangeCanBeWritten() throws IOException {
        try (SharedStore<String, String> store = SharedStore.of(String.class, String.class).name("fits")
                .entries(10_000).averageValueSize(64).create();
             SharedMemory mem = SharedMemory.open("fits")) {
            long reserved = store.stats().bytesReserved();
            assertThat(allocated()).as("bytes the file system gave the store").isLessThan(4 * MIB)
                    .isGreaterThanOrEqualTo(reserved);
            assertThat(ObjectHeader.HEADER_LENGTH + mem.size()).as("the room to grow: more than the file system has")
                    .isGreaterThan(16 * MIB);
            store.put("k", "v");
            assertThat(store.get("k")).isEqualTo("v");
            assertThat(store.verify()).isEmpty();
        }
    }

    /**
     * A store grows into a file system that runs out: the growth that cannot be reserved fails with a
     * StoreFullException naming the free space, no SIGBUS, nothing acknowledged is lost, and the store
     * goes on serving reads, removes and the puts that fit.
     */
    @Test
    @SuppressWarnings("try")
    void growthBeyondTheFileSystemFailsTypedAndLosesNothing() {
        try (SharedMemory filler = SharedMemory.create("filler", 8 * MIB);
             SharedStore<String, String> store = SharedStore.of(String.class, String.class).name("grows")
                     .entries(20_000).averageKeySize(10).averageValueSize(100).create()) {
            String value = "v".repeat(100);
            int stored = 0;
            StoreFullException full = null;
            for (; stored < 200_000 && full == null; stored++) {
                try {
                    store.put("key-" + stored, value + stored);
                } catch (StoreFullException e) {
                    full = e;
                }
            }
            stored--;
            assertThat(full).as("a put past what the file system holds").isNotNull();
            assertThat(full).hasMessageContaining("free space");
            assertThat(stored).as("puts acknowledged: growth went past the configured 20,000").isGreaterThan(20_000);
            assertThat(store.containsKey("key-" + stored)).as("the put that failed did not happen").isFalse();
            assertThat(store.size()).isEqualTo(stored);
            for (int i = 0; i < stored; i++) {
                assertThat(store.get("key-" + i)).isEqualTo(value + i);
            }
            for (int i = 0; i < stored; i += 2) {
                assertThat(store.remove("key-" + i)).isEqualTo(value + i);
            }
            for (int i = 0; i < stored; i += 2) {
                store.put("key-" + i, value + i);
            }
            assertThat(store.size()).isEqualTo(stored);
            assertThat(store.verify()).isEmpty();
        }
    }

    @Test
    void fillingTheFileSystemAgainAndAgainFailsTypedEveryTimeAndLeavesNoSpaceTaken() throws IOException {
        int rounds = Soak.pick(5, 200);
        long each = 3 * MIB;
        // 16 MiB holds five objects of 3 MiB and a header each, never six
        int fits = (int) (16 * MIB / (ObjectHeader.HEADER_LENGTH + each));
        for (int round = 0; round < rounds; round++) {
            List<SharedMemory> made = new java.util.ArrayList<>();
            try {
                StoreFullException full = null;
                for (int i = 0; full == null && i <= fits; i++) {
                    try {
                        made.add(SharedMemory.create("fill-" + i, each));
                    } catch (StoreFullException e) {
                        full = e;
                    }
                }
                assertThat(full).as("round %d: a creation beyond the free space", round).isNotNull();
                assertThat(made).as("round %d: objects that fitted (a failed creation must give its space back)",
                        round).hasSize(fits);
            } finally {
                made.forEach(SharedMemory::close);
            }
            assertThat(files()).as("round %d: files after closing everything", round).isEmpty();
        }
    }

    /** Bytes the file system has given the files in the mount. */
    private long allocated() throws IOException {
        java.nio.file.FileStore fs = Files.getFileStore(mount);
        return fs.getTotalSpace() - fs.getUnallocatedSpace();
    }

    private List<Path> files() throws IOException {
        try (Stream<Path> s = Files.list(mount)) {
            return s.toList();
        }
    }

    /** Runs a command; null when it succeeded, else what it said. */
    private static String run(String... command) throws IOException, InterruptedException {
        Process p;
        try {
            p = new ProcessBuilder(command).redirectErrorStream(true).start();
        } catch (IOException e) {
            return e.getMessage();
        }
        if (!p.waitFor(30, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            return String.join(" ", command) + " did not finish in 30 s";
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        return p.exitValue() == 0 ? null : String.join(" ", command) + " exited " + p.exitValue() + ": " + out;
    }
}
