package io.shmstore.reliability;

import io.shmstore.ChangeCursor;
import io.shmstore.ChangeListener;
import io.shmstore.ChangeType;
import io.shmstore.LockTimeoutException;
import io.shmstore.SharedStore;
import io.shmstore.StoreException;
import io.shmstore.internal.store.Probes;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;

/**
 * Opens damaged copies of a store and walks each one through every path of the engine, going on after
 * each typed error (the operation after an error is where a crash hides): gets, iteration,
 * {@code verify()}, compute and merge, puts far past capacity (eviction in an {@code EVICT} store,
 * expiry purges in one with {@code expireAfterWrite}), removing every key (the tombstones pile up until
 * the segment rehashes), puts again, iteration, {@code verify()}, a change-feed poll. It prints one line
 * before each step and one after, so that the parent knows which step a crash or a hang happened in:
 *
 * <pre>
 *   CASE i
 *   STEP name
 *   OK name | TYPED name Class×n,... | BAD name Class message | WRONG name detail | LATE name ...
 *   PROBES rehash=a eviction=b purge=c recovery=d growth=e   (this case's runs of each cold path so far)
 *   ...
 *   END i
 *   ...
 *   DONE
 * </pre>
 *
 * <p>A step that is a loop (the puts, the removes) tries every operation: a typed {@link StoreException}
 * is counted and the loop goes on; anything else ends the step as BAD. Acceptable outcomes are typed:
 * {@link StoreException} and its subclasses (StoreCorruptedException, IncompatibleStoreException,
 * StoreFullException, LockTimeoutException, and CodecException, which extends StoreException),
 * because the contract for damaged bytes is "StoreCorruptedException or a consistent answer".
 * Anything else (IllegalStateException, IndexOutOfBoundsException, NullPointerException,
 * OutOfMemoryError, InternalError from a SIGBUS in an Unsafe access) escapes that contract.
 *
 * <p>Usage: {@code CorruptionChild <case>@<copy>@<keys>@<puts>@<length>@<warmUp>...}: {@code puts} is
 * how many puts go past capacity. The copy's keys are {@link #key(int)}, {@code 0 <= i < keys}, with
 * {@link #value(int)} (some removed or expired), and the walk writes only {@code more-i} with
 * {@code value(1_000_000 + i)}, so that every answer can be checked: a value that is neither missing
 * nor the one written is undetected corruption. With {@code length >= 0} the file is cut to that length
 * after the store is opened and {@code warmUp} rounds of put, get and poll.
 */
public final class CorruptionChild {
    /** Iterating more entries than this means the walk is not terminating on its own. */
    private static final int ITERATION_LIMIT = 100_000;
    /** Keys put by the walk are {@code more-i}; their values are {@code value(MORE + i)}. */
    private static final int MORE = 1_000_000;
    /** Keys the compute and merge steps touch. */
    private static final int COMPUTED = 24;
    /** Puts after the removes: the emptied segments are written again. */
    private static final int REFILL = 200;
    /**
     * A loop gives up after this many lock timeouts: a damaged lock word can name a live process, and
     * each timeout (200 ms) is a correct answer; thousands of them would only look like a hang.
     */
    private static final int TIMEOUTS = 10;
    private static final long SELF = ProcessHandle.current().pid();

    private static long[] probesAtStart = new long[4];

    private CorruptionChild() {
    }

    public static String key(int i) {
        return "key-" + i;
    }

    /** Distinct per key, of varied length (some entries span several chunks). */
    public static byte[] value(int i) {
        byte[] v = new byte[8 + (i * 37) % 120];
        for (int j = 0; j < v.length; j++) {
            v[j] = (byte) (i * 31 + j);
        }
        return v;
    }

    private static String more(int i) {
        return "more-" + i;
    }

    /** The only value ever written for {@code key}, or null for a key that was never written. */
    static byte[] expected(String key, int keys, int puts) {
        int dash = key.indexOf('-');
        int i = dash > 0 ? parse(key.substring(dash + 1)) : -1;
        if (i < 0) {
            return null;
        }
        if (key.startsWith("key-") && i < keys) {
            return value(i);
        }
        if (key.startsWith("more-") && i < Math.max(puts, Math.max(REFILL, COMPUTED))) {
            return value(MORE + i);
        }
        return null;
    }

