package io.shmstore.jmh;

import io.shmstore.ChangeCursor;
import io.shmstore.ChangeListener;
import io.shmstore.ChangeType;
import io.shmstore.SharedStore;
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
import org.openjdk.jmh.annotations.Warmup;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Cross-process round trip through the store and its change feed: this process puts {@code ping}, a
 * child JVM following the feed reads it and puts {@code pong}, and this process's cursor sees it. The
 * consumers either spin on {@code poll} or sleep in {@code await} (futex) between records.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(1)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 2)
public class RoundTripBenchmark {
    private static final String STORE = "roundtrip";

    @Param({"spin", "await"})
    public String consumer;

    private Path dir;
    private SharedStore<String, Long> store;
    private ChangeCursor<String> cursor;
    private Process echo;
    private long seq;
    private final Seen seen = new Seen();

    /** Remembers whether a batch held a PUT of the awaited key. */
    private static final class Seen implements ChangeListener<String> {
        String awaited;
        boolean found;

        @Override
        public void onChange(long sequence, ChangeType type, String key) {
            if (type == ChangeType.PUT && awaited.equals(key)) {
                found = true;
            }
        }
    }

    static SharedStore<String, Long> open() {
        return SharedStore.of(String.class, Long.class).name(STORE).entries(1024).createOrOpen();
    }

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        dir = Scratch.freshShmDir();
        store = open();
        cursor = store.changes().cursor();
        echo = Scratch.startChild(Echo.class, consumer);
        seq = 0;
        if (!roundTrip(Duration.ofSeconds(30))) {
            throw new IllegalStateException("the echo process did not answer");
        }
        // a second of round trips before JMH's warm-up: both JVMs compile the path, so the compiler
        // threads are done before the measurement (on two cores they would take a spinning consumer's)
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(1);
        while (System.nanoTime() < end) {
            if (!roundTrip(Duration.ofSeconds(5))) {
                throw new IllegalStateException("the echo process stopped answering");
            }
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() throws InterruptedException, IOException {
        echo.destroyForcibly().waitFor();
        cursor.close();
        store.close();
        Scratch.delete(dir);
    }

    @Benchmark
    public boolean roundTrip() {
        return roundTrip(Duration.ofSeconds(5));
    }

    private boolean roundTrip(Duration timeout) {
        long expected = ++seq;
        store.put("ping", expected);
        return follow(cursor, store, seen, "pong", expected, consumer.equals("spin"), timeout);
    }

    /** Waits until the cursor shows a PUT of {@code key} holding {@code value}. */
    static boolean follow(ChangeCursor<String> cursor, SharedStore<String, Long> store, Seen seen, String key,
                          long value, boolean spin, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        seen.awaited = key;
        while (System.nanoTime() < deadline) {
            if (!spin && !cursor.await(Duration.ofMillis(100))) {
                continue;
            }
            seen.found = false;
            cursor.poll(seen);
            if (seen.found) {
                Long v = store.get(key);
                if (v != null && v >= value) {
                    return true;
                }
            } else if (spin) {
                Thread.onSpinWait();
            }
        }
        return false;
    }

    /** The child process: answers each ping with a pong carrying the same number. */
    public static final class Echo {
        public static void main(String[] args) {
            boolean spin = args[0].equals("spin");
            // from the start: the first ping may be older than this process
            try (SharedStore<String, Long> store = open();
                 ChangeCursor<String> cursor = store.changes().cursorFrom(0)) {
                Seen seen = new Seen();
                long last = 0;
                while (true) {
                    if (follow(cursor, store, seen, "ping", last + 1, spin, Duration.ofSeconds(60))) {
                        last = store.get("ping");
                        store.put("pong", last);
                    } else {
                        return;
                    }
                }
            }
        }
    }
}
