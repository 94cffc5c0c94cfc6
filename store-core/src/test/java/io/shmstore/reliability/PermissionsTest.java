package io.shmstore.reliability;

import io.shmstore.IncompatibleStoreException;
import io.shmstore.SharedStore;
import io.shmstore.SharedStoreBuilder;
import io.shmstore.StoreException;
import io.shmstore.UntrustedOwnerException;
import io.shmstore.testing.OtherUser;
import io.shmstore.testing.ShmDirExtension;
import io.shmstore.testing.SpecialFiles;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Who can open a store: owner-only by default, widened with {@code permissions(...)}, checked with a
 * reader that really is another user ({@code nobody}); and whose store this process opens: not one
 * another user created first, unless it trusts that owner. The memory-layer cases (mappings, mutexes,
 * events, a symbolic link at a mapping's name) are in SharedMemoryTest and OwnerCheckTest.
 */
@EnabledOnOs(OS.LINUX)
@ExtendWith(ShmDirExtension.class)
class PermissionsTest {
    private static final Duration CHILD = Duration.ofSeconds(60);

    @AfterAll
    static void removeReadableClassPath() throws IOException {
        OtherUser.removeReadableClassPath();
    }

    @Test
    void storesAreOwnerOnlyByDefaultAndWidenedByTheBuilder(@TempDir Path tmp) throws IOException {
        Path dir = ShmDirExtension.dir();
        Path file = tmp.resolve("file.store");
        try (SharedStore<Integer, String> a = SharedStore.of(Integer.class, String.class).name("private").create();
             SharedStore<Integer, String> b = SharedStore.of(Integer.class, String.class).name("group")
                     .permissions("rw-r-----").create();
             SharedStore<Integer, String> c = SharedStore.of(Integer.class, String.class).name("world")
                     .permissions(Set.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE,
                             PosixFilePermission.OTHERS_READ)).create();
             SharedStore<Integer, String> d = SharedStore.of(Integer.class, String.class).persistedTo(file).create()) {
            assertThat(mode(dir.resolve("shmstore." + a.name()))).isEqualTo("rw-------");
            assertThat(mode(dir.resolve("shmstore." + b.name()))).isEqualTo("rw-r-----");
            assertThat(mode(dir.resolve("shmstore." + c.name()))).isEqualTo("rw----r--");
            assertThat(mode(Path.of(d.name()))).as("a file-backed store").isEqualTo("rw-------");
        }
    }

    @Test
    void aStoreWhoseNameIsASymbolicLinkIsNeitherOpenedNorCreatedThroughIt() throws IOException {
        // createOrOpen finds the name taken (link(2) does not follow it), then must not open through it
        Path dir = ShmDirExtension.dir();
        Path victim = dir.resolve("victim");
        Files.write(victim, new byte[]{1, 2, 3});
        Files.createSymbolicLink(dir.resolve("shmstore.link"), victim);
        assertThatThrownBy(() -> SharedStore.of(Integer.class, String.class).name("link").createOrOpen())
                .isInstanceOf(StoreException.class).hasMessageContaining("symbolic link");
        assertThatThrownBy(() -> SharedStore.of(Integer.class, String.class).name("link").openReadOnly())
                .isInstanceOf(StoreException.class).hasMessageContaining("symbolic link");
        assertThat(Files.readAllBytes(victim)).containsExactly(1, 2, 3);
    }

    @Test
    void anotherUserIsRefusedAnOwnerOnlyStore() throws IOException {
        try (SharedStore<Integer, String> store = SharedStore.of(Integer.class, String.class).name("secret").create()) {
            store.put(1, "secret");
            String read = asNobody("read", "secret", "1");
            assertThat(read).startsWith("ERROR " + StoreException.class.getName()).contains("permission denied")
                    .doesNotContain("secret\n");
            assertThat(asNobody("write", "secret", "1", "x")).startsWith("ERROR " + StoreException.class.getName())
                    .contains("permission denied");
            assertThat(store.get(1)).isEqualTo("secret");
        }
    }

    @Test
    void anotherUserReadsAStoreWidenedToOthersReadOnlyButCannotWriteIt() throws IOException {
        try (SharedStore<Integer, String> store = SharedStore.of(Integer.class, String.class).name("shared")
                .permissions("rw-r--r--").create()) {
            store.put(1, "shared value");
            List<String> lines = asNobodyLines("read", "shared", "1");
            assertThat(lines.get(0)).isEqualTo("VALUE shared value");
            assertThat(lines.get(1)).startsWith("WRITE-REFUSED io.shmstore.ReadOnlyStoreException");
            assertThat(asNobody("write", "shared", "1", "x")).startsWith("ERROR " + StoreException.class.getName())
                    .contains("permission denied").contains("for writing");
            assertThat(store.get(1)).isEqualTo("shared value");
            assertThat(store.verify()).isEmpty();
        }
    }

    @Test
    void aStoreAnotherUserCreatedFirstIsRefusedNamingBothUsersUnlessItsOwnerIsTrusted() throws IOException {
        // nobody takes the name first, open to everyone, and waits for a victim to write into it
        OtherUser.shareShmDirectory();
        Path file = OtherUser.sharedDirectory("shared").resolve("victim.store");
        assertThat(asNobody("squat", "victim", file.toString())).startsWith("SQUATTED");
        String owner = OtherUser.NAME + " (uid " + Files.getAttribute(file, "unix:uid") + ")";
        List<ThrowingCallable> opens = List.of(
                () -> store().name("victim").createOrOpen(),
                () -> store().name("victim").open(),
                () -> store().name("victim").openReadOnly(),
                () -> store().persistedTo(file).createOrOpen(),
                () -> store().persistedTo(file).openReadOnly());
        for (ThrowingCallable open : opens) {
            assertThatThrownBy(open).isInstanceOf(UntrustedOwnerException.class)
                    .hasMessageContaining(owner).hasMessageContaining("root (uid 0)")
                    .hasMessageContaining("trustOwner(\"nobody\")");
        }
        assertThat(asNobody("read", "victim", "1")).as("nothing reached the squatter's store").isEqualTo("VALUE null");

        try (SharedStore<Integer, String> agreed = store().name("victim").trustOwner(OtherUser.NAME).createOrOpen();
             SharedStore<Integer, String> byFile = store().persistedTo(file).trustOwner(OtherUser.NAME).openReadOnly()) {
            agreed.put(1, "shared on purpose");
            assertThat(byFile.get(1)).isNull();
        }
        assertThat(asNobody("read", "victim", "1")).isEqualTo("VALUE shared on purpose");
    }

    @Test
    void anotherUsersReadOnlyOpenOfAFifoAtTheNameIsRefusedWithoutBlocking() throws IOException {
        // root's FIFO, readable by all: nobody's read-write open is refused, and its read-only
        // fallback used to block until some process opened the FIFO for writing
        SpecialFiles.fifo(ShmDirExtension.dir().resolve("shmstore.pipe"), "0644");
        List<String> lines = OtherUser.run(Duration.ofSeconds(20), ReliabilityChild.class, "read", "pipe", "1");
        assertThat(lines.get(0)).startsWith("ERROR " + IncompatibleStoreException.class.getName())
                .contains("it is a FIFO");
    }

    private static SharedStoreBuilder<Integer, String> store() {
        return SharedStore.of(Integer.class, String.class);
    }

    private static String asNobody(String... args) throws IOException {
        return asNobodyLines(args).get(0);
    }

    /** Runs {@link ReliabilityChild} as user {@code nobody} and returns its output lines. */
    private static List<String> asNobodyLines(String... args) throws IOException {
        return OtherUser.run(CHILD, ReliabilityChild.class, args);
    }

    private static String mode(Path p) throws IOException {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
    }
}
