package io.shmstore.jmh;

import io.shmstore.memory.EventMode;
import io.shmstore.memory.NamedEvent;
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
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Cross-process ping-pong through two auto-reset named events: this process signals "ping", a child
 * JVM sleeping in {@code await} wakes and signals "pong". One operation is a full round trip, two
 * wake-ups of a sleeping process.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(1)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 2)
public class EventRoundTripBenchmark {
    private Path dir;
    private NamedEvent ping;
    private NamedEvent pong;
    private Process echo;

    @Setup(Level.Trial)
    public void setUp() throws IOException, InterruptedException {
        dir = Scratch.freshShmDir();
        ping = NamedEvent.createOrOpen("bench.ping", EventMode.AUTO_RESET);
        pong = NamedEvent.createOrOpen("bench.pong", EventMode.AUTO_RESET);
        echo = Scratch.startChild(EventEcho.class);
        ping.signal();
        if (!pong.await(Duration.ofSeconds(30))) {
            throw new IllegalStateException("the echo process did not answer");
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() throws InterruptedException, IOException {
        echo.destroyForcibly().waitFor();
        ping.close();
        pong.close();
        Scratch.delete(dir);
    }

    @Benchmark
    public boolean roundTrip() {
        ping.signal();
        return pong.await(Duration.ofSeconds(5));
    }

    /** The child process: answers every ping with a pong, sleeping in between. */
    public static final class EventEcho {
        public static void main(String[] args) {
            try (NamedEvent ping = NamedEvent.createOrOpen("bench.ping", EventMode.AUTO_RESET);
                 NamedEvent pong = NamedEvent.createOrOpen("bench.pong", EventMode.AUTO_RESET)) {
                while (true) {
                    if (ping.await(Duration.ofSeconds(60))) {
                        pong.signal();
                    } else {
                        return;
                    }
                }
            }
        }
    }
}
