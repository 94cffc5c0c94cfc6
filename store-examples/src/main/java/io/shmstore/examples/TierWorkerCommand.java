package io.shmstore.examples;

import io.shmstore.tier.RedisTier;
import io.shmstore.tier.TierStats;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * One process of {@link TierDemoCommand}: reads random keys through its host's tier from a start time
 * for a number of seconds. The writer (one process of host A) also writes the probe key every 50 ms
 * with the time of the write; the prober (one process of host B) reads the probe key every 50 µs and
 * records how long after each write it first read the new value: the invalidation delay across hosts.
 */
@Command(name = "tier-worker", hidden = true, description = "One process of tier-demo.")
final class TierWorkerCommand implements Callable<Integer> {
    static final String PROBE = "probe";

    @Spec
    private CommandSpec spec;

    @Option(names = "--redis", required = true)
    private String redis;

    @Option(names = "--keys", required = true)
    private int keys;

    /** A file the demo writes once every worker is ready: the start time, in this host's System.nanoTime. */
    @Option(names = "--start-file", required = true)
    private java.nio.file.Path startFile;

    @Option(names = "--seconds", required = true)
    private int seconds;

    @Option(names = "--role", defaultValue = "reader")
    private String role;

    static String key(int i) {
        return "key-" + i;
    }

    static RedisTier<String, String> tier(String redis) {
        return RedisTier.of(String.class, String.class).name("tier-demo").redis(redis).keyPrefix("demo:").open();
    }

    @Override
    public Integer call() throws InterruptedException, java.io.IOException {
        PrintWriter out = spec.commandLine().getOut();
        try (RedisTier<String, String> tier = tier(redis)) {
            // connected, and the host's stream live, before the clock starts: the run measures the steady state
            tier.get(PROBE);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (!tier.isTrusted() && System.nanoTime() - deadline < 0) {
                ChildJvm.sleepMillis(5);
            }
            out.println("ready");
            out.flush();
            while (!java.nio.file.Files.exists(startFile)) {
                ChildJvm.sleepMillis(5);
            }
            long startNanos = Long.parseLong(java.nio.file.Files.readString(startFile).trim());
            long end = startNanos + TimeUnit.SECONDS.toNanos(seconds);
            List<Long> delays = new ArrayList<>();
            Thread side = switch (role) {
                case "writer" -> started(() -> write(tier, end));
                case "prober" -> started(() -> probe(tier, end, delays));
                default -> null;
            };
            while (System.nanoTime() - startNanos < 0) {
                Thread.onSpinWait();
            }
            SplittableRandom random = new SplittableRandom(ProcessHandle.current().pid());
            long reads = 0;
            while (System.nanoTime() - end < 0) {
                tier.get(key(random.nextInt(keys)));
                reads++;
            }
            if (side != null) {
                side.join();
            }
            TierStats s = tier.stats();
            StringBuilder d = new StringBuilder();
            delays.forEach(x -> d.append(d.length() == 0 ? "" : ",").append(x));
            out.printf("summary reads=%d hits=%d misses=%d hostRedisReads=%d listening=%s delays=%s%n", reads, s.hits(),
                    s.misses(), s.hostRedisReads(), s.listening(), d.length() == 0 ? "-" : d);
            return 0;
        }
    }

    private static Thread started(Runnable r) {
        Thread t = new Thread(r, "tier-demo-side");
        t.start();
        return t;
    }

    private void write(RedisTier<String, String> tier, long end) {
        while (System.nanoTime() - end < 0) {
            tier.put(PROBE, Long.toString(System.nanoTime()));
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(50));
        }
    }

    private void probe(RedisTier<String, String> tier, long end, List<Long> delays) {
        String last = null;
        while (System.nanoTime() - end < 0) {
            String v = tier.get(PROBE);
            long now = System.nanoTime();
            if (v != null && !v.equals(last)) {
                if (last != null) {
                    delays.add(now - Long.parseLong(v));
                }
                last = v;
            }
            LockSupport.parkNanos(50_000);
        }
    }
}
