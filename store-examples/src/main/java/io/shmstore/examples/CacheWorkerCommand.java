package io.shmstore.examples;

import io.shmstore.SharedStore;
import io.shmstore.memory.EventMode;
import io.shmstore.memory.NamedEvent;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.Callable;

/**
 * One process of {@link CacheDemoCommand}: opens the cache it created, says "ready", waits for the
 * start event, then asks for every key in an order of its own. A key whose function did not run here
 * was a hit: another process had computed it, or was computing it and this one waited for the lock.
 * The computation is counted after {@code computeIfAbsent} returns, not inside the function, so that
 * the function touches no other store while it holds the cache's segment lock.
 */
@Command(name = "cache-worker", hidden = true, description = "One process of cache-demo.")
final class CacheWorkerCommand implements Callable<Integer> {
    private static final String COMPUTED_BY = " computed by pid ";

    @Spec
    private CommandSpec spec;

    @Option(names = "--store", required = true, paramLabel = "NAME")
    private String store;

    @Option(names = "--keys", required = true, paramLabel = "K")
    private int keys;

    @Option(names = "--compute-ms", required = true, paramLabel = "MS")
    private int computeMillis;

    /** The pid a cached value names as the process that computed it. */
    static long computedBy(String value) {
        return Long.parseLong(value.substring(value.lastIndexOf(COMPUTED_BY) + COMPUTED_BY.length()));
    }

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        long pid = ProcessHandle.current().pid();
        try (SharedStore<String, String> cache = CacheDemoCommand.cache(store).open();
             SharedStore<String, Long> computations = CacheDemoCommand.computations(store).open();
             NamedEvent start = NamedEvent.createOrOpen(CacheDemoCommand.startEvent(store), EventMode.MANUAL_RESET)) {
            List<String> order = new ArrayList<>();
            for (int i = 0; i < keys; i++) {
                order.add(CacheDemoCommand.key(i));
            }
            Collections.shuffle(order, new Random(pid));
            out.println("ready");
            out.flush();
            if (!start.await(Duration.ofSeconds(60))) {
                throw new ToolException("no start signal on \"" + CacheDemoCommand.startEvent(store) + "\" within 60 s");
            }
            long computed = 0;
            long hits = 0;
            for (String key : order) {
                boolean[] ran = {false};
                cache.computeIfAbsent(key, k -> {
                    ran[0] = true;
                    ChildJvm.sleepMillis(computeMillis);
                    return "value of " + k + COMPUTED_BY + pid;
                });
                if (ran[0]) {
                    computations.merge(key, 1L, Long::sum);
                    computed++;
                } else {
                    hits++;
                }
            }
            out.printf("summary pid=%d keys=%d computed=%d hits=%d%n", pid, keys, computed, hits);
            return 0;
        }
    }
}
