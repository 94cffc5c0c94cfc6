package io.shmstore.store;

import io.shmstore.IncompatibleStoreException;
import io.shmstore.SharedStore;
import io.shmstore.StoreCorruptedException;
import io.shmstore.internal.sync.ProcessProbe;
import io.shmstore.internal.store.EntryLayout;
import io.shmstore.internal.store.FeedLayout;
import io.shmstore.internal.store.SegmentLayout;
import io.shmstore.internal.store.StoreLayout;
import io.shmstore.memory.MemoryView;
import io.shmstore.memory.SharedMemory;
import io.shmstore.testing.ChildJvm;
import io.shmstore.testing.CrashReports;
import io.shmstore.testing.StoreGeometry;
import io.shmstore.testing.ShmDirExtension;
import net.openhft.chronicle.bytes.BytesStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Damage done to a store's bytes from outside: each case gives a typed exception or a consistent
 * answer, and writers repair what a dead writer left behind.
 */
@ExtendWith(ShmDirExtension.class)
@SuppressWarnings("try")
class StoreDamageTest {

    private static SharedStore<String, String> oneSegment(String name) {
        return SharedStore.of(String.class, String.class).name(name).entries(100).segments(1).create();
    }

    @Test
    void anotherFormatVersionIsIncompatibleNamingBoth() {
        try (SharedStore<String, String> s = oneSegment("version");
             SharedMemory mem = SharedMemory.open("version");
             MemoryView v = mem.map()) {
            for (int other : new int[]{StoreLayout.VERSION - 1, StoreLayout.VERSION + 1}) {
                v.bytes().writeInt(StoreLayout.VERSION_OFFSET, other);
                assertThatThrownBy(() -> SharedStore.of(String.class, String.class).name("version").open())
                        .isInstanceOf(IncompatibleStoreException.class)
                        .hasMessageContaining("version " + other).hasMessageContaining("version " + StoreLayout.VERSION);
            }
        }
    }

    /**
     * A store written by the previous format (version 2: fixed-size segments, 32-byte entry headers),
     * made by ShmStore as it was before layout version 3 with {@code entries(16).segments(1)
     * .changeFeedCapacity(64)} and two puts, kept gzipped: refused, naming both versions, and left as it
     * was.
     */
    @Test
    void aStoreOfTheFormerFormatIsRefusedNamingBothVersions() throws IOException {
        Path file = Path.of(System.getProperty("shmstore.dir")).resolve("v2.store");
        try (java.io.InputStream in = new java.util.zip.GZIPInputStream(
                StoreDamageTest.class.getResourceAsStream("/formats/v2-store.gz"))) {
            Files.write(file, in.readAllBytes());
        }
        byte[] before = Files.readAllBytes(file);
        assertThatThrownBy(() -> SharedStore.of(String.class, String.class).persistedTo(file).open())
                .isInstanceOf(IncompatibleStoreException.class)
                .hasMessageContaining("version 2").hasMessageContaining("version " + StoreLayout.VERSION);
        assertThatThrownBy(() -> io.shmstore.StoreInspector.open(file))
                .isInstanceOf(IncompatibleStoreException.class).hasMessageContaining("version 2");
        assertThat(Files.readAllBytes(file)).as("the refused file is left as it was").isEqualTo(before);
    }

