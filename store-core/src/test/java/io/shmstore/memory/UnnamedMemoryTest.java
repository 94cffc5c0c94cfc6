package io.shmstore.memory;

import io.shmstore.ReadOnlyStoreException;
import io.shmstore.StoreNotFoundException;
import io.shmstore.testing.ChildJvm;
import io.shmstore.testing.ShmDirExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The unnamed-mapping contract, per backend (see {@link SharedMemoryTest}): no name leads to it, a child
 * gets it by inheritance and a running process by duplication, each with the access it was given, and it
 * goes with the last process that holds it.
 */
@ExtendWith(ShmDirExtension.class)
class UnnamedMemoryTest {
    private static final Duration CHILD = Duration.ofSeconds(60);
    private static final String VARIABLE = "SHMSTORE_TEST_MAPPING";

    @Test
    void anUnnamedMappingHasNoNameInAnyNamespace() throws IOException {
        try (SharedMemory mem = SharedMemory.createUnnamed(10_000);
             MemoryView view = mem.map()) {
            view.bytes().writeLong(9_992, 42);
            assertThat(view.bytes().readLong(9_992)).isEqualTo(42);
            assertThat(mem.isUnnamed()).isTrue();
            assertThat(mem.created()).isTrue();
            assertThat(mem.size()).isEqualTo(10_000);
            assertThat(mem.access()).isEqualTo(Access.READ_WRITE);
            assertThat(mem.name()).matches("unnamed:[0-9a-f]{16}");
            assertThat(SharedMemory.list()).isEmpty();
            try (Stream<Path> files = Files.list(ShmDirExtension.dir())) {
                assertThat(files).as("files in the shm directory").isEmpty();
            }
            assertThat(holdersOf(mem)).as("processes that hold it").containsExactly(ProcessHandle.current().pid());
        }
    }

    @Test
    void aChildSeesItsParentsWritesAndTheParentSeesTheChilds() {
        try (SharedMemory mem = SharedMemory.createUnnamed(4096);
             MemoryView view = mem.map()) {
            view.bytes().writeVolatileLong(64, 0xCAFEBABEL);
            try (ChildJvm child = inherit(mem, Access.READ_WRITE, 64, 4242)) {
                assertThat(child.expect("ACCESS", CHILD)).isEqualTo("READ_WRITE " + mem.name());
                assertThat(child.expect("VALUE", CHILD)).isEqualTo(Long.toString(0xCAFEBABEL));
                child.expect("WROTE", CHILD);
                assertThat(view.bytes().readVolatileLong(72)).isEqualTo(4242L);
                view.bytes().writeVolatileLong(64, 7);
                child.send("read");
                assertThat(child.expect("VALUE", CHILD)).isEqualTo("7");
                child.send("exit");
                child.expect("CLOSED", CHILD);
                assertThat(child.waitFor(CHILD)).isZero();
            }
        }
    }

    @Test
    void aMappingInheritedReadOnlyRefusesEveryWriteWithoutCrashing() {
        try (SharedMemory mem = SharedMemory.createUnnamed(4096);
             MemoryView view = mem.map()) {
            view.bytes().writeVolatileLong(0, 99);
            try (ChildJvm child = inherit(mem, Access.READ_ONLY, 0, 1)) {
                assertThat(child.expect("ACCESS", CHILD)).startsWith("READ_ONLY");
                assertThat(child.expect("VALUE", CHILD)).isEqualTo("99");
                List<String> lines = new ArrayList<>();
                for (String line = child.nextLine(CHILD); !line.equals("READ-ONLY CHECKED"); line = child.nextLine(CHILD)) {
                    lines.add(line);
                }
                assertThat(lines).containsExactly("REFUSED map", "REFUSED write", "REFUSED receive", "REFUSED handover");
                child.send("exit");
                child.expect("CLOSED", CHILD);
                assertThat(child.waitFor(CHILD)).as("exit code").isZero();
            }
            assertThat(view.bytes().readVolatileLong(8)).isZero();
        }
    }

