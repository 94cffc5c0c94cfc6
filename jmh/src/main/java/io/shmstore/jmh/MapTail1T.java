package io.shmstore.jmh;

import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The map comparison's latency percentiles, one thread, measured only after ten seconds of warm-up.
 * The first seconds of a fork have a p99 several times the later one, for every peer: the compiler
 * threads hold the second of the two cores for a second or two, and until about the fifth second the
 * operations that allocate fault on heap pages G1 touches for the first time (BENCHMARKS.md, "Tail
 * latency"). {@link MapBenchmark1T}'s three seconds are enough for its means, not for the tails.
 */
@Threads(1)
@Fork(1)
@BenchmarkMode(Mode.SampleTime)
@Warmup(iterations = 10, time = 1)
@Measurement(iterations = 5, time = 1)
public class MapTail1T extends MapOps {
}
