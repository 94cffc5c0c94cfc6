package io.shmstore.jmh;

import io.shmstore.memory.NamedSemaphore;
import io.shmstore.memory.Permits;
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
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * A permit taken and given back, with permits to spare (uncontended with one thread; with {@code -t 2}
 * the threads share the semaphore, and its cache lines): the named semaphore against the in-process
 * floor ({@link Semaphore}) and a cross-process semaphore built from OS file locks (one byte of a file
 * per permit, {@code fcntl} through {@link FileChannel#tryLock}: the kernel lets a dead holder's locks
 * go, so it also survives its holders, at a system call per operation).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class SemaphoreBenchmark {
    private static final Duration WAIT = Duration.ofSeconds(1);

    @Param({"4"})
    public int permits;

    private Path dir;
    private NamedSemaphore named;
    private Semaphore juc;
    private FileLockSemaphore fileLocks;

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        dir = Scratch.freshShmDir();
        named = NamedSemaphore.createOrOpen("bench.semaphore", permits, permits);
        juc = new Semaphore(permits);
        fileLocks = new FileLockSemaphore(dir.resolve("bench.permits"), permits);
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
        named.close();
        fileLocks.close();
        Scratch.delete(dir);
    }

    /** {@code tryAcquire(Duration)} then {@code release()}: no report, no allocation. */
    @Benchmark
    public boolean namedSemaphore() {
        boolean got = named.tryAcquire(WAIT);
        named.release();
        return got;
    }

    /** {@code acquire(1, Duration)}, whose answer reports recovered permits, then {@code release()}. */
    @Benchmark
    public Permits namedSemaphoreWithReport() {
        Permits p = named.acquire(1, WAIT);
        named.release();
        return p;
    }

    @Benchmark
    public boolean jucSemaphore() throws InterruptedException {
        boolean got = juc.tryAcquire(1, TimeUnit.SECONDS);
        juc.release();
        return got;
    }

    @Benchmark
    public boolean fileLockSemaphore() throws IOException {
        FileLock lock = fileLocks.acquire();
        lock.release();
        return true;
    }

    /**
     * A permit is a lock on one byte of a shared file: acquiring tries each byte in turn, and waits a
     * little before trying all again when every one is taken. Threads of one JVM share the JVM's locks,
     * so a byte another thread here holds throws {@link OverlappingFileLockException}: taken, too.
     */
    static final class FileLockSemaphore implements AutoCloseable {
        private final FileChannel channel;
        private final int permits;

        FileLockSemaphore(Path file, int permits) throws IOException {
            this.channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ,
                    StandardOpenOption.WRITE);
            this.permits = permits;
        }

        FileLock acquire() throws IOException {
            while (true) {
                for (int i = 0; i < permits; i++) {
                    try {
                        FileLock lock = channel.tryLock(i, 1, false);
                        if (lock != null) {
                            return lock;
                        }
                    } catch (OverlappingFileLockException heldHere) {
                        // another thread of this JVM holds that byte
                    }
                }
                LockSupport.parkNanos(20_000);
            }
        }

        @Override
        public void close() throws IOException {
            channel.close();
        }
    }
}
