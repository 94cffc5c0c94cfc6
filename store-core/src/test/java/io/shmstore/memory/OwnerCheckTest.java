package io.shmstore.memory;

import io.shmstore.StoreExistsException;
import io.shmstore.UntrustedOwnerException;
import io.shmstore.testing.ChildJvm;
import io.shmstore.testing.OtherUser;
import io.shmstore.testing.ShmDirExtension;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Duration;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Squatting: another local user ({@code nobody}, in a child JVM) creates a mapping, a file-backed
 * mapping, a mutex, an event and a semaphore before their rightful creator does, open to everyone. Every open of
 * them by this process is refused, naming both users, until it trusts that owner. This process runs
 * as root: root is a trusted owner, but here it is the caller, and nobody is neither it nor root.
 * Runs once per backend.
 */
@EnabledOnOs(OS.LINUX)
@ExtendWith(ShmDirExtension.class)
class OwnerCheckTest {
    private static final Duration CHILD = Duration.ofSeconds(60);
    private static final Set<PosixFilePermission> OWNER_ONLY = SharedMemory.OWNER_ONLY;

    @AfterAll
    static void removeReadableClassPath() throws IOException {
        OtherUser.removeReadableClassPath();
    }

    @Test
    void objectsAnotherUserCreatedFirstAreRefusedNamingBothUsers() throws IOException {
        OtherUser.shareShmDirectory();
        Path file = OtherUser.sharedDirectory("shared").resolve("victim.map");
        try (ChildJvm squatter = OtherUser.start(MemoryChild.class, "squat", "victim", file.toString())) {
            squatter.expect("SQUATTING", CHILD);
            String owner = OtherUser.NAME + " (uid " + Files.getAttribute(file, "unix:uid") + ")";
            Map<String, ThrowingCallable> opens = Map.of(
                    "open", () -> SharedMemory.open("victim"),
                    "open read-only", () -> SharedMemory.open("victim", Access.READ_ONLY),
                    "createOrOpen", () -> SharedMemory.createOrOpen("victim", 4096),
                    "observe", () -> SharedMemory.named("victim").observe(),
                    "openBackedBy", () -> SharedMemory.openBackedBy(file, Access.READ_WRITE),
                    "openBackedBy read-only", () -> SharedMemory.openBackedBy(file, Access.READ_ONLY),
                    "a mutex", () -> NamedMutex.createOrOpen("victim.lock"),
                    "an event", () -> NamedEvent.createOrOpen("victim.ready", EventMode.AUTO_RESET),
                    "a semaphore", () -> NamedSemaphore.createOrOpen("victim.slots", 1, 1));
            opens.forEach((what, open) -> assertThatThrownBy(open).as(what)
                    .isInstanceOf(UntrustedOwnerException.class)
                    .hasMessageContaining(owner)
                    .hasMessageContaining("root (uid 0)")
                    .hasMessageContaining("trustOwner(\"" + OtherUser.NAME + "\")"));
            assertThatThrownBy(() -> SharedMemory.create("victim", 4096)).as("create")
                    .isInstanceOf(StoreExistsException.class).hasMessageContaining(owner);
            squatter.send("exit");
            assertThat(squatter.waitFor(CHILD)).isZero();
        }
    }

    @Test
    void trustOwnerOpensObjectsOfThatUser() throws IOException {
        OtherUser.shareShmDirectory();
        Path file = OtherUser.sharedDirectory("shared").resolve("agreed.map");
        try (ChildJvm other = OtherUser.start(MemoryChild.class, "squat", "agreed", file.toString())) {
            other.expect("SQUATTING", CHILD);
            String uid = Files.getAttribute(file, "unix:uid").toString();
            try (SharedMemory byName = SharedMemory.named("agreed").trustOwner(OtherUser.NAME).open(Access.READ_WRITE);
                 SharedMemory byUid = SharedMemory.backedBy(file).trustOwner(uid).open(Access.READ_ONLY);
                 MemoryView a = byName.map();
                 MemoryView b = byUid.map();
                 NamedMutex m = NamedMutex.createOrOpen("agreed.lock", OWNER_ONLY, Set.of(OtherUser.NAME));
                 NamedEvent e = NamedEvent.createOrOpen("agreed.ready", EventMode.AUTO_RESET, OWNER_ONLY,
                         Set.of(OtherUser.NAME));
                 NamedSemaphore s = NamedSemaphore.createOrOpen("agreed.slots", 1, 1, OWNER_ONLY,
                         Set.of(OtherUser.NAME))) {
                assertThat(a.bytes().readVolatileLong(0)).isEqualTo(MemoryChild.SQUATTER_MARK);
                assertThat(b.bytes().readVolatileLong(0)).isEqualTo(MemoryChild.SQUATTER_MARK);
                assertThat(m.tryAcquire()).isEqualTo(Ownership.ACQUIRED);
                m.release();
                e.signal();
                assertThat(s.tryAcquire(Duration.ZERO)).isTrue();
                s.release();
            }
            other.send("exit");
            assertThat(other.waitFor(CHILD)).isZero();
        }
    }

    @Test
    void trustOwnerRefusesAUserThisHostDoesNotHaveAndOneTrustedTwice() {
        assertThatThrownBy(() -> SharedMemory.named("x").trustOwner("no-such-user-4711"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("\"no-such-user-4711\"");
        assertThatThrownBy(() -> SharedMemory.named("x").trustOwner(OtherUser.NAME).trustOwner(OtherUser.NAME))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("\"nobody\" was already trusted");
        assertThatThrownBy(() -> NamedMutex.createOrOpen("x", OWNER_ONLY, Set.of("no-such-user-4711")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("\"no-such-user-4711\"");
    }
}
