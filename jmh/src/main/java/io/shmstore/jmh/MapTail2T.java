package io.shmstore.jmh;

import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/** {@link MapTail1T} with two threads (the machine's two cores). */
@Threads(2)
@Fork(1)
@BenchmarkMode(Mode.SampleTime)
@Warmup(iterations = 10, time = 1)
@Measurement(iterations = 5, time = 1)
public class MapTail2T extends MapOps {
}
