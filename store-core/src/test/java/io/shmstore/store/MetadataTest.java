package io.shmstore.store;

import io.shmstore.IncompatibleStoreException;
import io.shmstore.SharedStore;
import io.shmstore.testing.ShmDirExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The metadata a store's creator records in its header, and the check an opener that gives some makes. */
@ExtendWith(ShmDirExtension.class)
class MetadataTest {

    @Test
    void shouldRecordTheCreatorsMetadataForEveryOpener() {
        try (SharedStore<String, String> created = SharedStore.of(String.class, String.class).name("meta")
                .metadata("schema 3; ttl 5m").create();
             SharedStore<String, String> same = SharedStore.of(String.class, String.class).name("meta")
                     .metadata("schema 3; ttl 5m").open();
             SharedStore<String, String> any = SharedStore.of(String.class, String.class).name("meta").open()) {
            assertThat(created.metadata()).isEqualTo("schema 3; ttl 5m");
            assertThat(same.metadata()).isEqualTo("schema 3; ttl 5m");
            assertThat(any.metadata()).as("an opener that gives none opens any store").isEqualTo("schema 3; ttl 5m");
        }
    }

    @Test
    void shouldRefuseAnOpenerWithOtherMetadataNamingBoth() {
        try (SharedStore<String, String> created = SharedStore.of(String.class, String.class).name("meta2")
                .metadata("schema 3").create()) {
            assertThatThrownBy(() -> SharedStore.of(String.class, String.class).name("meta2").metadata("schema 4")
                    .createOrOpen())
                    .isInstanceOf(IncompatibleStoreException.class)
                    .hasMessageContaining("\"schema 3\"").hasMessageContaining("\"schema 4\"");
            assertThat(created.size()).isZero();
        }
        try (SharedStore<String, String> none = SharedStore.of(String.class, String.class).name("meta3").create()) {
            assertThat(none.metadata()).isEmpty();
            assertThatThrownBy(() -> SharedStore.of(String.class, String.class).name("meta3").metadata("x").open())
                    .isInstanceOf(IncompatibleStoreException.class).hasMessageContaining("(none)");
        }
    }

    @Test
    void shouldKeepLongUnicodeMetadataWholeInAFileBackedStore(@org.junit.jupiter.api.io.TempDir Path dir) {
        String text = "é".repeat(1535); // 3,070 UTF-8 bytes, the most the header holds
        Path file = dir.resolve("meta.store");
        try (SharedStore<String, String> s = SharedStore.of(String.class, String.class).persistedTo(file)
                .metadata(text).create()) {
            assertThat(s.metadata()).isEqualTo(text);
        }
        try (SharedStore<String, String> s = SharedStore.of(String.class, String.class).persistedTo(file)
                .metadata(text).open()) {
            assertThat(s.metadata()).isEqualTo(text);
            s.destroy();
        }
    }

    @Test
    void shouldRefuseMetadataTheHeaderCannotHoldOrGivenTwice() {
        assertThatThrownBy(() -> SharedStore.of(String.class, String.class).metadata("x".repeat(3071)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("3071 UTF-8 bytes");
        assertThatThrownBy(() -> SharedStore.of(String.class, String.class).metadata("a").metadata("b"))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("\"a\"");
        assertThatThrownBy(() -> SharedStore.of(String.class, String.class).metadata(null))
                .isInstanceOf(NullPointerException.class);
    }
}