    @Test
    void impossibleGeometryIsReportedNotTrusted() {
        try (SharedStore<String, String> s = oneSegment("geometry");
             SharedMemory mem = SharedMemory.open("geometry");
             MemoryView v = mem.map()) {
            v.bytes().writeInt(StoreLayout.SEGMENTS_OFFSET, 3);
            assertThatThrownBy(() -> SharedStore.of(String.class, String.class).name("geometry").open())
                    .isInstanceOf(StoreCorruptedException.class).hasMessageContaining("segments").hasMessageContaining("3");
            v.bytes().writeInt(StoreLayout.SEGMENTS_OFFSET, 1 << 20);
            assertThatThrownBy(() -> SharedStore.of(String.class, String.class).name("geometry").open())
                    .isInstanceOf(StoreCorruptedException.class);
            v.bytes().writeInt(StoreLayout.SEGMENTS_OFFSET, 1);
            int maxChunks = v.bytes().readInt(StoreLayout.MAX_CHUNKS_OFFSET);
            v.bytes().writeInt(StoreLayout.INITIAL_CHUNKS_OFFSET, maxChunks + 1);
            assertThatThrownBy(() -> SharedStore.of(String.class, String.class).name("geometry").open())
                    .isInstanceOf(StoreCorruptedException.class).hasMessageContaining("initial chunks")
                    .hasMessageContaining(String.valueOf(maxChunks + 1));
            v.bytes().writeInt(StoreLayout.INITIAL_CHUNKS_OFFSET, 2);
            v.bytes().writeInt(StoreLayout.MAX_CHUNKS_OFFSET, Integer.MAX_VALUE);
            assertThatThrownBy(() -> SharedStore.of(String.class, String.class).name("geometry").open())
                    .isInstanceOf(StoreCorruptedException.class);
        }
    }

    @Test
    void aFlippedValueByteFailsItsChecksumAndTheRestIsIntact() {
        try (SharedStore<String, String> s = oneSegment("flip");
             SharedMemory mem = SharedMemory.open("flip");
             MemoryView v = mem.map()) {
            s.put("victim", "some value");
            BytesStore<?, ?> b = v.bytes();
            StoreGeometry g = StoreGeometry.of(b);
            long entry = g.entryOfSlot(0, g.firstLiveSlot(0));
            s.put("bystander", "fine");
            long value = g.value(entry) + 3;
            b.writeByte(value, (byte) (b.readByte(value) ^ 0x5A));
            assertThatThrownBy(() -> s.get("victim")).isInstanceOf(StoreCorruptedException.class)
                    .hasMessageContaining("checksum").hasMessageContaining("segment 0");
            assertThat(s.get("bystander")).isEqualTo("fine");
            assertThat(s.verify()).anyMatch(p -> p.contains("invalid"));
        }
    }

    @Test
    void verifyReportsANegativeSeqlockCounterThatReadersRefuse() {
        try (SharedStore<String, String> s = oneSegment("negative-seq");
             SharedMemory mem = SharedMemory.open("negative-seq");
             MemoryView v = mem.map()) {
            s.put("k", "v");
            v.bytes().writeLong(StoreGeometry.of(v.bytes()).segmentHeader(0) + SegmentLayout.SEQ_OFFSET, -2);
            assertThatThrownBy(() -> s.get("k")).isInstanceOf(StoreCorruptedException.class).hasMessageContaining("-2");
            assertThat(s.verify()).anyMatch(p -> p.contains("segment 0") && p.contains("-2") && p.contains("negative"));
        }
    }

    @Test
    void verifyChecksTheChangeFeedHeaderAndRecords() {
        try (SharedStore<String, String> s = oneSegment("feed-header");
             SharedMemory mem = SharedMemory.open("feed-header");
             MemoryView v = mem.map()) {
            s.put("k", "v");
            assertThat(s.verify()).isEmpty();
            long tail = v.bytes().readLong(FeedLayout.FEED_OFFSET_FIELD) + FeedLayout.TAIL_OFFSET;
            v.bytes().writeLong(tail, -5);
            assertThat(s.verify()).anyMatch(p -> p.contains("change feed") && p.contains("-5"));
            v.bytes().writeLong(tail, 1L << 62);
            assertThat(s.verify()).anyMatch(p -> p.contains("change feed") && p.contains(String.valueOf(1L << 62)));
            v.bytes().writeLong(tail, 1);
            assertThat(s.verify()).isEmpty();
        }
    }

