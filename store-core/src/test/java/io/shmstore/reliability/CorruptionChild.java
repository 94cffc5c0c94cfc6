package io.shmstore.reliability;

import io.shmstore.ChangeCursor;
import io.shmstore.ChangeListener;
import io.shmstore.ChangeType;
import io.shmstore.SharedStore;
import io.shmstore.StoreException;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * Opens damaged copies of a store and walks them, one case per argument after the first, printing one
 * line per step so that the parent can tell which case and which step misbehaved:
 *
 * <pre>
 *   CASE i
 *   OK step [detail] | TYPED step ExceptionClass | BAD step ExceptionClass message | WRONG step detail
 *   END i
 *   ...
 *   DONE
 * </pre>
 *
 * <p>Usage: {@code CorruptionChild <keyCount> <copy>[@length@warmUp]...}; with {@code @length} the copy is cut
 * to that length after it was opened and {@code warmUp} rounds of put, get and poll. The keys of the original store are
 * {@link #key(int)} with the value {@link #value(int)}, so every answer the damaged store gives can be
 * checked: a value that is neither missing nor the one written is undetected corruption.
 */
public final class CorruptionChild {
    /** Iterating more entries than this means the walk is not terminating on its own. */
    private static final int ITERATION_LIMIT = 100_000;

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

    public static void main(String[] args) {
        int keys = Integer.parseInt(args[0]);
        for (int c = 1; c < args.length; c++) {
            System.out.println("CASE " + (c - 1));
            // "path@length": the file is cut to length after the store is open, as another process
            // (or an operator) truncating a live store's file would
            String[] spec = args[c].split("@");
            walk(Path.of(spec[0]), keys, spec.length > 1 ? Long.parseLong(spec[1]) : -1,
                    spec.length > 2 ? Integer.parseInt(spec[2]) : 0);
            System.out.println("END " + (c - 1));
        }
        System.out.println("DONE");
        System.out.flush();
    }

    private static void walk(Path copy, int keys, long truncateAfterOpen, int warmUp) {
        // a short lock timeout: a damaged lock word may name a live process (even this one), and a
        // typed LockTimeoutException after 200 ms is an acceptable answer, a 10 s wait per case is not
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
            step("get", () -> {
                for (int i = 0; i < keys; i++) {
                    byte[] v = store.get(key(i));
                    if (v != null && !Arrays.equals(v, value(i))) {
                        return "WRONG get " + key(i) + " read " + v.length + " bytes that were never written";
                    }
                }
                return null;
            });
            step("iterate", () -> {
                int n = 0;
                for (Map.Entry<String, byte[]> e : store.entrySet()) {
                    if (++n > ITERATION_LIMIT) {
                        return "WRONG iterate did not end after " + ITERATION_LIMIT + " entries";
                    }
                    String k = e.getKey();
                    int i = k.startsWith("key-") ? parse(k.substring(4)) : -1;
                    if (i < 0 || i >= keys || !Arrays.equals(e.getValue(), value(i))) {
                        return "WRONG iterate an entry that was never written: key of " + k.length() + " chars";
                    }
                }
                return null;
            });
            step("verify", () -> {
                List<String> problems = store.verify();
                return problems == null ? "WRONG verify returned null" : null;
            });
            step("put", () -> store.put("fuzz-new", value(1)));
            step("poll", () -> {
                try (ChangeCursor<String> cursor = store.changes().cursorFrom(0)) {
                    long[] seen = new long[1];
                    cursor.poll(new ChangeListener<>() {
                        @Override
                        public void onChange(long sequence, ChangeType type, String key) {
                            seen[0]++;
                        }
                    }, ITERATION_LIMIT);
                    return null;
                }
            });
        } finally {
            step("close", () -> {
                store.close();
                return null;
            });
        }
    }

    private static int parse(String digits) {
        try {
            return Integer.parseInt(digits);
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /**
     * Runs one step and prints its outcome. Acceptable failures are typed: {@link StoreException} and its
     * subclasses (StoreCorruptedException, IncompatibleStoreException, StoreFullException,
     * LockTimeoutException, CodecException), because the documented contract for damaged bytes is
     * "StoreCorruptedException or a consistent answer". Anything else — IllegalStateException,
     * IndexOutOfBoundsException (a view's bounds check caught what the store should have checked
     * itself), NullPointerException, ArrayIndexOutOfBoundsException, OutOfMemoryError, InternalError (a
     * SIGBUS in an Unsafe access) — is BAD: it escapes the typed contract, and the Errors mean a check
     * before an allocation or a memory access is missing.
     */
    private static <T> T step(String name, Callable<T> action) {
        try {
            T result = action.call();
            if (result instanceof String s && s.startsWith("WRONG ")) {
                System.out.println(s);
                return null;
            }
            System.out.println("OK " + name);
            return result;
        } catch (StoreException e) {
            System.out.println("TYPED " + name + " " + e.getClass().getName());
        } catch (Throwable e) {
            // HotSpot's report of a SIGBUS in compiled code comes at the thread's next safepoint, which
            // may be after the store's call returned: only a file cut while open can cause it
            boolean late = e instanceof InternalError
                    && String.valueOf(e.getMessage()).contains("recent unsafe memory access operation in compiled");
            System.out.println((late ? "LATE " : "BAD ") + name + " " + e.getClass().getName() + " "
                    + String.valueOf(e.getMessage()).replace('\n', ' '));
            e.printStackTrace(System.out);
        }
        return null;
    }
}
