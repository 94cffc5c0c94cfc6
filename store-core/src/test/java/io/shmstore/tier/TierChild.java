package io.shmstore.tier;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;

/**
 * A process of one "host" (its shm directory) using a tier, driven line by line from the test.
 * Arguments: Redis URI, tier name, key prefix. Commands and answers:
 * <pre>
 *   get K                 VALUE K v|null, or UNAVAILABLE K
 *   put K V               PUT K nanoTime-after-the-write
 *   await K V ms          SAW K nanoTime-when-first-read, or NOT-SEEN K last
 *   storm K atNanos       (spins until System.nanoTime() reaches atNanos, then reads) VALUE K v
 *   stats                 STATS listening trusted abandonedTakeovers takeovers hostRedisReads epoch
 *   watch K BAD           reads K in a loop until stop; a read of BAD after this process saw the
 *   stop                  host untrusted counts as stale: WATCHED reads staleAfterBreak unavailable breakSeen last
 *   quit                  closes the tier and exits 0
 * </pre>
 */
public final class TierChild {
    private TierChild() {
    }

    public static void main(String[] args) throws Exception {
        try (RedisTier<String, String> tier = RedisTier.of(String.class, String.class).name(args[1]).redis(args[0])
                .keyPrefix(args[2]).commandTimeout(Duration.ofMillis(500)).open()) {
            System.out.println("READY " + ProcessHandle.current().pid());
            BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
            Watch watch = null;
            for (String line; (line = in.readLine()) != null; ) {
                String[] w = line.split(" ");
                switch (w[0]) {
                    case "get" -> System.out.println(read(tier, w[1]));
                    case "put" -> {
                        tier.put(w[1], w[2]);
                        System.out.println("PUT " + w[1] + " " + System.nanoTime());
                    }
                    case "await" -> System.out.println(await(tier, w[1], w[2], Long.parseLong(w[3])));
                    case "storm" -> {
                        long at = Long.parseLong(w[2]);
                        while (System.nanoTime() - at < 0) {
                            Thread.onSpinWait();
                        }
                        System.out.println(read(tier, w[1]));
                    }
                    case "stats" -> {
                        TierStats s = tier.stats();
                        System.out.println("STATS " + s.listening() + " " + s.trusted() + " " + s.abandonedTakeovers() + " "
                                + s.takeovers() + " " + s.hostRedisReads() + " " + s.epoch());
                    }
                    case "watch" -> watch = new Watch(tier, w[1], w[2]);
                    case "stop" -> System.out.println(watch.stop());
                    case "quit" -> {
                        return;
                    }
                    default -> throw new IllegalArgumentException("unknown command: " + line);
                }
                System.out.flush();
            }
        }
    }

    private static String read(RedisTier<String, String> tier, String key) {
        try {
            return "VALUE " + key + " " + tier.get(key);
        } catch (RedisUnavailableException e) {
            return "UNAVAILABLE " + key;
        }
    }

    private static String await(RedisTier<String, String> tier, String key, String value, long millis) {
        long deadline = System.nanoTime() + millis * 1_000_000;
        String last = null;
        while (System.nanoTime() - deadline < 0) {
            try {
                last = tier.get(key);
            } catch (RedisUnavailableException e) {
                last = "(unavailable)";
            }
            if (value.equals(last)) {
                return "SAW " + key + " " + System.nanoTime();
            }
            // a short pause, not a spin: the host's listener needs this machine's cores to deliver the news
            LockSupport.parkNanos(50_000);
        }
        return "NOT-SEEN " + key + " " + last;
    }

    /** Reads a key in a loop, counting stale reads after this process saw the host's copies distrusted. */
    private static final class Watch {
        private final AtomicBoolean running = new AtomicBoolean(true);
        private final AtomicLong reads = new AtomicLong();
        private final AtomicLong stale = new AtomicLong();
        private final AtomicLong unavailable = new AtomicLong();
        private final AtomicBoolean breakSeen = new AtomicBoolean();
        private final AtomicReference<String> last = new AtomicReference<>();
        private final AtomicReference<Throwable> failure = new AtomicReference<>();
        private final Thread thread;

        Watch(RedisTier<String, String> tier, String key, String bad) {
            thread = new Thread(() -> {
                try {
                    while (running.get()) {
                        boolean broken = breakSeen.get() || !tier.isTrusted();
                        breakSeen.set(broken);
                        String v;
                        try {
                            v = tier.get(key);
                        } catch (RedisUnavailableException e) {
                            unavailable.incrementAndGet();
                            v = "(unavailable)";
                        }
                        reads.incrementAndGet();
                        if (broken && bad.equals(v)) {
                            stale.incrementAndGet();
                        }
                        last.set(v);
                        Thread.sleep(1);
                    }
                } catch (Throwable t) {
                    failure.set(t);
                }
            }, "watch");
            thread.start();
        }

        String stop() throws InterruptedException {
            running.set(false);
            thread.join();
            if (failure.get() != null) {
                failure.get().printStackTrace();
                return "FAILED " + failure.get();
            }
            return "WATCHED " + reads.get() + " " + stale.get() + " " + unavailable.get() + " " + breakSeen.get() + " " + last.get();
        }
    }
}