    @Test
    void aSlotPointingOutsideTheDataIsCorruptionNotAWildRead() {
        try (SharedStore<String, String> s = oneSegment("wild");
             SharedMemory mem = SharedMemory.open("wild");
             MemoryView v = mem.map()) {
            s.put("k", "v");
            BytesStore<?, ?> b = v.bytes();
            StoreGeometry g = StoreGeometry.of(b);
            long at = g.slotAt(0, g.firstLiveSlot(0));
            long slot = b.readLong(at);
            b.writeLong(at, SegmentLayout.slot(SegmentLayout.tagOf(slot), 0x7FFF_FFF0));
            assertThatThrownBy(() -> s.get("k")).isInstanceOf(StoreCorruptedException.class)
                    .hasMessageContaining("chunk");
            b.writeLong(at, slot);
            long entry = g.entry(0, SegmentLayout.chunkOf(slot));
            b.writeInt(entry + EntryLayout.VALUE_LENGTH_OFFSET, Integer.MAX_VALUE - 64);
            assertThatThrownBy(() -> s.get("k")).isInstanceOf(StoreCorruptedException.class);
        }
    }

    /**
     * Issue 13, bug 1, as reported: a file-backed store of one segment, 140 puts, one slot's chunk
     * number overwritten with 0x7FFFFEFF, reopened, and keys removed until a rehash runs. The rehash
     * used the chunk number without a bounds check and the JVM died (SIGSEGV in {@code Segment.rehash}).
     * Walked in a child JVM, which then goes on with gets, puts, iteration and {@code verify()}: every
     * step must end in a consistent answer or a {@code StoreException}, and the child must not crash.
     */
    @Test
    void aDamagedSlotChunkNumberIsCorruptionNotACrashWhenRemovesRehashTheSegment() throws Exception {
        Path dir = Path.of(System.getProperty("shmstore.dir"));
        Path file = dir.resolve("damaged-slot.store");
        int keys = 140;
        try (SharedStore<String, String> s = SharedStore.of(String.class, String.class).persistedTo(file)
                .entries(100).segments(1).create()) {
            for (int i = 0; i < keys; i++) {
                s.put("key-" + i, "value-" + i);
            }
        }
        String damaged = overwriteFirstLiveSlotChunk(file, 0x7FFF_FEFF);

        Path errors = Files.createDirectory(dir.resolve("hs_err"));
        List<String> command = CrashReports.sendTo(
                ChildJvm.command(DamagedSlotChild.class, file.toString(), Integer.toString(keys)), errors);
        List<String> problems = new ArrayList<>();
        List<String> transcript = new ArrayList<>();
        String step = "(before the first step)";
        int typedRemoves = 0;
        long rehashes = -1;
        try (ChildJvm child = ChildJvm.start(command, "DamagedSlotChild")) {
            String line = "";
            while (!line.equals("DONE")) {
                try {
                    line = child.nextLine(Duration.ofSeconds(30));
                } catch (AssertionError ended) {
                    child.close();
                    throw new AssertionError("the child walking the store with " + damaged + " died or hung in step \""
                            + step + "\"" + crash(errors, child.pid()) + "\n(" + ended.getMessage() + ")");
                }
                transcript.add(line);
                if (line.startsWith("STEP ")) {
                    step = line.substring(5);
                } else if (line.startsWith("BAD ") || line.startsWith("WRONG ")) {
                    problems.add(line);
                } else if (line.startsWith("TYPED remove ")) {
                    typedRemoves++;
                } else if (line.startsWith("PROBES rehash=")) {
                    rehashes = Long.parseLong(line.substring("PROBES rehash=".length()));
                }
            }
            assertThat(child.waitFor(Duration.ofSeconds(30))).as("exit code of the child" + crash(errors, child.pid())).isZero();
        }
        assertThat(CrashReports.all(errors)).as("crash reports of the child").isEmpty();
        assertThat(problems).as("steps that were neither a consistent answer nor a StoreException").isEmpty();
        assertThat(rehashes > 0 || typedRemoves == keys)
                .as("the removes reached a rehash (%d ran), or were all refused as corrupt (%d were); the child printed:%n%s",
                        rehashes, typedRemoves, String.join("\n", transcript))
                .isTrue();
    }

