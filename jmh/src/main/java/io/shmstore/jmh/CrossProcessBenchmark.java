package io.shmstore.jmh;

import io.shmstore.jmh.peers.KeyValue;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

import java.io.IOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * Throughput of each role when several JVMs share one store of {@code entries} keys like
 * {@code key-0001234} with {@code valueSize}-byte values, keys chosen at random: a reader
 * ({@code get}) or a writer ({@code put} over an existing key).
 *
 * <p>This JVM (the JMH fork) makes and fills the store, then starts the {@code others} as child JVMs
 * with the project's flags; each opens the store ({@link KeyValue#attach}) and runs its role in a loop
 * until it is stopped. When all of them run, they get {@value #OTHERS_WARMUP_MS} ms of warm-up of
 * their own before this JVM's warm-up iterations start. Then JMH measures this JVM's role:
 * {@link #read} or {@link #write}. The {@code others} parameter names the other JVMs' roles, joined by
 * {@code +}, so the scenarios are the products of the two:
 *
 * <pre>
 *   read  x none    one reader JVM          write x none    one writer JVM
 *   read  x reader  two reader JVMs         write x writer  two writer JVMs
 *   read  x writer  a reader and a writer   write x reader  a reader and a writer
 * </pre>
 *
 * and {@code -p others=reader+reader} gives three readers. Each child publishes its count of operations
 * every {@value #BATCH} operations in a small mapped file; {@link OtherJvms} turns the counts into the
 * other JVMs' throughput in the same iterations ({@code otherReads}, {@code otherWrites}: all the other
 * readers, all the other writers), which JMH reports beside this JVM's. At the end the fork raises a
 * stop word in the same file and each child closes its store and exits. A child that dies fails the
 * iteration; a child whose fork dies stops itself.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Threads(1)
@Fork(1)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class CrossProcessBenchmark {
    static final String READER = "reader";
    static final String WRITER = "writer";
    /** The other JVMs' own warm-up, before this JVM's warm-up iterations. */
    static final long OTHERS_WARMUP_MS = 3_000;
    /** A child publishes its count after this many operations. */
    static final int BATCH = 256;
    private static final long START_TIMEOUT_MS = 120_000;

    @Param({"shmstore", "chronicle-map"})
    public String impl;

    @Param({"none", READER, WRITER})
    public String others;

    @Param({"100000"})
    public int entries;

    @Param({"100"})
    public int valueSize;

    private Path dir;
    private KeyValue map;
    private String[] keys;
    private byte[] value;
    private String[] roles;
    private Counts counts;
    private final List<Process> children = new ArrayList<>();

    /** The other JVMs' operations in each iteration, by role, as JMH secondary results (ops/s). */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.OPERATIONS)
    public static class OtherJvms {
        /** Operations of all the other JVMs that read, in this iteration. */
        public long otherReads;
        /** Operations of all the other JVMs that write, in this iteration. */
        public long otherWrites;
        private long[] start;

        @Setup(Level.Iteration)
        public void begin(CrossProcessBenchmark b) {
            b.checkOthersRun();
            start = b.counts.all();
            otherReads = 0;
            otherWrites = 0;
        }

        @TearDown(Level.Iteration)
        public void end(CrossProcessBenchmark b) {
            b.checkOthersRun();
            long[] now = b.counts.all();
            for (int i = 0; i < now.length; i++) {
                if (b.roles[i].equals(READER)) {
                    otherReads += now[i] - start[i];
                } else {
                    otherWrites += now[i] - start[i];
                }
            }
        }
    }

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        try {
            start();
        } catch (Exception | Error e) {
            // JMH tears down only what set up whole: stop the children and remove the store here
            try {
                tearDown();
            } catch (Exception | Error suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
    }

    private void start() throws Exception {
        roles = others.equals("none") ? new String[0] : others.split("\\+");
        for (String r : roles) {
            if (!r.equals(READER) && !r.equals(WRITER)) {
                throw new IllegalArgumentException("others=" + others + ": each role is " + READER + " or " + WRITER
                        + ", joined by +, or none");
            }
        }
        dir = Scratch.freshShmDir();
        map = KeyValue.open(impl, dir, entries, valueSize);
        keys = MapOps.keys(entries);
        value = new byte[valueSize];
        map.fill(keys, i -> value);
        for (String k : keys) {
            if (map.get(k) == null) {
                throw new IllegalStateException(impl + " lost key " + k + " after the fill");
            }
        }
        counts = Counts.create(dir, roles.length);
        for (int i = 0; i < roles.length; i++) {
            children.add(Scratch.startChild(Other.class, impl, roles[i], dir.toString(), Integer.toString(entries),
                    Integer.toString(valueSize), Integer.toString(i)));
        }
        long deadline = System.currentTimeMillis() + START_TIMEOUT_MS;
        for (int i = 0; i < roles.length; i++) {
            while (counts.get(i) == 0) {
                checkOthersRun();
                if (System.currentTimeMillis() > deadline) {
                    throw new IllegalStateException("the " + roles[i] + " JVM did not start within " + START_TIMEOUT_MS + " ms");
                }
                Thread.sleep(10);
            }
        }
        Thread.sleep(OTHERS_WARMUP_MS);
        checkOthersRun();
    }

    @TearDown(Level.Trial)
    public void tearDown() throws Exception {
        if (counts != null) {
            counts.stop();
        }
        for (Process p : children) {
            if (!p.waitFor(10, TimeUnit.SECONDS)) {
                p.destroyForcibly().waitFor();
            }
        }
        children.clear();
        if (counts != null) {
            counts.close();
            counts = null;
        }
        if (map != null) {
            map.close();
            map = null;
        }
        if (dir != null) {
            Scratch.delete(dir);
            dir = null;
        }
    }

    private void checkOthersRun() {
        for (int i = 0; i < children.size(); i++) {
            if (!children.get(i).isAlive()) {
                throw new IllegalStateException("the " + roles[i] + " JVM exited with " + children.get(i).exitValue());
            }
        }
    }

    @Benchmark
    public byte[] read(OtherJvms otherJvms) {
        return map.get(keys[ThreadLocalRandom.current().nextInt(keys.length)]);
    }

    @Benchmark
    public void write(OtherJvms otherJvms) {
        map.put(keys[ThreadLocalRandom.current().nextInt(keys.length)], value);
    }

    /**
     * A child JVM: {@code impl role dir entries valueSize slot}. Opens the store and runs its role until
     * the stop word is raised (then closes the store) or its parent exits, publishing its count in slot
     * {@code slot} of the counts file.
     */
    public static final class Other {
        /** Where the loop's results go, so that no read can be dropped as unused. */
        static volatile long sink;

        private Other() {
        }

        public static void main(String[] args) throws Exception {
            String impl = args[0];
            boolean write = args[1].equals(WRITER);
            Path dir = Path.of(args[2]);
            int entries = Integer.parseInt(args[3]);
            int valueSize = Integer.parseInt(args[4]);
            int slot = Integer.parseInt(args[5]);
            ProcessHandle.current().parent().ifPresent(p -> p.onExit().thenRun(() -> Runtime.getRuntime().halt(3)));
            String[] keys = MapOps.keys(entries);
            byte[] value = new byte[valueSize];
            try (KeyValue map = KeyValue.attach(impl, dir, entries, valueSize); Counts counts = Counts.open(dir)) {
                ThreadLocalRandom random = ThreadLocalRandom.current();
                long n = 0;
                long read = 0;
                while (!counts.stopped()) {
                    if (write) {
                        for (int i = 0; i < BATCH; i++) {
                            map.put(keys[random.nextInt(entries)], value);
                        }
                    } else {
                        for (int i = 0; i < BATCH; i++) {
                            read += map.get(keys[random.nextInt(entries)]).length;
                        }
                        sink = read;
                    }
                    n += BATCH;
                    counts.set(slot, n);
                }
            }
        }
    }

    /**
     * The file {@code counts} of the trial's directory: a stop word (0, then 1 when the children are to
     * stop), then one long per child JVM, the child's operations so far (0 until it has opened the store
     * and run its first batch). The writer of each stores with release, the reader loads with acquire.
     */
    static final class Counts implements AutoCloseable {
        private static final VarHandle LONGS = MethodHandles.byteBufferViewVarHandle(long[].class, ByteOrder.nativeOrder());

        private final FileChannel channel;
        private final MappedByteBuffer longs;
        private final int slots;

        private Counts(Path file, int slots, StandardOpenOption... options) throws IOException {
            channel = FileChannel.open(file, options);
            this.slots = slots >= 0 ? slots : (int) (channel.size() / Long.BYTES) - 1;
            longs = channel.map(FileChannel.MapMode.READ_WRITE, 0, (this.slots + 1L) * Long.BYTES);
        }

        static Counts create(Path dir, int slots) throws IOException {
            return new Counts(dir.resolve("counts"), slots, StandardOpenOption.CREATE_NEW, StandardOpenOption.READ,
                    StandardOpenOption.WRITE);
        }

        static Counts open(Path dir) throws IOException {
            return new Counts(dir.resolve("counts"), -1, StandardOpenOption.READ, StandardOpenOption.WRITE);
        }

        long get(int slot) {
            return (long) LONGS.getAcquire(longs, (slot + 1) * Long.BYTES);
        }

        void set(int slot, long count) {
            LONGS.setRelease(longs, (slot + 1) * Long.BYTES, count);
        }

        void stop() {
            LONGS.setRelease(longs, 0, 1L);
        }

        boolean stopped() {
            return (long) LONGS.getAcquire(longs, 0) != 0;
        }

        long[] all() {
            long[] out = new long[slots];
            for (int i = 0; i < slots; i++) {
                out[i] = get(i);
            }
            return out;
        }

        @Override
        public void close() throws IOException {
            channel.close();
        }
    }
}