    public static void main(String[] args) {
        for (String arg : args) {
            String[] spec = arg.split("@");
            System.out.println("CASE " + spec[0]);
            probesAtStart = probes();
            walk(Path.of(spec[1]), Integer.parseInt(spec[2]), Integer.parseInt(spec[3]), Long.parseLong(spec[4]),
                    Integer.parseInt(spec[5]));
            System.out.println("END " + spec[0]);
        }
        System.out.println("DONE");
        System.out.flush();
    }

    private static long[] probes() {
        return new long[]{Probes.REHASH.sum(), Probes.EVICTION.sum(), Probes.EXPIRY_PURGE.sum(), Probes.RECOVERY.sum(),
                Probes.GROWTH.sum()};
    }

    private static void walk(Path copy, int keys, int puts, long truncateAfterOpen, int warmUp) {
        // a short lock timeout: a damaged lock word may name a live process, and a typed
        // LockTimeoutException after 200 ms is an acceptable answer, a 10 s wait per case is not
        SharedStore<String, byte[]> store = step("open", () -> SharedStore.of(String.class, byte[].class)
                .persistedTo(copy).lockTimeout(Duration.ofMillis(200)).open());
        if (store == null) {
            return;
        }
        if (warmUp > 0) {
            step("warm-up", () -> {
                // rewrites the values the store already holds, so the checks below still apply
                try (ChangeCursor<String> cursor = store.changes().cursor()) {
                    for (int r = 0; r < warmUp; r++) {
                        store.put(key(r % keys), value(r % keys));
                        store.get(key(r * 7 % keys));
                        cursor.poll((sequence, type, key) -> { }, 16);
                    }
                }
                return null;
            });
        }
        if (truncateAfterOpen >= 0) {
            step("truncate", () -> {
                try (java.io.RandomAccessFile f = new java.io.RandomAccessFile(copy.toFile(), "rw")) {
                    f.setLength(truncateAfterOpen);
                }
                return null;
            });
        }
        try {
            steps(store, keys, puts);
        } finally {
            step("close", () -> {
                store.close();
                return null;
            });
        }
    }

    private static void steps(SharedStore<String, byte[]> store, int keys, int puts) {
        loop("get", keys, i -> {
            byte[] v = store.get(key(i));
            return v != null && !Arrays.equals(v, value(i)) ? "get " + key(i) + " read " + v.length + " bytes never written" : null;
        });
        step("iterate", () -> iterate(store, keys, puts));
        step("verify", () -> store.verify() == null ? "WRONG verify returned null" : null);
        loop("compute", COMPUTED, i -> {
            // rewrites present keys with their own value, removes a third of them, inserts absent ones
            String k = key(i);
            String[] wrong = {null};
            byte[] v = store.compute(k, (key, old) -> {
                if (old != null && !Arrays.equals(old, value(i))) {
                    wrong[0] = "compute " + k + " was given a value never written";
                }
                return i % 3 == 0 ? null : value(i);
            });
            return wrong[0] != null ? wrong[0] : v != null && !Arrays.equals(v, value(i)) ? "compute " + k + " returned a value never written" : null;
        });
        loop("merge", COMPUTED, i -> {
            byte[] v = store.merge(more(i), value(MORE + i), (old, given) -> given);
            return v != null && !Arrays.equals(v, value(MORE + i)) ? "merge " + more(i) + " returned a value never written" : null;
        });
        loop("puts past capacity", puts, i -> {
            store.put(more(i), value(MORE + i));
            return null;
        });
        loop("get after puts", puts, i -> {
            byte[] v = store.get(more(i));
            return v != null && !Arrays.equals(v, value(MORE + i)) ? "get " + more(i) + " read a value never written" : null;
        });
        loop("remove every key", keys + puts, i -> {
            String k = i < keys ? key(i) : more(i - keys);
            byte[] v = store.remove(k);
            return v != null && !Arrays.equals(v, expected(k, keys, puts)) ? "remove " + k + " returned a value never written" : null;
        });
        loop("puts after removes", REFILL, i -> {
            store.put(more(i), value(MORE + i));
            return null;
        });
        step("iterate after", () -> iterate(store, keys, puts));
        step("verify after", () -> store.verify() == null ? "WRONG verify returned null" : null);
        step("poll", () -> {
            try (ChangeCursor<String> cursor = store.changes().cursorFrom(0)) {
                cursor.poll(new ChangeListener<>() {
                    @Override
                    public void onChange(long sequence, ChangeType type, String key) {
                        // only that the feed can be read to its end without a crash
                    }
                }, ITERATION_LIMIT);
                return null;
            }
        });
        step("size", () -> store.size() < 0 ? "WRONG size is negative" : null);
    }