    @Test
    void aRunningProcessReceivesItByDuplicationWithTheAccessGiven() {
        try (SharedMemory mem = SharedMemory.createUnnamed(4096);
             MemoryView view = mem.map()) {
            view.bytes().writeVolatileLong(128, 31);
            try (ChildJvm child = ChildJvm.start(MemoryChild.class, "receive", "128", "77")) {
                long pid = Long.parseLong(child.expect("PID", CHILD));
                String token = mem.duplicateFor(pid, Access.READ_WRITE);
                assertThatThrownBy(() -> SharedMemory.receive(token))
                        .as("a token is for the process it was made for")
                        .isInstanceOf(IllegalArgumentException.class)
                        .hasMessageContaining("process " + pid)
                        .hasMessageContaining(Long.toString(ProcessHandle.current().pid()));
                child.send(token);
                assertThat(child.expect("ACCESS", CHILD)).startsWith("READ_WRITE");
                assertThat(child.expect("VALUE", CHILD)).isEqualTo("31");
                child.expect("WROTE", CHILD);
                assertThat(view.bytes().readVolatileLong(136)).isEqualTo(77L);
                child.send("exit");
                assertThat(child.waitFor(CHILD)).isZero();
            }
            try (ChildJvm child = ChildJvm.start(MemoryChild.class, "receive", "128", "78")) {
                long pid = Long.parseLong(child.expect("PID", CHILD));
                child.send(mem.duplicateFor(pid, Access.READ_ONLY));
                assertThat(child.expect("ACCESS", CHILD)).startsWith("READ_ONLY");
                child.expect("READ-ONLY CHECKED", CHILD);
                child.send("exit");
                assertThat(child.waitFor(CHILD)).isZero();
            }
            assertThat(view.bytes().readVolatileLong(136)).as("the read-only receiver wrote nothing").isEqualTo(77L);
        }
    }

    @Test
    void itOutlivesItsCreatorWhileAnotherProcessHoldsIt() {
        try (ChildJvm creator = ChildJvm.start(MemoryChild.class, "create-unnamed", "5150")) {
            String token = creator.expect("TOKEN", CHILD);
            try (SharedMemory mem = SharedMemory.receive(token);
                 MemoryView view = mem.map()) {
                assertThat(mem.created()).isFalse();
                assertThat(view.bytes().readVolatileLong(0)).isEqualTo(5150L);
                creator.kill();
                view.bytes().writeVolatileLong(8, 1);
                assertThat(view.bytes().readVolatileLong(0)).isEqualTo(5150L);
                assertThat(holdersOf(mem)).containsExactly(ProcessHandle.current().pid());
                assertThatThrownBy(() -> SharedMemory.receive(token))
                        .isInstanceOf(StoreNotFoundException.class)
                        .hasMessageContaining("has exited");
            }
        }
    }

    @Test
    void itGoesWhenTheLastProcessHoldingItIsKilled() throws Exception {
        lastHolderLeaves(true);
    }

    @Test
    void itGoesWhenTheLastProcessHoldingItExits() throws Exception {
        lastHolderLeaves(false);
    }

