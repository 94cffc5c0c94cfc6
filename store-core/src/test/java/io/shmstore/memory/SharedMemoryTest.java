package io.shmstore.memory;

import io.shmstore.IncompatibleStoreException;
import io.shmstore.ReadOnlyStoreException;
import io.shmstore.StoreExistsException;
import io.shmstore.StoreNotFoundException;
import io.shmstore.TooManyHandlesException;
import io.shmstore.testing.ChildJvm;
import io.shmstore.testing.ShmDirExtension;
import io.shmstore.testing.SpecialFiles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.DisabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

/**
 * The named-memory contract. Runs once per backend: Surefire runs this package with the default
 * backend and again with {@code -Dshmstore.backend=posix-nio}.
 */
@ExtendWith(ShmDirExtension.class)
@SuppressWarnings("try") // handles opened only to keep an object alive
class SharedMemoryTest {
    private static final Duration CHILD = Duration.ofSeconds(60);

    @Test
    void openByNameSeesWritesOfCreator() {
        try (SharedMemory a = SharedMemory.create("shared", 8192);
             MemoryView va = a.map(0, 8192, Access.READ_WRITE);
             SharedMemory b = SharedMemory.open("shared", Access.READ_ONLY);
             MemoryView vb = b.map(4096, 4096, Access.READ_ONLY)) {
            va.bytes().writeLong(4096 + 8, 0x1234_5678_9ABCL);
            assertThat(vb.bytes().readLong(8)).isEqualTo(0x1234_5678_9ABCL);
            assertThat(a.created()).isTrue();
            assertThat(b.created()).isFalse();
            assertThat(b.size()).isEqualTo(8192);
            assertThat(vb.offset()).isEqualTo(4096);
        }
    }

    @Test
    void childJvmSeesParentWritesAndParentSeesChildWrites() {
        try (SharedMemory mem = SharedMemory.create("xproc", 4096);
             MemoryView view = mem.map(0, 4096, Access.READ_WRITE)) {
            view.bytes().writeVolatileLong(64, 0xCAFEBABEL);
            try (ChildJvm child = ChildJvm.start(MemoryChild.class, "read", "xproc", "64")) {
                assertThat(child.expect("VALUE", CHILD)).isEqualTo(Long.toString(0xCAFEBABEL));
                assertThat(child.waitFor(CHILD)).isZero();
            }
            try (ChildJvm child = ChildJvm.start(MemoryChild.class, "write", "xproc", "128", "4242")) {
                child.expect("DONE", CHILD);
                assertThat(child.waitFor(CHILD)).isZero();
            }
            assertThat(view.bytes().readVolatileLong(128)).isEqualTo(4242L);
        }
    }

    @Test
    void viewsAtUnalignedOffsetsSeeTheSameBytes() {
        try (SharedMemory mem = SharedMemory.create("unaligned", 3 * 4096 + 100);
             MemoryView whole = mem.map();
             MemoryView part = mem.map(5000, 200, Access.READ_WRITE)) {
            part.bytes().writeInt(4, 77);
            assertThat(whole.bytes().readInt(5004)).isEqualTo(77);
            assertThat(part.length()).isEqualTo(200);
        }
    }

    @Test
    void createFailsWhenTheNameIsTaken() {
        try (SharedMemory ignored = SharedMemory.create("taken", 4096)) {
            assertThatThrownBy(() -> SharedMemory.create("taken", 4096))
                    .isInstanceOf(StoreExistsException.class)
                    .hasMessageContaining("\"taken\"");
        }
    }

    @Test
    void openFailsWhenAbsentNamingTheName() {
        assertThatThrownBy(() -> SharedMemory.open("missing", Access.READ_ONLY))
                .isInstanceOf(StoreNotFoundException.class)
                .hasMessageContaining("\"missing\"");
    }

    @ParameterizedTest
    @ValueSource(strings = {"../etc/passwd", "a/b", "", "/abs", ".hidden", "-dash", "a\u0000b", "sp ace", "ünï"})
    void badNamesAreRefusedBeforeTheFileSystemIsTouched(String name) throws IOException {
        assertThatThrownBy(() -> SharedMemory.create(name, 4096))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("invalid object name");
        assertThatThrownBy(() -> NamedMutex.createOrOpen(name)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> NamedEvent.createOrOpen(name, EventMode.AUTO_RESET))
                .isInstanceOf(IllegalArgumentException.class);
        try (Stream<Path> files = Files.list(ShmDirExtension.dir())) {
            assertThat(files).isEmpty();
        }
    }

