package io.shmstore.examples;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.shmstore.SharedStore;
import io.shmstore.StoreStats;
import io.shmstore.codec.SmileCodec;
import io.shmstore.memory.EventMode;
import io.shmstore.memory.MemoryView;
import io.shmstore.memory.NamedEvent;
import io.shmstore.memory.SharedMemory;
import io.shmstore.memory.MemoryChild;
import io.shmstore.testing.ShmDirExtension;
import io.shmstore.testing.StoreGeometry;
import io.shmstore.testing.SpecialFiles;
import net.openhft.chronicle.bytes.BytesStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

/** list, stats, dump, verify, watch and destroy against real stores in this JVM's shm directory. */
@ExtendWith(ShmDirExtension.class)
class OperatorCommandsTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static SharedStore<String, String> names(String name) {
        return SharedStore.of(String.class, String.class).name(name).entries(100).segments(1).create();
    }

    @Test
    void listShowsStoresWithEntriesAndOtherObjectsByType() {
        try (SharedStore<String, String> s = names("names");
             NamedEvent event = NamedEvent.createOrOpen("ping", EventMode.AUTO_RESET)) {
            s.put("a", "1");
            s.put("b", "2");
            Tool.Result r = Tool.run("list");
            assertThat(r.code()).as(r.toString()).isZero();
            long pid = ProcessHandle.current().pid();
            assertThat(r.lines().get(0)).contains("NAME", "TYPE", "ENTRIES", "CREATOR", "ATTACHED", "AGE");
            assertThat(r.lines()).anySatisfy(l -> assertThat(l.split("\\s+"))
                    .containsSubsequence("names", "store").contains("2", String.valueOf(pid)));
            assertThat(r.lines()).anySatisfy(l -> assertThat(l.split("\\s+")).containsSubsequence(event.name(), "event"));
        }
    }

    @Test
    void dirOptionListsAnotherDirectory(@TempDir Path other) {
        Path mine = ShmDirExtension.dir();
        try (SharedStore<String, String> s = names("here")) {
            assertThat(Tool.run("list").out()).contains(s.name());
            Tool.Result elsewhere;
            try {
                elsewhere = Tool.run("list", "--dir", other.toString());
            } finally {
                System.setProperty("shmstore.dir", mine.toString());
            }
            assertThat(elsewhere.out()).as(elsewhere.toString()).isEqualTo("no named objects\n");
        }
    }

    @Test
    void listShowsAStoreWhoseProcessesAllExitedAsOrphanedAndRemovesNothing() {
        Path file = ShmDirExtension.dir().resolve("shmstore.abandoned");
        SharedStore<String, String> s = names("abandoned");
        s.put("k", "v");
        // a process of the core tests that attaches, killed so that it never detaches
        try (io.shmstore.testing.ChildJvm attached = io.shmstore.testing.ChildJvm.start(MemoryChild.class, "attach",
                "abandoned")) {
            attached.expect("ATTACHED", Duration.ofSeconds(60));
            s.close();
            attached.kill();
        } finally {
            s.close();
        }
        for (int run = 0; run < 2; run++) {
            Tool.Result r = Tool.run("list");
            assertThat(r.code()).as(r.toString()).isZero();
            assertThat(r.lines()).as(r.toString()).anySatisfy(l -> assertThat(l)
                    .contains("orphaned: every process that had it open exited without closing it")
                    .satisfies(row -> assertThat(row.split("\\s+")).containsSubsequence("abandoned", "store", "1")));
            assertThat(file).as("listing removes nothing").exists();
        }
    }

    @Test
    void listReportsAFifoInTheDirectoryWithoutBlockingOnIt() throws Exception {
        SpecialFiles.fifo(ShmDirExtension.dir().resolve("shmstore.pipe"), "0600");
        try (SharedStore<String, String> s = names("beside")) {
            s.put("k", "v");
            Tool.Result r = assertTimeoutPreemptively(Duration.ofSeconds(20), () -> Tool.run("list"));
            assertThat(r.code()).as(r.toString()).isZero();
            assertThat(r.lines()).anySatisfy(l -> assertThat(l).startsWith("pipe ").contains("not a ShmStore object: FIFO"));
            assertThat(r.lines()).anySatisfy(l -> assertThat(l.split("\\s+")).containsSubsequence("beside", "store"));
        }
    }

    @Test
    void listOfAMissingDirectoryIsAnErrorExitingOne() {
        Path missing = ShmDirExtension.dir().resolve("missing");
        Tool.Result r;
        try {
            r = Tool.run("list", "--dir", missing.toString());
        } finally {
            System.setProperty("shmstore.dir", missing.getParent().toString());
        }
        assertThat(r.code()).as(r.toString()).isEqualTo(1);
        ShmStoreToolTest.assertOneLineNoTrace(r);
        assertThat(r.err()).contains(missing.toString()).contains("does not exist");
        assertThat(r.out()).doesNotContain("no named objects");
    }

    @Test
    void statsShowsTypesEntriesMemoryAndTheFeed() {
        try (SharedStore<Long, Order> orders = OrderStores.orders("orders").create()) {
            for (long id = 0; id < 5; id++) {
                orders.put(id, Order.create(id, 1));
            }
            Tool.Result r = Tool.run("stats", "orders");
            assertThat(r.code()).as(r.toString()).isZero();
            assertThat(r.out()).contains("java.lang.Long/long-le64")
                    .contains("io.shmstore.examples.Order/json:io.shmstore.examples.Order")
                    .contains("entries       5; sized for ")
                    .contains("change feed   5 records published");
            StoreStats st = orders.stats();
            assertThat(r.out()).contains(String.format("memory        %s reserved, %.1f bytes per live entry",
                    Formats.bytes(st.bytesReserved()), st.bytesPerEntry()));
        }
    }

    @Test
    void dumpDecodesEveryBuiltInCodecAndJackson() throws Exception {
        try (SharedStore<String, String> strings = names("strings");
             SharedStore<Integer, byte[]> bytes = SharedStore.of(Integer.class, byte[].class).name("bytes").entries(10).create();
             SharedStore<Long, Order> json = OrderStores.orders("json").create();
             SharedStore<String, Order> smile = SharedStore.of(String.class, Order.class).name("smile").entries(10)
                     .valueCodec(SmileCodec.of(Order.class)).create()) {
            strings.put("greeting", "hello world");
            bytes.put(7, new byte[]{1, 2, (byte) 0xff});
            Order order = Order.create(42, 1234);
            json.put(42L, order);
            smile.put("o42", order);

            assertThat(Tool.run("dump", "strings").lines()).containsExactly("greeting = hello world", "1 of 1 entries");
            assertThat(Tool.run("dump", "bytes").lines()).containsExactly("7 = 0x0102ff", "1 of 1 entries");
            assertThat(Tool.run("dump", "json").out()).contains("42 = {\"id\":42,\"symbol\":\"" + order.symbol() + "\"");

            JsonNode jsonLine = JSON.readTree(Tool.run("dump", "json", "--json").out());
            assertThat(jsonLine.get("key").asLong()).isEqualTo(42);
            assertThat(JSON.treeToValue(jsonLine.get("value"), Order.class)).isEqualTo(order);
            JsonNode smileLine = JSON.readTree(Tool.run("dump", "smile", "--json").out());
            assertThat(smileLine.get("key").asText()).isEqualTo("o42");
            assertThat(JSON.treeToValue(smileLine.get("value"), Order.class)).isEqualTo(order);
        }
    }

    @Test
    void dumpJsonPrintsOneObjectPerLineAndHonoursTheLimit() throws Exception {
        try (SharedStore<Long, Order> orders = OrderStores.orders("orders").create()) {
            for (long id = 0; id < 50; id++) {
                orders.put(id, Order.create(id, 1));
            }
            Tool.Result all = Tool.run("dump", "orders", "--json");
            assertThat(all.code()).as(all.toString()).isZero();
            List<Long> ids = new ArrayList<>();
            for (String line : all.lines()) {
                JsonNode node = JSON.readTree(line);
                assertThat(node.get("value").get("id").asLong()).isEqualTo(node.get("key").asLong());
                ids.add(node.get("key").asLong());
            }
            assertThat(ids).hasSize(50).doesNotHaveDuplicates().allMatch(id -> id >= 0 && id < 50);
            assertThat(Tool.run("dump", "orders", "--json", "--limit", "7").lines()).hasSize(7);
        }
    }

    @Test
    void verifySaysOkOnASoundStoreAndListsTheProblemOfADamagedOne() {
        try (SharedStore<String, String> s = names("damaged");
             SharedMemory mem = SharedMemory.open("damaged");
             MemoryView view = mem.map()) {
            s.put("victim", "some value");
            Tool.Result sound = Tool.run("verify", "damaged");
            assertThat(sound.code()).as(sound.toString()).isZero();
            assertThat(sound.out()).startsWith("ok");

            flipAValueByteOfTheOnlyEntry(view.bytes());
            Tool.Result damaged = Tool.run("verify", "damaged");
            assertThat(damaged.code()).as(damaged.toString()).isEqualTo(1);
            List<String> lines = damaged.lines();
            assertThat(lines.get(0)).matches("segment 0: slot \\d+ points at an invalid or overlapping entry .*");
            assertThat(lines.get(lines.size() - 1)).isEqualTo((lines.size() - 1) + " problems in \"damaged\"");
        }
    }

    /** The entry of a one-segment store with one entry, found through the public layout classes. */
    private static void flipAValueByteOfTheOnlyEntry(BytesStore<?, ?> b) {
        StoreGeometry g = StoreGeometry.of(b);
        long valueByte = g.value(g.entryOfSlot(0, g.firstLiveSlot(0))) + 2;
        b.writeByte(valueByte, (byte) (b.readByte(valueByte) ^ 0x5A));
    }

    @Test
    void watchPrintsEachChangeWithItsDecodedKey() {
        try (SharedStore<String, String> s = names("watched")) {
            s.put("a", "1");
            s.put("b", "2");
            s.remove("a");
            s.put("c", "3");
            Tool.Result r = Tool.run("watch", "watched", "--from", "1", "--count", "2");
            assertThat(r.code()).as(r.toString()).isZero();
            assertThat(r.lines()).containsExactly("watching \"watched\" from sequence 1", "1 PUT b", "2 REMOVE a");
        }
    }

    @Test
    void destroyRemovesTheStoreFromTheListing() {
        try (SharedStore<String, String> s = names("doomed")) {
            s.put("k", "v");
            assertThat(Tool.run("list").out()).contains("doomed");
            Tool.Result r = Tool.run("destroy", "doomed");
            assertThat(r.code()).as(r.toString()).isZero();
            assertThat(r.out()).isEqualTo("destroyed store \"doomed\"\n");
            assertThat(Tool.run("list").out()).doesNotContain("doomed");
            Tool.Result again = Tool.run("stats", "doomed");
            assertThat(again.code()).isEqualTo(1);
            ShmStoreToolTest.assertOneLineNoTrace(again);
            assertThat(s.get("k")).as("this process keeps its mapping until it closes").isEqualTo("v");
        }
    }
}
