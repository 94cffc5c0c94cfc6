package io.shmstore.jmh;

import io.shmstore.memory.NamedMutex;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Uncontended lock round trip (acquire then release): the named mutex against the in-process floor
 * ({@link ReentrantLock}) and the usual cross-process alternative, an OS file lock ({@code fcntl}
 * through {@link FileChannel#lock()}, which is what LMDB-style designs pay per write).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class MutexBenchmark {
    private Path dir;
    private NamedMutex mutex;
    private final ReentrantLock reentrant = new ReentrantLock();
    private FileChannel channel;

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        dir = Scratch.freshShmDir();
        mutex = NamedMutex.createOrOpen("bench.mutex");
        channel = FileChannel.open(dir.resolve("bench.flock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
        mutex.close();
        channel.close();
        Scratch.delete(dir);
    }

    @Benchmark
    public Object namedMutex() {
        Object o = mutex.acquire(Duration.ofSeconds(1));
        mutex.release();
        return o;
    }

    @Benchmark
    public boolean reentrantLock() {
        reentrant.lock();
        reentrant.unlock();
        return true;
    }

    @Benchmark
    public boolean fileLock() throws IOException {
        FileLock l = channel.lock();
        l.release();
        return true;
    }
}
