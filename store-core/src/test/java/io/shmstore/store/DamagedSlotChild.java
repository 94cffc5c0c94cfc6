package io.shmstore.store;

import io.shmstore.SharedStore;
import io.shmstore.StoreException;
import io.shmstore.internal.store.Probes;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * Walks a store with a damaged slot in a child JVM, for {@link StoreDamageTest}: a crash there fails
 * that test with the step it happened in instead of killing the build. It removes every key (the
 * tombstones pile up until the segment rehashes), then goes on with gets, puts, iteration,
 * {@code verify()} and {@code size()}: after a typed error, the next operation is where a crash hides.
 *
 * <pre>
 *   STEP name                       before each operation
 *   OK name [detail] | TYPED name class: message | BAD name class: message | WRONG name detail
 *   PROBES rehash=n                 rehashes this JVM ran
 *   DONE
 * </pre>
 *
 * <p>Usage: {@code DamagedSlotChild <store file> <keys>}; the store maps {@code key-i} to {@code value-i}.
 */
public final class DamagedSlotChild {
    private static final int NEW_KEYS = 20;

    private DamagedSlotChild() {
    }

    public static void main(String[] args) {
        Path file = Path.of(args[0]);
        int keys = Integer.parseInt(args[1]);
        long rehashes = Probes.REHASH.sum();
        try (SharedStore<String, String> store = step("open", () -> SharedStore.of(String.class, String.class)
                .persistedTo(file).lockTimeout(Duration.ofSeconds(1)).open())) {
            if (store != null) {
                walk(store, keys);
            }
        } catch (RuntimeException e) {
            report("close", e);
        }
        System.out.println("PROBES rehash=" + (Probes.REHASH.sum() - rehashes));
        System.out.println("DONE");
        System.out.flush();
    }

    private static void walk(SharedStore<String, String> store, int keys) {
        boolean[] removed = new boolean[keys];
        for (int i = 0; i < keys; i++) {
            String k = "key-" + i;
            int at = i;
            step("remove " + k, () -> {
                String old = store.remove(k);
                if (old != null && !old.equals("value-" + at)) {
                    return "WRONG remove " + k + " returned a value never written for it";
                }
                removed[at] = true;
                return old;
            });
        }
        for (int i = 0; i < keys; i++) {
            String k = "key-" + i;
            int at = i;
            step("get " + k, () -> {
                String v = store.get(k);
                if (v != null && (removed[at] || !v.equals("value-" + at))) {
                    return "WRONG get " + k + (removed[at] ? " found a key whose remove succeeded" : " read a value never written");
                }
                return v;
            });
        }
        for (int j = 0; j < NEW_KEYS; j++) {
            String k = "new-" + j;
            String v = "value-new-" + j;
            if (step("put " + k, () -> {
                store.put(k, v);
                return "done";
            }) != null) {
                step("get " + k, () -> v.equals(store.get(k)) ? "found" : "WRONG get " + k + " lost a value put just before");
            }
        }
        step("iterate", () -> {
            int n = 0;
            for (Map.Entry<String, String> e : store.entrySet()) {
                if (++n > 10_000) {
                    return "WRONG iterate did not end";
                }
                String k = e.getKey();
                if (!(k.startsWith("key-") ? "value-" + k.substring(4) : "value-" + k).equals(e.getValue())) {
                    return "WRONG iterate an entry never written: " + k;
                }
                if (k.startsWith("key-") && removed[Integer.parseInt(k.substring(4))]) {
                    return "WRONG iterate a key whose remove succeeded: " + k;
                }
            }
            return n + " entries";
        });
        step("size", store::size);
        step("verify", () -> {
            List<String> problems = store.verify();
            return problems.size() + " problems " + problems.stream().limit(3).toList();
        });
    }

    /** Runs one operation, printing it before and its outcome after; returns its result, or null when it failed. */
    private static <T> T step(String name, Callable<T> action) {
        System.out.println("STEP " + name);
        try {
            T result = action.call();
            if (result instanceof String s && s.startsWith("WRONG ")) {
                System.out.println(s);
                return null;
            }
            // only plain results are printed: a store's toString() would iterate it
            System.out.println("OK " + name + (result instanceof String || result instanceof Number ? " " + result : ""));
            return result;
        } catch (Throwable e) {
            report(name, e);
            return null;
        }
    }

    private static void report(String name, Throwable e) {
        boolean typed = e instanceof StoreException;
        System.out.println((typed ? "TYPED " : "BAD ") + name + " " + e.getClass().getName() + ": "
                + String.valueOf(e.getMessage()).replace('\n', ' '));
        if (!typed) {
            e.printStackTrace(System.out);
        }
    }
}