    /**
     * The parent hands the mapping to a child and closes its handle: the child alone holds it (the parent
     * still keeps its descriptor for the child, which the test checks too), and it lives on, as a
     * hand-back to the parent shows. Then the child exits, killed or not, and no process holds it any
     * more: not in a descriptor, not in a mapping, which is when the kernel frees it.
     */
    private void lastHolderLeaves(boolean killed) throws Exception {
        String marker = handToAChildThatLeaves(killed);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!referencesTo(marker).isEmpty() && System.nanoTime() < deadline) {
            // this JVM's closed views: the portable backend unmaps a view once it is unreachable
            System.gc();
            Thread.sleep(10);
        }
        assertThat(referencesTo(marker)).as("processes that still hold it").isEmpty();
    }

    /** The part of {@link #lastHolderLeaves} whose frame holds views: gone before the wait, so they are unreachable. */
    private static String handToAChildThatLeaves(boolean killed) {
        SharedMemory mem = SharedMemory.createUnnamed(1 << 20);
        String marker = markerOf(mem);
        try (MemoryView view = mem.map()) {
            view.bytes().writeVolatileLong(0, 11);
        }
        try (ChildJvm child = inherit(mem, Access.READ_WRITE, 0, 12)) {
            child.expect("WROTE", CHILD);
            mem.close();
            child.send("hand-back");
            try (SharedMemory back = SharedMemory.receive(child.expect("TOKEN", CHILD));
                 MemoryView view = back.map()) {
                assertThat(view.bytes().readVolatileLong(0)).isEqualTo(11L);
                assertThat(view.bytes().readVolatileLong(8)).isEqualTo(12L);
            }
            assertThat(referencesTo(marker)).as("processes that hold it").contains(child.pid());
            if (killed) {
                child.kill();
            } else {
                child.send("exit");
                child.expect("CLOSED", CHILD);
                assertThat(child.waitFor(CHILD)).isZero();
            }
        }
        return marker;
    }

    @Test
    @SuppressWarnings("try") // closes a resource early, to check what a closed handle does
    void badHandoversAreRefusedNamingTheValue() {
        try (SharedMemory named = SharedMemory.create("named", 4096);
             SharedMemory mem = SharedMemory.createUnnamed(4096)) {
            assertThat(named.isUnnamed()).isFalse();
            assertThatThrownBy(() -> named.duplicateFor(ProcessHandle.current().pid(), Access.READ_ONLY))
                    .isInstanceOf(IllegalStateException.class).hasMessageContaining("named").hasMessageContaining("has a name");
            assertThatThrownBy(() -> mem.duplicateFor(999_999_999L, Access.READ_ONLY))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no process 999999999");
            assertThatThrownBy(() -> mem.inheritTo(new ProcessBuilder("true"), "1BAD", Access.READ_ONLY))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("\"1BAD\"");
            assertThatThrownBy(() -> SharedMemory.receive("not-a-token"))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("\"not-a-token\"");
            assertThatThrownBy(() -> SharedMemory.inherited("SHMSTORE_TEST_UNSET_VARIABLE"))
                    .isInstanceOf(StoreNotFoundException.class).hasMessageContaining("SHMSTORE_TEST_UNSET_VARIABLE");
            assertThatThrownBy(() -> SharedMemory.createUnnamed(0))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("size 0");
            String readOnly = mem.duplicateFor(ProcessHandle.current().pid(), Access.READ_ONLY);
            assertThatThrownBy(() -> SharedMemory.receive(readOnly, Access.READ_WRITE))
                    .isInstanceOf(ReadOnlyStoreException.class).hasMessageContaining(mem.name());
            try (SharedMemory self = SharedMemory.receive(readOnly)) {
                assertThat(self.access()).isEqualTo(Access.READ_ONLY);
                assertThatThrownBy(() -> self.map(0, 8, Access.READ_WRITE)).isInstanceOf(ReadOnlyStoreException.class);
                assertThatThrownBy(() -> self.duplicateFor(ProcessHandle.current().pid(), Access.READ_WRITE))
                        .isInstanceOf(ReadOnlyStoreException.class);
            }
            mem.close();
            assertThatThrownBy(() -> mem.duplicateFor(ProcessHandle.current().pid(), Access.READ_ONLY))
                    .isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
        }
    }

    private static ChildJvm inherit(SharedMemory mem, Access access, long offset, long value) {
        return ChildJvm.start(ChildJvm.command(MemoryChild.class, "inherited", VARIABLE, Long.toString(offset),
                Long.toString(value)), "inherited " + access, pb -> mem.inheritTo(pb, VARIABLE, access));
    }

    /** What the system shows of the mapping's file in {@code /proc}: "shmstore.unnamed.<id>". */
    private static String markerOf(SharedMemory mem) {
        return "shmstore.unnamed." + mem.name().substring("unnamed:".length());
    }

    private static List<Long> holdersOf(SharedMemory mem) {
        return referencesTo(markerOf(mem));
    }

    /**
     * The processes of this user that hold {@code marker}'s file: in a descriptor ({@code /proc/<pid>/fd})
     * or a mapping ({@code /proc/<pid>/maps}). The kernel frees the file when there are none.
     */
    private static List<Long> referencesTo(String marker) {
        List<Long> pids = new ArrayList<>();
        try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
            for (Path proc : (Iterable<Path>) procs::iterator) {
                String pid = proc.getFileName().toString();
                if (pid.chars().allMatch(Character::isDigit) && holds(proc, marker)) {
                    pids.add(Long.parseLong(pid));
                }
            }
        } catch (IOException e) {
            throw new AssertionError("cannot list /proc", e);
        }
        return pids;
    }

    private static boolean holds(Path proc, String marker) {
        try {
            if (Files.readString(proc.resolve("maps")).contains(marker)) {
                return true;
            }
            try (Stream<Path> fds = Files.list(proc.resolve("fd"))) {
                return fds.anyMatch(fd -> {
                    try {
                        return Files.readSymbolicLink(fd).toString().contains(marker);
                    } catch (IOException | UnsupportedOperationException gone) {
                        return false;
                    }
                });
            }
        } catch (IOException | RuntimeException notOurs) {
            // another user's process, or one that exited while it was read
            return false;
        }
    }
}