    private static String iterate(SharedStore<String, byte[]> store, int keys, int puts) {
        int n = 0;
        for (Map.Entry<String, byte[]> e : store.entrySet()) {
            if (++n > ITERATION_LIMIT) {
                return "WRONG iterate did not end after " + ITERATION_LIMIT + " entries";
            }
            byte[] expected = expected(e.getKey(), keys, puts);
            if (expected == null || !Arrays.equals(e.getValue(), expected)) {
                return "WRONG iterate an entry that was never written: key of " + e.getKey().length() + " chars";
            }
        }
        return null;
    }

    private static int parse(String digits) {
        try {
            return Integer.parseInt(digits);
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /** An operation of a loop: null when its answer is consistent, else what is wrong with it. */
    private interface Op {
        String run(int i);
    }

    /**
     * Runs {@code op} for {@code 0 <= i < n}, going on after each typed error; prints one outcome line.
     * A wrong answer or an untyped exception ends the loop.
     */
    private static void loop(String name, int n, Op op) {
        step(name, () -> {
            Map<String, Integer> typed = new TreeMap<>();
            int timeouts = 0;
            for (int i = 0; i < n && timeouts < TIMEOUTS; i++) {
                try {
                    String wrong = op.run(i);
                    if (wrong != null) {
                        return "WRONG " + name + " " + wrong;
                    }
                } catch (StoreException e) {
                    String leaked = leakedLock(name, e);
                    if (leaked != null) {
                        return leaked;
                    }
                    typed.merge(e.getClass().getSimpleName(), 1, Integer::sum);
                    timeouts += e instanceof LockTimeoutException ? 1 : 0;
                }
            }
            return typed.isEmpty() ? null : new Typed(typed.toString());
        });
    }

    /**
     * A lock timeout naming this process as the owner: the child is single-threaded, so a lock it
     * holds between operations is one an earlier operation failed to release. Damage cannot name this
     * process (the owner word holds its pid and start time), so this is a leak, not an answer.
     */
    private static String leakedLock(String step, StoreException e) {
        return e instanceof LockTimeoutException t && t.ownerPid() == SELF
                ? "WRONG " + step + " a lock is held by this process after the operation that took it ended: "
                + e.getMessage() : null;
    }

    /** A loop's typed errors, by class: the step went on after each. */
    private record Typed(String counts) {
    }

    /**
     * HotSpot's report of a SIGBUS in compiled code comes at the thread's next safepoint, which may be
     * after the store's call returned: "a fault occurred in a recent unsafe memory access operation in
     * compiled Java code", or the plain "unsafe memory access" fault raised in the child's own code (or
     * the JDK's), not the store's. Only a file cut while open can cause it.
     */
    private static boolean late(Throwable e) {
        String message = String.valueOf(e.getMessage());
        if (!(e instanceof InternalError) || !message.contains("unsafe memory access")) {
            return false;
        }
        if (message.contains("recent unsafe memory access operation in compiled")) {
            return true;
        }
        StackTraceElement[] at = e.getStackTrace();
        return at.length == 0 || !at[0].getClassName().startsWith("io.shmstore.")
                || at[0].getClassName().startsWith("io.shmstore.reliability.");
    }

    /** Runs one step, printing it before and its outcome and the probe counts after. */
    private static <T> T step(String name, java.util.concurrent.Callable<T> action) {
        System.out.println("STEP " + name);
        try {
            T result = action.call();
            if (result instanceof String s && s.startsWith("WRONG ")) {
                System.out.println(s);
                return null;
            }
            System.out.println(result instanceof Typed t ? "TYPED " + name + " " + t.counts() : "OK " + name);
            return result instanceof Typed ? null : result;
        } catch (StoreException e) {
            String leaked = leakedLock(name, e);
            System.out.println(leaked != null ? leaked : "TYPED " + name + " " + e.getClass().getName());
        } catch (Throwable e) {
            System.out.println((late(e) ? "LATE " : "BAD ") + name + " " + e.getClass().getName() + " "
                    + String.valueOf(e.getMessage()).replace('\n', ' '));
            e.printStackTrace(System.out);
        } finally {
            long[] now = probes();
            System.out.println("PROBES rehash=" + (now[0] - probesAtStart[0]) + " eviction=" + (now[1] - probesAtStart[1])
                    + " purge=" + (now[2] - probesAtStart[2]) + " recovery=" + (now[3] - probesAtStart[3])
                    + " growth=" + (now[4] - probesAtStart[4]));
        }
        return null;
    }
}
