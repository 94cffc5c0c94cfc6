package io.shmstore.jmh;

import io.shmstore.JvmFlags;
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
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
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
        dir = Files.createTempDirectory(Files.isDirectory(Path.of("/dev/shm")) ? Path.of("/dev/shm") : Path.of(System.getProperty("java.io.tmpdir")), "shmstore-jmh-");
        System.setProperty("shmstore.dir", dir.toString());
        ping = NamedEvent.createOrOpen("bench.ping", EventMode.AUTO_RESET);
        pong = NamedEvent.createOrOpen("bench.pong", EventMode.AUTO_RESET);
        List<String> cmd = new ArrayList<>();
        cmd.add(Paths.get(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(JvmFlags.all());
        cmd.add("-Dshmstore.dir=" + dir);
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(EventEcho.class.getName());
        echo = new ProcessBuilder(cmd).inheritIO().start();
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
        try (var files = Files.list(dir)) {
            files.forEach(p -> p.toFile().delete());
        }
        Files.deleteIfExists(dir);
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
