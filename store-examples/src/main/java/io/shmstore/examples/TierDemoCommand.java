package io.shmstore.examples;

import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

/**
 * The Redis tier across two "hosts" on this machine (two shm directories), P JVMs each, all against
 * one Redis: every process reads random keys through its host's tier; one process of host A writes a
 * probe key every 50 ms and one of host B measures when it first reads each new value. Prints the hit
 * ratio, Redis's own count of GETs, the Redis requests the tier saved, and the invalidation delay.
 */
@Command(name = "tier-demo", description = "Two hosts' worth of JVMs share a Redis tier per host: hit ratio,"
        + " Redis round trips, invalidation delay. Starts redis-server from the PATH unless --redis is given.")
final class TierDemoCommand implements Callable<Integer> {
    private static final Duration TIMEOUT = Duration.ofSeconds(120);

    @Spec
    private CommandSpec spec;

    @Option(names = "--processes", defaultValue = "2", split = ",", paramLabel = "P",
            description = "JVMs per host; a list runs each in turn, e.g. 1,2,4 (default: ${DEFAULT-VALUE}).")
    private int[] processes;

    @Option(names = "--keys", defaultValue = "1000", paramLabel = "K", description = "Distinct keys (default: ${DEFAULT-VALUE}).")
    private int keys;

    @Option(names = "--seconds", defaultValue = "5", paramLabel = "S", description = "Reading time (default: ${DEFAULT-VALUE}).")
    private int seconds;

    @Option(names = "--redis", paramLabel = "URI", description = "An existing Redis (only on a machine you may load).")
    private String redisUri;

    @Override
    public Integer call() throws IOException {
        if (Arrays.stream(processes).anyMatch(p -> p < 1 || p > 16) || keys < 1 || keys > 1_000_000 || seconds < 1
                || seconds > 600) {
            throw new ParameterException(spec.commandLine(), "--processes must be 1 to 16, --keys 1 to 1000000,"
                    + " --seconds 1 to 600");
        }
        PrintWriter out = spec.commandLine().getOut();
        RedisProcess started = null;
        String uri = redisUri;
        if (uri == null) {
            Path exe = RedisProcess.find();
            if (exe == null) {
                throw new ToolException("redis-server is not on the PATH: install it (Debian: apt-get install"
                        + " redis-server) or give --redis URI");
            }
            started = RedisProcess.start(exe);
            uri = started.uri();
            out.printf("started %s at %s%n", exe, uri);
        }
        RedisClient client = RedisClient.create(uri);
        try (StatefulRedisConnection<String, String> conn = client.connect()) {
            RedisCommands<String, String> redis = conn.sync();
            Map<String, String> data = new HashMap<>();
            for (int i = 0; i < keys; i++) {
                data.put("demo:" + TierWorkerCommand.key(i), "value-" + i);
            }
            redis.mset(data);
            for (int p : processes) {
                run(out, redis, uri, p);
            }
            return 0;
        } finally {
            client.shutdown();
            if (started != null) {
                started.close();
            }
        }
    }

    private void run(PrintWriter out, RedisCommands<String, String> redis, String uri, int perHost) throws IOException {
        out.printf("%n2 hosts x %d JVMs, %d keys, %d s of random reads; host A writes a probe key every 50 ms%n",
                perHost, keys, seconds);
        out.flush();
        List<ChildJvm> workers = new ArrayList<>();
        Path startFile = Files.createTempFile("shmstore-tier-demo-", ".start");
        Files.delete(startFile);
        try (ChildJvm.Logs logs = new ChildJvm.Logs("shmstore-tier-demo-")) {
            List<Path> hosts = List.of(Files.createTempDirectory(shmBase(), "shmstore-hostA-"),
                    Files.createTempDirectory(shmBase(), "shmstore-hostB-"));
            try {
                for (int h = 0; h < 2; h++) {
                    for (int i = 0; i < perHost; i++) {
                        String role = i > 0 ? "reader" : h == 0 ? "writer" : "prober";
                        workers.add(ChildJvm.start(logs.file("host" + h + "-" + i + ".out"),
                                List.of("-Dshmstore.dir=" + hosts.get(h)), "tier-worker", "--redis", uri,
                                "--keys", Integer.toString(keys), "--seconds", Integer.toString(seconds),
                                "--start-file", startFile.toString(), "--role", role));
                    }
                }
                for (ChildJvm w : workers) {
                    w.awaitLine(l -> l.startsWith("ready"), TIMEOUT);
                }
                redis.configResetstat();
                // written aside and moved into place, so that a worker never reads it half written
                Path written = Files.writeString(Files.createTempFile(startFile.getParent(), "start-", ".tmp"),
                        Long.toString(System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(500)));
                Files.move(written, startFile, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
                long reads = 0;
                long hits = 0;
                long misses = 0;
                List<Long> delays = new ArrayList<>();
                for (ChildJvm w : workers) {
                    w.awaitSuccess(TIMEOUT);
                    Map<String, String> s = w.summary();
                    reads += Long.parseLong(s.get("reads"));
                    hits += Long.parseLong(s.get("hits"));
                    misses += Long.parseLong(s.get("misses"));
                    if (!"-".equals(s.get("delays"))) {
                        Arrays.stream(s.get("delays").split(",")).map(Long::parseLong).forEach(delays::add);
                    }
                }
                long gets = calls(redis.info("commandstats"), "get");
                out.printf("  reads %,d (%,.0f/s), hit ratio %.4f%n", reads, (double) reads / seconds,
                        (double) hits / Math.max(1, hits + misses));
                out.printf("  Redis GETs %,d (Redis's own count): %,.0f requests/s saved against a GET per read;"
                        + " a per-process near cache would need at least %,d GETs just to load each key in each JVM%n",
                        gets, (double) (reads - gets) / seconds, 2L * perHost * keys);
                delays.sort(Long::compare);
                if (!delays.isEmpty()) {
                    out.printf("  invalidation delay, write on host A to its first read on host B (%d writes):"
                            + " p50 %.3f ms, p99 %.3f ms, max %.3f ms%n", delays.size(), pct(delays, 0.5),
                            pct(delays, 0.99), delays.get(delays.size() - 1) / 1e6);
                }
                out.flush();
            } finally {
                workers.forEach(ChildJvm::close);
                Files.deleteIfExists(startFile);
                for (Path h : hosts) {
                    try (var walk = Files.walk(h)) {
                        walk.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
                    }
                }
            }
        }
    }

    private static Path shmBase() {
        Path shm = Path.of("/dev/shm");
        return Files.isDirectory(shm) && Files.isWritable(shm) ? shm : Path.of(System.getProperty("java.io.tmpdir"));
    }

    private static double pct(List<Long> sorted, double q) {
        return sorted.get(Math.min(sorted.size() - 1, (int) (q * sorted.size()))) / 1e6;
    }

    private static long calls(String info, String command) {
        String tag = "cmdstat_" + command + ":calls=";
        int at = info.indexOf(tag);
        return at < 0 ? 0 : Long.parseLong(info.substring(at + tag.length(), info.indexOf(',', at)));
    }
}
