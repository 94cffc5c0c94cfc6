package io.shmstore.examples;

import io.shmstore.SharedStore;
import io.shmstore.SharedStoreBuilder;
import io.shmstore.memory.EventMode;
import io.shmstore.memory.NamedEvent;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * A cache shared by several JVMs: each worker ({@link CacheWorkerCommand}) asks for the same keys in
 * its own order through {@code computeIfAbsent}, whose values are slow to compute. The store runs the
 * function under the key's segment lock across processes, so each key is computed once, by whichever
 * process asks first; the others find it. This process checks that from three sides: the number of
 * entries, a counter per key that workers merge after each computation, and the pid each value names.
 *
 * <p>Workers wait on a named manual-reset event, set once all of them are ready, so that their
 * requests really overlap instead of the first JVM to start computing everything.
 */
@Command(name = "cache-demo", description = "Several JVMs share a cache through computeIfAbsent; each key is computed once.")
final class CacheDemoCommand implements Callable<Integer> {
    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    @Spec
    private CommandSpec spec;

    @Option(names = "--processes", defaultValue = "3", paramLabel = "P", description = "Worker JVMs (default: ${DEFAULT-VALUE}).")
    private int processes;

    @Option(names = "--keys", defaultValue = "30", paramLabel = "K", description = "Distinct keys (default: ${DEFAULT-VALUE}).")
    private int keys;

    @Option(names = "--compute-ms", defaultValue = "20", paramLabel = "MS",
            description = "Time to compute one value (default: ${DEFAULT-VALUE}).")
    private int computeMillis;

    static SharedStoreBuilder<String, String> cache(String name) {
        return SharedStore.of(String.class, String.class).name(name);
    }

    static SharedStoreBuilder<String, Long> computations(String cache) {
        return SharedStore.of(String.class, Long.class).name(cache + ".computations");
    }

    static String startEvent(String cache) {
        return cache + ".start";
    }

    static String key(int i) {
        return "key-" + i;
    }

    @Override
    public Integer call() throws IOException {
        if (processes < 1 || processes > 32 || keys < 1 || keys > 100_000 || computeMillis < 0) {
            throw new ParameterException(spec.commandLine(), "--processes must be 1 to 32, --keys 1 to 100000,"
                    + " --compute-ms not negative");
        }
        PrintWriter out = spec.commandLine().getOut();
        String name = "cache-demo-" + ProcessHandle.current().pid();
        // segments let workers compute keys of different segments at the same time
        try (ChildJvm.Logs logs = new ChildJvm.Logs("shmstore-cache-demo-");
             SharedStore<String, String> cache = cache(name).entries(keys)
                     .segments(Math.min(16, Integer.highestOneBit(keys))).averageValueSize(64).create();
             SharedStore<String, Long> computed = computations(name).entries(keys).averageKeySize(16).create();
             NamedEvent start = NamedEvent.createOrOpen(startEvent(name), EventMode.MANUAL_RESET)) {
            out.printf("%d JVMs share cache \"%s\"; each asks for the same %d keys in its own order, a value takes"
                    + " %d ms to compute%n", processes, name, keys, computeMillis);
            out.flush();
            List<ChildJvm> workers = new ArrayList<>();
            try {
                long began = System.nanoTime();
                for (int i = 0; i < processes; i++) {
                    workers.add(ChildJvm.start(logs.file("worker-" + i + ".out"), "cache-worker", "--store", name,
                            "--keys", Integer.toString(keys), "--compute-ms", Integer.toString(computeMillis)));
                }
                for (ChildJvm w : workers) {
                    w.awaitLine(l -> l.startsWith("ready"), TIMEOUT);
                }
                start.signal();
                Map<Long, Long> claimed = new HashMap<>();
                for (ChildJvm w : workers) {
                    w.awaitSuccess(TIMEOUT);
                    Map<String, String> s = w.summary();
                    long c = Long.parseLong(s.get("computed"));
                    long hits = Long.parseLong(s.get("hits"));
                    claimed.put(w.pid(), c);
                    out.printf("  process %d: computed %d, found %d already computed: hit ratio %d%%%n", w.pid(), c, hits,
                            100 * hits / Math.max(1, c + hits));
                }
                long millis = (System.nanoTime() - began) / 1_000_000;
                return check(cache, computed, claimed, out, millis);
            } finally {
                workers.forEach(ChildJvm::close);
            }
        }
    }

    /** Computations (each key's counter) must equal distinct keys, and agree with the values and workers. */
    private int check(SharedStore<String, String> cache, SharedStore<String, Long> computed, Map<Long, Long> claimed,
                      PrintWriter out, long millis) {
        long computations = computed.values().stream().mapToLong(Long::longValue).sum();
        List<String> problems = new ArrayList<>();
        Map<Long, Long> named = new HashMap<>();
        for (int i = 0; i < keys; i++) {
            String value = cache.get(key(i));
            Long times = computed.get(key(i));
            if (value == null || times == null || times != 1) {
                problems.add(key(i) + " has value " + value + " and was computed " + times + " times");
            } else {
                named.merge(CacheWorkerCommand.computedBy(value), 1L, Long::sum);
            }
        }
        Map<Long, Long> computing = new HashMap<>(claimed);
        computing.values().removeIf(c -> c == 0);
        if (!named.equals(computing)) {
            problems.add("values name these computing processes " + named + " but the workers reported " + claimed);
        }
        out.printf("%d computations for %d distinct keys (%d entries) in %,d ms%n", computations, keys, cache.size(),
                millis);
        if (computations != keys || cache.size() != keys) {
            problems.add("computations " + computations + " and entries " + cache.size() + " must both be " + keys);
        }
        problems.forEach(p -> out.println("  FAILED: " + p));
        out.println(problems.isEmpty() ? "ok: every key was computed exactly once across " + processes + " processes"
                : problems.size() + " problems");
        return problems.isEmpty() ? 0 : ShmStoreTool.USER_ERROR;
    }
}