    /** Sets the chunk number of the first live slot of segment 0 of a closed store file; says which slot. */
    private static String overwriteFirstLiveSlotChunk(Path file, int chunk) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN);
        StoreGeometry g = StoreGeometry.ofFile(b);
        for (int i = 0; i < g.slots(0); i++) {
            int at = Math.toIntExact(g.slotAt(0, i));
            long slot = b.getLong(at);
            if (SegmentLayout.isLive(slot)) {
                b.putLong(at, SegmentLayout.slot(SegmentLayout.tagOf(slot), chunk));
                Files.write(file, b.array());
                return "slot " + i + "'s chunk number (" + SegmentLayout.chunkOf(slot) + ") overwritten with 0x"
                        + Integer.toHexString(chunk);
            }
        }
        throw new AssertionError("no live slot");
    }

    /** What the child's crash report says crashed, or nothing when there is none. */
    private static String crash(Path errors, long pid) throws IOException {
        return CrashReports.of(errors, pid).map(r -> {
            try {
                return "; the JVM crashed (" + r.getFileName() + "):\n" + CrashReports.summary(r, 8);
            } catch (IOException e) {
                return "; the JVM crashed (" + r + ", unreadable: " + e + ")";
            }
        }).orElse("");
    }

    @Test
    void aWriterThatDiedMidWriteIsRepairedOnlineByTheNextWriter() {
        try (SharedStore<String, String> s = oneSegment("repair");
             SharedMemory mem = SharedMemory.open("repair");
             MemoryView v = mem.map()) {
            for (int i = 0; i < 20; i++) {
                s.put("key-" + i, "value-" + i);
            }
            BytesStore<?, ?> b = v.bytes();
            StoreGeometry g = StoreGeometry.of(b);
            // what a writer killed inside publish() leaves: its lock held, the seqlock odd, a slot
            // pointing at garbage, and chunks it had allocated but not yet referenced
            long seg = g.segmentHeader(0);
            b.writeLong(seg + SegmentLayout.LOCK_OFFSET, ProcessProbe.ownerWord(Integer.MAX_VALUE - 1, 12345));
            b.writeLong(seg + SegmentLayout.SEQ_OFFSET, b.readLong(seg + SegmentLayout.SEQ_OFFSET) | 1);
            long badEntry = g.entryOfSlot(0, g.firstLiveSlot(0));
            // the key's bytes: a one-byte length, then the characters
            byte[] keyBytes = new byte[g.keyLength(badEntry) - 1];
            b.read(g.key(badEntry) + 1, keyBytes, 0, keyBytes.length);
            String lost = new String(keyBytes, java.nio.charset.StandardCharsets.UTF_8);
            b.writeInt(badEntry + EntryLayout.CHECKSUM_OFFSET, 0xBAD);
            b.writeLong(g.bitmap(0) + 8L * ((g.chunks(0) - 1) / 64), -1L);

            assertThat(s.get("key-19")).as("readers read through a dead writer's odd seqlock").isNotNull();
            s.put("after", "repair");
            assertThat(s.stats().recoveries()).isEqualTo(1);
            assertThat(s.verify()).isEmpty();
            assertThat(s).as("the entry that failed its checksum was dropped; the new one added").hasSize(20);
            assertThat(s.get(lost)).isNull();
            for (int i = 0; i < 20; i++) {
                if (!("key-" + i).equals(lost)) {
                    assertThat(s.get("key-" + i)).isEqualTo("value-" + i);
                }
            }
        }
    }

    @Test
    void getUsingWithAReusableCodecAllocatesNothing() {
        com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        try (SharedStore<String, byte[]> s = SharedStore.of(String.class, byte[].class).name("alloc").entries(100)
                .averageValueSize(100).create()) {
            s.put("k", new byte[100]);
            byte[] reuse = new byte[100];
            // compiled code allocates nothing (the dead allocation that raises memory faults is
            // removed); the interpreter and C1 do, and when C2 takes over depends on the compile queue
            // and on what ran before in this JVM: measure windows until compilation has settled
            long perCall = -1;
            for (int window = 0; window < 400 && perCall != 0; window++) {
                long before = mx.getCurrentThreadAllocatedBytes();
                for (int i = 0; i < 10_000; i++) {
                    s.getUsing("k", reuse);
                }
                perCall = (mx.getCurrentThreadAllocatedBytes() - before) / 10_000;
            }
            assertThat(perCall).as("bytes allocated per getUsing hit, once compiled").isZero();
        }
    }
}
