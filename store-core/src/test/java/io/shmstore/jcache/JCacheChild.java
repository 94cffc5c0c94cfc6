package io.shmstore.jcache;

import javax.cache.Cache;
import javax.cache.CacheManager;
import javax.cache.Caching;
import javax.cache.configuration.MutableConfiguration;
import javax.cache.processor.EntryProcessor;
import javax.cache.processor.MutableEntry;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;

/** The other processes of the JCache tests: each opens the default cache manager, as an application would. */
public final class JCacheChild {
    private JCacheChild() {
    }

    /** Caches of counters, the same configuration in every process. */
    static MutableConfiguration<String, Long> counters() {
        return new MutableConfiguration<String, Long>().setTypes(String.class, Long.class).setStatisticsEnabled(true);
    }

    /** Adds one to the key's count (absent: 0) and returns the new count. */
    static final class Increment implements EntryProcessor<String, Long, Long> {
        @Override
        public Long process(MutableEntry<String, Long> entry, Object... arguments) {
            long next = (entry.exists() ? entry.getValue() : 0L) + 1;
            entry.setValue(next);
            return next;
        }
    }

    public static void main(String[] args) throws Exception {
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        CacheManager manager = Caching.getCachingProvider().getCacheManager();
        Cache<String, Long> cache = manager.createCache(args[1], counters());
        switch (args[0]) {
            case "put-then-get" -> {
                cache.put("from-child", 7L);
                say("PUT");
                in.readLine();
                Long seen = cache.get("from-parent");
                ShmCache<?, ?> shm = cache.unwrap(ShmCache.class);
                say("GOT " + seen + " " + shm.statistics().getCacheHits());
            }
            case "count" -> {
                int n = Integer.parseInt(args[2]);
                say("READY");
                in.readLine();
                for (int i = 0; i < n; i++) {
                    cache.invoke("counter", new Increment());
                }
                say("DONE");
            }
            case "changes" -> {
                say("READY");
                in.readLine();
                cache.put("k1", 1L);
                cache.put("k1", 2L);
                cache.remove("k1");
                cache.put("k2", 3L);
                say("DONE");
            }
            case "stall" -> {
                int acks = Integer.parseInt(args[2]);
                for (int i = 0; i < acks; i++) {
                    say("ACK " + cache.invoke("counter", new Increment()));
                }
                cache.invoke("counter", (entry, arguments) -> {
                    entry.setValue(entry.getValue() + 1);
                    say("IN");
                    sleepForever();
                    return null;
                });
            }
            case "loop" -> {
                while (true) {
                    say("ACK " + cache.invoke("counter", new Increment()));
                }
            }
            default -> throw new IllegalArgumentException(args[0]);
        }
        manager.close();
    }

    private static void say(String line) {
        System.out.println(line);
        System.out.flush();
    }

    private static void sleepForever() {
        try {
            Thread.sleep(Long.MAX_VALUE);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
