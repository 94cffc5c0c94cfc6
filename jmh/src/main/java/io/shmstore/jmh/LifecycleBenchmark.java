package io.shmstore.jmh;

import io.shmstore.internal.sync.Lifecycle;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

import java.util.concurrent.TimeUnit;

/**
 * What closing safely costs every operation: one use of a store's {@link Lifecycle} (an atomic add to
 * enter, one to exit, on the calling thread's counter), by one thread and by two threads on one store,
 * against the volatile read of a closed flag that was all a call did before.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class LifecycleBenchmark {
    private final Lifecycle life = Lifecycle.striped("benchmark");
    private volatile boolean closed;

    @Benchmark
    @Threads(1)
    public boolean closedFlagOnly() {
        return closed;
    }

    @Benchmark
    @Threads(1)
    public int enterExit() {
        int use = life.enter();
        life.exit(use);
        return use;
    }

    @Benchmark
    @Threads(2)
    public int enterExitTwoThreads() {
        int use = life.enter();
        life.exit(use);
        return use;
    }
}
