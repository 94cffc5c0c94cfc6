package io.shmstore.memory;

import io.shmstore.SharedStore;
import io.shmstore.StoreException;
import io.shmstore.testing.Mounts;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Consumers on a read-only volume, as a container gets one: stores and mappings written in one
 * directory are opened read-only through a read-only bind mount of it, where every open for writing
 * fails with EROFS. Mounting needs root; without it the tests are skipped, saying why. Runs once per
 * backend.
 */
@EnabledOnOs(OS.LINUX)
class ReadOnlyVolumeTest {
    private Path source;
    private Path volume;
    private boolean mounted;

    @BeforeEach
    void writeObjectsAndMountThemReadOnly() throws IOException {
        source = Files.createTempDirectory("shmstore-rw-");
        volume = Files.createTempDirectory("shmstore-ro-");
        System.setProperty("shmstore.dir", source.toString());
        try (SharedStore<Integer, String> named = SharedStore.of(Integer.class, String.class).name("quotes")
                .lifetime(Lifetime.PERSISTENT).permissions("rw-r--r--").create();
             SharedStore<Integer, String> file = SharedStore.of(Integer.class, String.class)
                     .persistedTo(source.resolve("data.store")).create();
             SharedMemory mapping = SharedMemory.createBackedBy(source.resolve("data.map"), 4096);
             MemoryView view = mapping.map()) {
            named.put(1, "from the named store");
            file.put(1, "from the file");
            view.bytes().writeLong(8, 42);
        }
        String problem = Mounts.bindReadOnly(source, volume);
        assumeTrue(problem == null, () -> "cannot mount a read-only view of a directory (needs root): " + problem);
        mounted = true;
        System.setProperty("shmstore.dir", volume.toString());
    }

    @AfterEach
    void unmountAndRemove() throws IOException {
        System.clearProperty("shmstore.dir");
        String problem = mounted ? Mounts.unmount(volume) : null;
        for (Path dir : new Path[]{volume, source}) {
            try (Stream<Path> walk = Files.walk(dir)) {
                walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
        assertThat(problem).as("umount " + volume).isNull();
    }

    @Test
    void storesAndMappingsOnAReadOnlyVolumeOpenReadOnly() {
        try (SharedStore<Integer, String> file = SharedStore.of(Integer.class, String.class)
                .persistedTo(volume.resolve("data.store")).openReadOnly();
             SharedStore<Integer, String> named = SharedStore.of(Integer.class, String.class).name("quotes")
                     .openReadOnly();
             SharedMemory mapping = SharedMemory.openBackedBy(volume.resolve("data.map"), Access.READ_ONLY);
             MemoryView view = mapping.map();
             SharedMemory byName = SharedMemory.open("quotes", Access.READ_ONLY)) {
            assertThat(file.get(1)).isEqualTo("from the file");
            assertThat(named.get(1)).isEqualTo("from the named store");
            assertThat(view.bytes().readLong(8)).isEqualTo(42);
            assertThat(byName.access()).isEqualTo(Access.READ_ONLY);
        }
    }

    @Test
    void writersOnAReadOnlyVolumeAreToldTheFileSystemIsReadOnly() {
        assertThatThrownBy(() -> SharedStore.of(Integer.class, String.class).persistedTo(volume.resolve("data.store"))
                .open()).isInstanceOf(StoreException.class)
                .hasMessageContaining("read-only file system").hasMessageContaining("openReadOnly()");
        assertThatThrownBy(() -> SharedMemory.open("quotes")).isInstanceOf(StoreException.class)
                .hasMessageContaining("read-only file system");
        String created = SharedMemory.backendName().equals("linux") ? "EROFS (read-only file system)"
                : "Read-only file system";
        assertThatThrownBy(() -> SharedMemory.createBackedBy(volume.resolve("new.map"), 4096))
                .isInstanceOf(StoreException.class).hasMessageContaining(created);
        assertThat(volume.resolve("data.store")).exists();
    }
}
