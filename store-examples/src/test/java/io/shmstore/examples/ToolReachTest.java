package io.shmstore.examples;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.shmstore.SharedStore;
import io.shmstore.internal.store.StoreLayout;
import io.shmstore.memory.Access;
import io.shmstore.memory.Lifetime;
import io.shmstore.memory.MemoryView;
import io.shmstore.memory.SharedMemory;
import io.shmstore.testing.ShmDirExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

/**
 * The tool on every store an operator meets: file-backed ones ({@code --file}), for scripts
 * ({@code --json}), of another format version, and with the companions {@code produce} and
 * {@code consume} leave beside a store.
 */
@ExtendWith(ShmDirExtension.class)
class ToolReachTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private static SharedStore<String, String> fileStore(Path file) {
        return SharedStore.of(String.class, String.class).persistedTo(file).entries(100).segments(1).create();
    }

    @Test
    void everyOperatorCommandOpensAFileBackedStoreWithFile() {
        Path file = dir.resolve("x.store");
        try (SharedStore<String, String> s = fileStore(file)) {
            s.put("a", "1");
            s.put("b", "2");
        }
        Tool.Result stats = Tool.run("stats", "--file", file.toString());
        assertThat(stats.code()).as(stats.toString()).isZero();
        assertThat(stats.out()).startsWith("store \"" + file + "\"").contains("entries       2;");
        Tool.Result dump = Tool.run("dump", "--file", file.toString(), "--json");
        assertThat(dump.lines()).as(dump.toString()).containsExactlyInAnyOrder("{\"key\":\"a\",\"value\":\"1\"}",
                "{\"key\":\"b\",\"value\":\"2\"}");
        Tool.Result verify = Tool.run("verify", "--file", file.toString());
        assertThat(verify.code()).as(verify.toString()).isZero();
        assertThat(verify.out()).startsWith("ok: \"" + file + "\" has no problems (2 entries)");
        Tool.Result watch = Tool.run("watch", "--file", file.toString(), "--from", "0", "--count", "2");
        assertThat(watch.lines()).as(watch.toString()).containsExactly("watching \"" + file + "\" from sequence 0",
                "0 PUT a", "1 PUT b");
        Tool.Result destroy = Tool.run("destroy", "--file", file.toString());
        assertThat(destroy.out()).as(destroy.toString()).isEqualTo("destroyed store \"" + file + "\"\n");
        assertThat(file).doesNotExist();
    }

    @Test
    void aPathGivenAsANameIsRefusedNamingTheOptionToUse() {
        Tool.Result path = Tool.run("stats", "/x/file.store");
        assertThat(path.code()).as("a bad name, as any other").isEqualTo(ShmStoreTool.USER_ERROR);
        assertThat(path.err()).isEqualTo("shmstore stats: \"/x/file.store\" is a path, not a store name: open a file-backed"
                + " store with --file /x/file.store\n");
        Tool.Result both = Tool.run("verify", "orders", "--file", "/x/file.store");
        assertThat(both.code()).isEqualTo(ShmStoreTool.USAGE_ERROR);
        assertThat(both.err()).contains("give NAME or --file, not both (NAME \"orders\", --file /x/file.store)");
        Tool.Result neither = Tool.run("dump");
        assertThat(neither.code()).isEqualTo(ShmStoreTool.USAGE_ERROR);
        assertThat(neither.err()).contains("name a store: NAME for a memory-only store, or --file PATH for a file-backed one");
    }

    @Test
    void statsAndListSpeakJson() throws Exception {
        try (SharedStore<String, String> s = SharedStore.of(String.class, String.class).name("j").entries(100).create()) {
            s.put("a", "1");
            s.put("b", "2");
            s.remove("b");
            Tool.Result stats = Tool.run("stats", "--json", "j");
            assertThat(stats.code()).as(stats.toString()).isZero();
            assertThat(stats.lines()).hasSize(1);
            JsonNode st = JSON.readTree(stats.out());
            assertThat(st.get("store").asText()).isEqualTo("j");
            assertThat(st.get("entries").asLong()).isEqualTo(1);
            assertThat(st.get("keys").asText()).isEqualTo("java.lang.String/string-utf8");
            assertThat(st.get("feedPublished").asLong()).isEqualTo(3);
            assertThat(st.get("bytesReserved").asLong()).isEqualTo(s.stats().bytesReserved());
            Tool.Result list = Tool.run("list", "--json");
            assertThat(list.code()).as(list.toString()).isZero();
            JsonNode rows = JSON.readTree(list.out());
            assertThat(rows.isArray()).isTrue();
            assertThat(rows).hasSize(1);
            JsonNode row = rows.get(0);
            assertThat(row.get("name").asText()).isEqualTo("j");
            assertThat(row.get("type").asText()).isEqualTo("store");
            assertThat(row.get("entries").asLong()).isEqualTo(1);
            assertThat(row.get("lifetime").asText()).isEqualTo("until-last-close");
            assertThat(row.get("attachedPids").get(0).asLong()).isEqualTo(ProcessHandle.current().pid());
        }
        assertThat(JSON.readTree(Tool.run("list", "--json").out())).as("an empty directory is an empty array").isEmpty();
    }

    @Test
    void aStoreOfAnotherFormatVersionIsListedAsSuchAndDestroyable() {
        try (SharedStore<String, String> s = SharedStore.of(String.class, String.class).name("old").entries(100)
                .lifetime(Lifetime.PERSISTENT).create()) {
            s.put("a", "1");
        }
        int other = StoreLayout.VERSION - 1;
        try (SharedMemory mem = SharedMemory.open("old", Access.READ_WRITE);
             MemoryView header = mem.map(0, StoreLayout.VERSION_OFFSET + Integer.BYTES, Access.READ_WRITE)) {
            header.bytes().writeInt(StoreLayout.VERSION_OFFSET, other);
        }
        Tool.Result list = Tool.run("list");
        assertThat(list.lines()).as(list.toString()).anySatisfy(l -> assertThat(l).startsWith("old ")
                .contains(" store ").contains("format version " + other + ", made by another ShmStore release (this one"
                        + " reads version " + StoreLayout.VERSION + "); destroy removes it"));
        Tool.Result stats = Tool.run("stats", "old");
        assertThat(stats.code()).isEqualTo(ShmStoreTool.USER_ERROR);
        assertThat(stats.err()).contains("has store format version " + other);
        Tool.Result destroy = Tool.run("destroy", "old");
        assertThat(destroy.code()).as(destroy.toString()).isZero();
        assertThat(destroy.out()).isEqualTo("destroyed store of format version " + other + " \"old\"\n");
        assertThat(SharedMemory.list()).isEmpty();
    }

    @Test
    void destroyNamesTheCompanionsItLeavesOrTakesThemWithAFlag() {
        assertThat(Tool.run("produce", "--store", "o", "--count", "5", "--rate", "0").code()).isZero();
        Tool.Result destroy = Tool.run("destroy", "o");
        assertThat(destroy.out()).as(destroy.toString()).isEqualTo("destroyed store \"o\"\nits companion remains: o.producer"
                + " (where produce and consume keep their positions); destroy them too with --with-companions\n");
        assertThat(SharedMemory.list()).extracting(i -> i.name()).containsExactly("o.producer");

        assertThat(Tool.run("produce", "--store", "p", "--count", "5", "--rate", "0").code()).isZero();
        Tool.Result consumed = assertTimeoutPreemptively(Duration.ofSeconds(60),
                () -> Tool.run("consume", "--store", "p", "--count", "5", "--quiet"));
        assertThat(consumed.code()).as(consumed.toString()).isZero();
        Tool.Result all = Tool.run("destroy", "p", "--with-companions");
        assertThat(all.out()).as(all.toString()).isEqualTo("destroyed store \"p\"\ndestroyed store \"p.producer\"\n"
                + "destroyed store \"p.consumer\"\n");
        assertThat(SharedMemory.list()).extracting(i -> i.name()).containsExactly("o.producer");
    }

    @Test
    void produceAndConsumeWorkOnAFileBackedStoreAndDestroyTakesItsCompanionFiles() throws Exception {
        Path file = dir.resolve("orders.store");
        Tool.Result produced = Tool.run("produce", "--file", file.toString(), "--count", "20", "--rate", "0");
        assertThat(produced.code()).as(produced.toString()).isZero();
        Tool.Result consumed = assertTimeoutPreemptively(Duration.ofSeconds(60),
                () -> Tool.run("consume", "--file", file.toString(), "--count", "20", "--quiet"));
        assertThat(consumed.code()).as(consumed.toString()).isZero();
        assertThat(Files.list(dir).map(p -> p.getFileName().toString()))
                .containsExactlyInAnyOrder("orders.store", "orders.store.producer", "orders.store.consumer");
        assertThat(Tool.run("stats", "--file", file.toString()).out()).contains("entries       20;");
        Tool.Result both = Tool.run("produce", "--store", "o", "--file", file.toString());
        assertThat(both.code()).isEqualTo(ShmStoreTool.USAGE_ERROR);
        assertThat(Tool.run("destroy", "--file", file.toString(), "--with-companions").code()).isZero();
        assertThat(Files.list(dir)).isEmpty();
        assertThat(SharedMemory.list()).as("nothing memory-only was made").isEmpty();
    }

    @Test
    void flagsPrintsTheArgumentFileForThisJava() {
        Tool.Result r = Tool.run("flags");
        assertThat(r.code()).as(r.toString()).isZero();
        assertThat(r.out()).isEqualTo(io.shmstore.JvmFlags.argFile());
        assertThat(r.lines().get(0)).startsWith("# JVM flags for ShmStore on Java " + Runtime.version().feature());
        assertThat(r.lines()).contains("--add-opens=java.base/java.lang.reflect=ALL-UNNAMED");
        assertThat(Tool.run("flags", "--all").lines()).containsAll(io.shmstore.JvmFlags.all());
    }
}