    @Test
    void nameLengthLimitIs128() {
        String ok = "n".repeat(128);
        try (SharedMemory mem = SharedMemory.create(ok, 4096)) {
            assertThat(mem.name()).isEqualTo(ok);
        }
        assertThatThrownBy(() -> SharedMemory.create("n".repeat(129), 4096))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("length 129");
    }

    @Test
    void badSizesAndRangesNameTheValue() {
        assertThatThrownBy(() -> SharedMemory.create("sz", 0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("size 0");
        assertThatThrownBy(() -> SharedMemory.create("sz", -5)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("size -5");
        try (SharedMemory mem = SharedMemory.create("sz", 4096)) {
            assertThatThrownBy(() -> mem.map(4000, 200, Access.READ_WRITE))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("offset 4000").hasMessageContaining("length 200").hasMessageContaining("4096");
            assertThatThrownBy(() -> mem.map(-1, 10, Access.READ_WRITE)).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> mem.map(0, Long.MAX_VALUE, Access.READ_WRITE)).isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void builderRejectsDoubleSettingAndCreateOptionsOnOpen() {
        assertThatThrownBy(() -> SharedMemory.named("b").size(10).size(20))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("size was already set to 10");
        assertThatThrownBy(() -> SharedMemory.named("b").lifetime(Lifetime.PERSISTENT).lifetime(Lifetime.PERSISTENT))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("lifetime was already set");
        assertThatThrownBy(() -> SharedMemory.named("b").permissions("rw-------").open(Access.READ_ONLY))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("apply when creating");
        assertThatThrownBy(() -> SharedMemory.named("b").create())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("size must be set");
        assertThatThrownBy(() -> SharedMemory.named("b").permissions("r--------"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("owner read and write");
    }

    @Test
    void oneNamespaceWithTypeTags() throws IOException {
        try (NamedMutex m = NamedMutex.createOrOpen("shared-name")) {
            assertThatThrownBy(() -> SharedMemory.open("shared-name", Access.READ_ONLY))
                    .isInstanceOf(IncompatibleStoreException.class)
                    .hasMessageContaining("is a mutex, not a memory mapping");
            assertThatThrownBy(() -> NamedEvent.createOrOpen("shared-name", EventMode.AUTO_RESET))
                    .isInstanceOf(IncompatibleStoreException.class)
                    .hasMessageContaining("is a mutex, not an event");
            assertThatThrownBy(() -> SharedMemory.create("shared-name", 4096))
                    .isInstanceOf(StoreExistsException.class)
                    .hasMessageContaining("is a mutex, not a memory mapping");
            assertThatThrownBy(() -> SharedMemory.createOrOpen("shared-name", 4096))
                    .isInstanceOf(IncompatibleStoreException.class)
                    .hasMessageContaining("is a mutex, not a memory mapping");
        }
        try (NamedEvent e = NamedEvent.createOrOpen("ev", EventMode.MANUAL_RESET)) {
            assertThatThrownBy(() -> SharedMemory.open("ev")).isInstanceOf(IncompatibleStoreException.class)
                    .hasMessageContaining("is an event");
        }
        try (SharedMemory mem = SharedMemory.create("mem", 4096)) {
            assertThatThrownBy(() -> NamedMutex.createOrOpen("mem")).isInstanceOf(IncompatibleStoreException.class)
                    .hasMessageContaining("is a memory mapping, not a mutex");
            assertThatThrownBy(() -> NamedEvent.createOrOpen("mem", EventMode.AUTO_RESET))
                    .isInstanceOf(IncompatibleStoreException.class)
                    .hasMessageContaining("is a memory mapping, not an event");
        }
    }

    @Test
    @DisabledOnOs(OS.WINDOWS)
    void foreignAndEmptyFilesAreNotShmStoreObjects() throws IOException {
        Path dir = ShmDirExtension.dir();
        Files.write(dir.resolve("shmstore.junk"), new byte[20000]);
        Files.write(dir.resolve("shmstore.text"), "hello, this is not shared memory".repeat(1000).getBytes());
        Files.createFile(dir.resolve("shmstore.empty"));
        assertThatThrownBy(() -> SharedMemory.open("junk")).isInstanceOf(IncompatibleStoreException.class)
                .hasMessageContaining("not a ShmStore object");
        assertThatThrownBy(() -> SharedMemory.open("text")).isInstanceOf(IncompatibleStoreException.class)
                .hasMessageContaining("\"hello, t\"");
        assertThatThrownBy(() -> SharedMemory.open("empty")).isInstanceOf(IncompatibleStoreException.class)
                .hasMessageContaining("0 bytes");
        assertThatThrownBy(() -> NamedMutex.createOrOpen("junk")).isInstanceOf(IncompatibleStoreException.class);
        assertThat(Files.size(dir.resolve("shmstore.text"))).isEqualTo(32000);
    }

    @Test
    @DisabledOnOs(OS.WINDOWS)
    void ownerOnlyByDefaultAndWidenedOnRequest() throws IOException {
        Path dir = ShmDirExtension.dir();
        try (SharedMemory a = SharedMemory.create("private", 4096);
             SharedMemory b = SharedMemory.named("group").size(4096).permissions("rw-r-----").create();
             NamedMutex m = NamedMutex.createOrOpen("mutex");
             NamedEvent e = NamedEvent.createOrOpen("event", EventMode.AUTO_RESET)) {
            assertThat(mode(dir.resolve("shmstore.private"))).isEqualTo("rw-------");
            assertThat(mode(dir.resolve("shmstore.group"))).isEqualTo("rw-r-----");
            assertThat(mode(dir.resolve("shmstore.mutex"))).isEqualTo("rw-------");
            assertThat(mode(dir.resolve("shmstore.event"))).isEqualTo("rw-------");
        }
    }

    private static String mode(Path p) throws IOException {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
    }

    @Test
    @DisabledOnOs(OS.WINDOWS)
    void aSymlinkAtTheNameIsNotFollowed() throws IOException {
        Path dir = ShmDirExtension.dir();
        Path target = dir.resolve("victim");
        Files.write(target, new byte[]{1, 2, 3});
        Files.createSymbolicLink(dir.resolve("shmstore.link"), target);
        assertThatThrownBy(() -> SharedMemory.open("link")).isInstanceOf(io.shmstore.StoreException.class)
                .hasMessageContaining("symbolic link");
        assertThatThrownBy(() -> SharedMemory.create("link", 4096)).isInstanceOf(io.shmstore.StoreException.class);
        assertThat(Files.readAllBytes(target)).containsExactly(1, 2, 3);
    }

    @Test
    void readOnlyHandlesAndViewsRefuseWrites() {
        try (SharedMemory mem = SharedMemory.create("ro", 4096);
             MemoryView rw = mem.map()) {
            rw.bytes().writeLong(0, 99);
            try (SharedMemory ro = SharedMemory.open("ro", Access.READ_ONLY)) {
                assertThat(ro.access()).isEqualTo(Access.READ_ONLY);
                assertThatThrownBy(() -> ro.map(0, 4096, Access.READ_WRITE))
                        .isInstanceOf(ReadOnlyStoreException.class).hasMessageContaining("\"ro\"");
                try (MemoryView view = ro.map()) {
                    assertThat(view.access()).isEqualTo(Access.READ_ONLY);
                    assertThatThrownBy(() -> view.bytes().writeLong(0, 1)).isInstanceOf(ReadOnlyStoreException.class);
                    assertThatThrownBy(() -> view.bytes().compareAndSwapLong(0, 99, 1)).isInstanceOf(ReadOnlyStoreException.class);
                    assertThatThrownBy(() -> view.bytes().bytesForWrite()).isInstanceOf(ReadOnlyStoreException.class);
                    assertThat(view.bytes().readLong(0)).isEqualTo(99);
                    net.openhft.chronicle.bytes.Bytes<Void> cursor = view.bytes().bytesForRead();
                    assertThat(cursor.readLong()).isEqualTo(99);
                    assertThatThrownBy(() -> cursor.writeLong(0, 5)).isInstanceOf(ReadOnlyStoreException.class);
                    cursor.clear();
                    // Chronicle's text appenders wrap what the store throws
                    assertThatThrownBy(() -> cursor.append("x")).hasRootCauseInstanceOf(ReadOnlyStoreException.class);
                    assertThatThrownBy(() -> cursor.writeInt(7)).isInstanceOf(ReadOnlyStoreException.class);
                    cursor.releaseLast();
                }
            }
            try (MemoryView roView = mem.map(0, 4096, Access.READ_ONLY)) {
                assertThatThrownBy(() -> roView.bytes().writeInt(8, 1)).isInstanceOf(ReadOnlyStoreException.class);
            }
            assertThat(rw.bytes().readLong(0)).isEqualTo(99);
        }
    }

    @Test
    void everyWritingMethodOfAReadOnlyViewIsRefusedWithoutCrashingTheJvm() {
        try (SharedMemory mem = SharedMemory.create("ro-all", 4096);
             MemoryView rw = mem.map()) {
            rw.bytes().writeLong(0, 31337);
            try (ChildJvm child = ChildJvm.start(MemoryChild.class, "readonly-writes", "ro-all")) {
                int refused = Integer.parseInt(child.expect("REFUSED", CHILD));
                List<String> rest = new ArrayList<>();
                String line;
                while (!(line = child.nextLine(CHILD)).startsWith("FIRST")) {
                    rest.add(line);
                }
                assertThat(child.waitFor(CHILD)).as("child exit code (a crash is not 0)").isZero();
                assertThat(rest).as("writes that were not refused").isEmpty();
                assertThat(refused).isGreaterThan(40);
                assertThat(line).isEqualTo("FIRST 31337");
            }
            assertThat(rw.bytes().readLong(0)).isEqualTo(31337);
        }
    }

    @Test
    void accessOutsideAViewIsRefusedNamingTheRangeNotACrash() {
        try (SharedMemory mem = SharedMemory.create("bounds", 3 * 4096);
             MemoryView view = mem.map(4096, 4096, Access.READ_WRITE)) {
            var bytes = view.bytes();
            assertThatThrownBy(() -> bytes.writeLong(4090, 1)).isInstanceOf(IndexOutOfBoundsException.class)
                    .hasMessageContaining("4090").hasMessageContaining("4096-byte view");
            assertThatThrownBy(() -> bytes.readLong(-8)).isInstanceOf(IndexOutOfBoundsException.class);
            assertThatThrownBy(() -> bytes.readInt(1L << 40)).isInstanceOf(IndexOutOfBoundsException.class);
            assertThatThrownBy(() -> bytes.write(4000, new byte[200], 0, 200)).isInstanceOf(IndexOutOfBoundsException.class);
            assertThatThrownBy(() -> bytes.write8bit(4090, "far too long", 0, 12)).isInstanceOf(IndexOutOfBoundsException.class);
            assertThatThrownBy(() -> bytes.zeroOut(4000, 9000)).isInstanceOf(IndexOutOfBoundsException.class);
            assertThatThrownBy(() -> bytes.compareAndSwapLong(4092, 0, 1)).isInstanceOf(IndexOutOfBoundsException.class);
            bytes.writeLong(4088, 7);
            assertThat(bytes.readLong(4088)).isEqualTo(7);
        }
    }

    @Test
    void useAfterCloseIsAnIllegalStateNotACrash() {
        SharedMemory mem = SharedMemory.create("closed", 4096);
        MemoryView view = mem.map();
        view.close();
        view.close();
        assertThatThrownBy(view::bytes).isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
        mem.close();
        mem.close();
        assertThatThrownBy(() -> mem.map(0, 10, Access.READ_ONLY)).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void viewsOutliveTheirHandle() {
        SharedMemory mem = SharedMemory.create("outlive", 4096);
        try (MemoryView view = mem.map()) {
            mem.close();
            view.bytes().writeLong(0, 5);
            assertThat(view.bytes().readLong(0)).isEqualTo(5);
        }
    }

    /**
     * The file of a memory-only object where the backend keeps them in a directory (POSIX), else null
     * (Windows: kernel objects, whose names the open calls below check instead).
     */
    private static Path nameFile(String name) {
        Path dir = io.shmstore.internal.memory.Backends.current().directory();
        return dir == null ? null : dir.resolve("shmstore." + name);
    }

    @Test
    void untilLastCloseRemovesTheNameWhenTheLastHandleCloses() {
        Path file = nameFile("life");
        SharedMemory a = SharedMemory.create("life", 4096);
        assertThat(a.lifetime()).isEqualTo(Lifetime.UNTIL_LAST_CLOSE);
        SharedMemory b = SharedMemory.open("life");
        a.close();
        if (file != null) {
            assertThat(file).exists();
        }
        try (SharedMemory c = SharedMemory.open("life")) {
            assertThat(c.created()).as("b still holds the name").isFalse();
        }
        b.close();
        if (file != null) {
            assertThat(file).doesNotExist();
        }
        assertThatThrownBy(() -> SharedMemory.open("life")).isInstanceOf(StoreNotFoundException.class);
    }

    @Test
    void lastLiveCloserRemovesTheNameWhenOtherAttachersWereKilled() {
        Path file = nameFile("orphan");
        SharedMemory mem = SharedMemory.create("orphan", 4096);
        try (ChildJvm child = ChildJvm.start(MemoryChild.class, "attach", "orphan")) {
            child.expect("ATTACHED", CHILD);
            mem.close();
            if (file != null) {
                assertThat(file).as("the child still has it open").exists();
            }
            try (SharedMemory held = SharedMemory.open("orphan")) {
                assertThat(held.size()).as("the child keeps it").isEqualTo(4096);
            }
            child.kill();
        }
        if (file != null) {
            // POSIX: the killed child never closed it; the next opener finds that out and removes it
            assertThat(file).as("the killed child never closed it").exists();
            assertThatThrownBy(() -> SharedMemory.open("orphan"))
                    .isInstanceOf(StoreNotFoundException.class)
                    .hasMessageContaining("exited without closing");
            assertThat(file).doesNotExist();
        } else {
            // Windows: the kernel closed the killed child's handles, the last ones
            assertThatThrownBy(() -> SharedMemory.open("orphan")).isInstanceOf(StoreNotFoundException.class);
        }
        try (SharedMemory again = SharedMemory.create("orphan", 4096)) {
            assertThat(again.created()).isTrue();
        }
    }

    @Test
    void childCloseThenParentCloseRemovesTheName() {
        Path file = nameFile("both");
        SharedMemory mem = SharedMemory.create("both", 4096);
        try (ChildJvm child = ChildJvm.start(MemoryChild.class, "attach", "both")) {
            child.expect("ATTACHED", CHILD);
            child.send("exit");
            child.expect("CLOSED", CHILD);
            assertThat(child.waitFor(CHILD)).isZero();
        }
        if (file != null) {
            assertThat(file).exists();
        }
        mem.close();
        if (file != null) {
            assertThat(file).doesNotExist();
        }
        assertThatThrownBy(() -> SharedMemory.open("both")).isInstanceOf(StoreNotFoundException.class);
    }

    @Test
    void destroyOfAMemoryOnlyMappingThatAnotherHandleHoldsFreesTheNameOrSaysItLingers() {
        Capabilities caps = SharedMemory.capabilities();
        SharedMemory a = SharedMemory.create("gone", 4096);
        try (SharedMemory b = SharedMemory.open("gone");
             MemoryView view = b.map()) {
            view.bytes().writeLong(0, 11);
            a.destroy();
            assertThatThrownBy(() -> SharedMemory.open("gone")).isInstanceOf(StoreNotFoundException.class)
                    .hasMessageContaining("\"gone\"");
            if (caps.destroyFreesTheName()) {
                try (SharedMemory fresh = SharedMemory.create("gone", 4096);
                     MemoryView freshView = fresh.map()) {
                    assertThat(fresh.created()).isTrue();
                    assertThat(freshView.bytes().readLong(0)).as("a new object").isZero();
                }
            } else {
                assertThatThrownBy(() -> SharedMemory.create("gone", 4096)).isInstanceOf(StoreExistsException.class)
                        .hasMessageContaining("\"gone\" was destroyed").hasMessageContaining("still has it open");
                assertThatThrownBy(() -> SharedMemory.createOrOpen("gone", 4096))
                        .isInstanceOf(StoreExistsException.class).hasMessageContaining("was destroyed");
            }
            assertThat(view.bytes().readLong(0)).as("b's view survives the destroy").isEqualTo(11);
        }
        try (SharedMemory again = SharedMemory.create("gone", 4096)) {
            assertThat(again.created()).as("free once the last handle closed").isTrue();
        }
    }

    @Test
    void persistentFileBackedMappingKeepsItsDataUntilDestroy(@org.junit.jupiter.api.io.TempDir Path tmp) {
        Path file = tmp.resolve("data.shm");
        try (SharedMemory mem = SharedMemory.createBackedBy(file, 10_000);
             MemoryView view = mem.map()) {
            assertThat(mem.lifetime()).isEqualTo(Lifetime.PERSISTENT);
            view.bytes().writeLong(9000, 777);
        }
        assertThat(file).exists();
        assertThatThrownBy(() -> SharedMemory.createBackedBy(file, 10_000)).isInstanceOf(StoreExistsException.class);
        try (SharedMemory mem = SharedMemory.openBackedBy(file, Access.READ_WRITE);
             MemoryView view = mem.map(8192, 1808, Access.READ_ONLY)) {
            assertThat(mem.size()).isEqualTo(10_000);
            assertThat(view.bytes().readLong(9000 - 8192)).isEqualTo(777);
            if (SharedMemory.capabilities().destroyWhileMapped()) {
                mem.destroy();
                assertThat(file).doesNotExist();
            } else {
                // Windows: deleted, or refused naming the file and what to do, by version
                try {
                    mem.destroy();
                } catch (io.shmstore.StoreException refused) {
                    assertThat(refused).hasMessageContaining(file.toString()).hasMessageContaining("close every view");
                }
            }
            assertThat(view.bytes().readLong(9000 - 8192)).as("views survive destroy").isEqualTo(777);
        }
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
        assertThat(file).doesNotExist();
    }

    @Test
    void fileBackedUntilLastCloseIsKeptOrRefusedAsThePlatformSays(@org.junit.jupiter.api.io.TempDir Path tmp) {
        Path file = tmp.resolve("short.shm");
        SharedMemory.Builder b = SharedMemory.backedBy(file).size(4096).lifetime(Lifetime.UNTIL_LAST_CLOSE);
        if (SharedMemory.capabilities().fileBackedUntilLastClose()) {
            SharedMemory mem = b.create();
            assertThat(mem.lifetime()).isEqualTo(Lifetime.UNTIL_LAST_CLOSE);
            mem.close();
            assertThat(file).as("removed with its last handle").doesNotExist();
        } else {
            assertThatThrownBy(b::create).isInstanceOf(UnsupportedOperationException.class)
                    .hasMessageContaining("fileBackedUntilLastClose");
            assertThat(file).doesNotExist();
        }
    }

    @Test
    void persistentMemoryOnlyMappingSurvivesCloseOrIsRefusedAsThePlatformSays() {
        SharedMemory.Builder b = SharedMemory.named("keep").size(4096).lifetime(Lifetime.PERSISTENT);
        if (!SharedMemory.capabilities().persistentMemoryOnly()) {
            assertThatThrownBy(b::create).isInstanceOf(UnsupportedOperationException.class)
                    .hasMessageContaining("\"keep\"").hasMessageContaining("persistentMemoryOnly")
                    .hasMessageContaining("createBackedBy");
            assertThatThrownBy(() -> SharedMemory.open("keep")).isInstanceOf(StoreNotFoundException.class);
            return;
        }
        b.create().close();
        try (SharedMemory again = SharedMemory.open("keep")) {
            assertThat(again.lifetime()).isEqualTo(Lifetime.PERSISTENT);
            again.destroy();
        }
        assertThatThrownBy(() -> SharedMemory.open("keep")).isInstanceOf(StoreNotFoundException.class);
    }

    @Test
    void listDescribesEveryNamedObjectOrIsEmptyWhereThePlatformCannotList() throws IOException {
        if (!SharedMemory.capabilities().listsNamedObjects()) {
            try (SharedMemory mem = SharedMemory.create("listed", 8192)) {
                assertThat(SharedMemory.list()).isEmpty();
            }
            return;
        }
        Files.write(ShmDirExtension.dir().resolve("shmstore.stray"), new byte[10]);
        try (SharedMemory mem = SharedMemory.create("listed", 8192);
             SharedMemory second = SharedMemory.open("listed");
             NamedMutex m = NamedMutex.createOrOpen("listed.lock")) {
            List<NamedObjectInfo> all = SharedMemory.list();
            assertThat(all).extracting(NamedObjectInfo::name).containsExactly("listed", "listed.lock", "stray");
            NamedObjectInfo info = all.get(0);
            assertThat(info.type()).isEqualTo("memory mapping");
            assertThat(info.size()).isEqualTo(8192);
            assertThat(info.lifetime()).isEqualTo(Lifetime.UNTIL_LAST_CLOSE);
            assertThat(info.creatorPid()).isEqualTo(ProcessHandle.current().pid());
            assertThat(info.attachedPids()).containsExactly(ProcessHandle.current().pid(), ProcessHandle.current().pid());
            assertThat(all.get(1).type()).isEqualTo("mutex");
            assertThat(all.get(2).type()).isEqualTo("not a ShmStore object");
        }
    }

    @Test
    @DisabledOnOs(OS.WINDOWS)
    void aFifoADirectoryASocketOrADeviceAtANameIsRefusedNamingWhatIsThere() throws IOException {
        Path dir = ShmDirExtension.dir();
        Map<String, String> found = new LinkedHashMap<>();
        SpecialFiles.fifo(dir.resolve("shmstore.fifo"), "0600");
        found.put("fifo", "a FIFO");
        Files.createDirectory(dir.resolve("shmstore.dir"));
        found.put("dir", "a directory");
        SpecialFiles.socket(dir.resolve("shmstore.sock"));
        found.put("sock", "a socket");
        if (SpecialFiles.nullDevice(dir.resolve("shmstore.dev")) == null) {
            found.put("dev", "a character device");
        }
        assertTimeoutPreemptively(Duration.ofSeconds(20), () -> found.forEach((name, what) -> {
            String is = "is not a ShmStore object: it is " + what;
            assertThatThrownBy(() -> SharedMemory.open(name)).as(name).isInstanceOf(IncompatibleStoreException.class)
                    .hasMessageContaining(is);
            assertThatThrownBy(() -> SharedMemory.open(name, Access.READ_ONLY)).as(name)
                    .isInstanceOf(IncompatibleStoreException.class).hasMessageContaining(is);
            assertThatThrownBy(() -> SharedMemory.createOrOpen(name, 4096)).as(name)
                    .isInstanceOf(IncompatibleStoreException.class).hasMessageContaining(is);
            assertThatThrownBy(() -> NamedMutex.createOrOpen(name)).as(name)
                    .isInstanceOf(IncompatibleStoreException.class).hasMessageContaining(is);
            assertThatThrownBy(() -> SharedMemory.create(name, 4096)).as(name)
                    .isInstanceOf(StoreExistsException.class).hasMessageContaining(is);
        }), "opening a name that is not a regular file must not block");
    }

    @Test
    @DisabledOnOs(OS.WINDOWS)
    void listReportsNamesThatAreNotRegularFilesWithoutBlockingOnThem() throws IOException {
        Path dir = ShmDirExtension.dir();
        SpecialFiles.fifo(dir.resolve("shmstore.fifo"), "0600");
        Files.createDirectory(dir.resolve("shmstore.dir"));
        Files.createSymbolicLink(dir.resolve("shmstore.link"), dir.resolve("shmstore.fifo"));
        try (SharedMemory mem = SharedMemory.create("real", 4096)) {
            List<NamedObjectInfo> all = assertTimeoutPreemptively(Duration.ofSeconds(20), SharedMemory::list,
                    "list() must not block on a FIFO");
            assertThat(all).extracting(NamedObjectInfo::name, NamedObjectInfo::type).containsExactly(
                    tuple("dir", "not a ShmStore object: directory"),
                    tuple("fifo", "not a ShmStore object: FIFO"),
                    tuple("link", "not a ShmStore object: symbolic link"),
                    tuple("real", "memory mapping"));
            assertThat(all.get(3).owner()).isEqualTo(System.getProperty("user.name"));
        }
    }

    @Test
    @DisabledOnOs(OS.WINDOWS)
    void listOfAMissingDirectoryIsStoreNotFoundNamingIt() {
        Path missing = ShmDirExtension.dir().resolve("missing");
        System.setProperty("shmstore.dir", missing.toString());
        try {
            assertThatThrownBy(SharedMemory::list).isInstanceOf(StoreNotFoundException.class)
                    .hasMessageContaining(missing.toString());
        } finally {
            System.setProperty("shmstore.dir", missing.getParent().toString());
        }
    }

    @Test
    @DisabledOnOs(OS.WINDOWS)
    void leakedHandlesEndInTooManyHandlesSayingWhoHoldsThemNotStoreFull() {
        // Windows counts handles in the kernel; POSIX objects keep one attach entry per open handle
        List<SharedMemory> leaked = new ArrayList<>();
        try {
            leaked.add(SharedMemory.create("leaky", 4096));
            RuntimeException refused = null;
            while (refused == null && leaked.size() <= 100_000) {
                try {
                    leaked.add(SharedMemory.open("leaky"));
                } catch (RuntimeException e) {
                    refused = e;
                }
            }
            assertThat(refused).isInstanceOf(TooManyHandlesException.class)
                    .isNotInstanceOf(io.shmstore.StoreFullException.class)
                    .hasMessageContaining("\"leaky\"")
                    .hasMessageContaining("this process holds " + leaked.size())
                    .hasMessageContaining("close");
        } finally {
            leaked.forEach(SharedMemory::close);
        }
        assertThat(ShmDirExtension.dir().resolve("shmstore.leaky")).doesNotExist();
    }

    @Test
    void createOrOpenRefusesAnExistingMappingThatIsTooSmall() {
        try (SharedMemory small = SharedMemory.create("small", 4096)) {
            assertThatThrownBy(() -> SharedMemory.createOrOpen("small", 8192))
                    .isInstanceOf(IncompatibleStoreException.class)
                    .hasMessageContaining("4096").hasMessageContaining("8192");
            try (SharedMemory same = SharedMemory.createOrOpen("small", 1000)) {
                assertThat(same.created()).isFalse();
                assertThat(same.size()).isEqualTo(4096);
            }
        }
    }

    @Test
    void concurrentCreateOrOpenInChildJvmsHasExactlyOneCreator() {
        int n = 4;
        List<ChildJvm> children = new ArrayList<>();
        try {
            for (int i = 0; i < n; i++) {
                children.add(ChildJvm.start(MemoryChild.class, "create-or-open", "race", "65536"));
            }
            for (ChildJvm c : children) {
                c.expect("READY", CHILD);
            }
            children.forEach(c -> c.send("go"));
            List<String> outcomes = new ArrayList<>();
            for (ChildJvm c : children) {
                outcomes.add(c.nextLine(CHILD));
            }
            assertThat(outcomes).filteredOn(s -> s.startsWith("CREATED")).hasSize(1);
            assertThat(outcomes).allMatch(s -> s.endsWith(" 65536"), "every process sees the full size");
            children.forEach(c -> c.send("exit"));
            for (ChildJvm c : children) {
                assertThat(c.waitFor(CHILD)).isZero();
            }
        } finally {
            children.forEach(ChildJvm::close);
        }
        assertThatThrownBy(() -> SharedMemory.open("race")).isInstanceOf(StoreNotFoundException.class);
    }

    @Test
    void racingOpenersNeverAttachToAnObjectBeingRemoved() throws Exception {
        int threads = 4;
        AtomicInteger created = new AtomicInteger();
        List<Throwable> errors = new java.util.concurrent.CopyOnWriteArrayList<>();
        Thread[] ts = new Thread[threads];
        long end = System.nanoTime() + Duration.ofSeconds(2).toNanos();
        for (int t = 0; t < threads; t++) {
            ts[t] = new Thread(() -> {
                while (System.nanoTime() < end) {
                    try (SharedMemory mem = SharedMemory.createOrOpen("churn", 4096);
                         MemoryView view = mem.map()) {
                        if (mem.created()) {
                            created.incrementAndGet();
                            view.bytes().writeVolatileLong(0, 1);
                        }
                        view.bytes().addAndGetLong(8, 1);
                    } catch (Throwable e) {
                        errors.add(e);
                    }
                }
            });
            ts[t].start();
        }
        for (Thread t : ts) {
            t.join();
        }
        assertThat(errors).isEmpty();
        assertThat(created.get()).isPositive();
        assertThat(ShmDirExtension.dir().resolve("shmstore.churn")).doesNotExist();
    }
}
