package io.shmstore.store;

import io.shmstore.SharedStore;
import io.shmstore.internal.store.Probes;

import java.io.BufferedOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Random;

/**
 * The other processes of {@link GrowthTest}. Usage:
 * <ul>
 *   <li>{@code grow <store> <from> <count> <watch>}: puts {@code g-i} for {@code from <= i < from + count},
 *       printing {@code ACK i} after each put returns; with {@code watch}, a thread prints
 *       {@code GROWING n} as soon as this process starts its {@code n}-th growth.</li>
 *   <li>{@code mixed <store> <prefix> <count>}: puts {@code <prefix>-i} and after each reads back that key
 *       and a random earlier one, printing {@code BAD ...} for a wrong answer and {@code DONE} at the end.</li>
 * </ul>
 * Stores are {@link #crashStore} for {@code grow ... watch}, {@link #sharedStore} otherwise.
 */
public final class GrowthChild {
    /**
     * Values: {@code i} in the first 8 bytes, then {@code i}'s low byte; 24 bytes or, every third, 144
     * (64 on average).
     */
    static byte[] value(long i) {
        byte[] v = new byte[i % 3 == 0 ? 144 : 24];
        Arrays.fill(v, (byte) i);
        for (int b = 0; b < 8; b++) {
            v[b] = (byte) (i >>> (8 * b));
        }
        return v;
    }

    /** The store several processes grow together: 2,000 entries of {@link #value}'s average size declared. */
    static SharedStore<String, byte[]> sharedStore(String name) {
        return SharedStore.of(String.class, byte[].class).name(name).entries(2_000).averageKeySize(8)
                .averageValueSize(64).segments(4).createOrOpen();
    }

    /** The store writers are killed in while it grows: one segment, large tables, room for 16 times its entries. */
    static SharedStore<String, byte[]> crashStore(String name) {
        return SharedStore.of(String.class, byte[].class).name(name).entries(100_000).maxEntries(1_600_000)
                .averageKeySize(8).averageValueSize(64).segments(1).createOrOpen();
    }

    public static void main(String[] args) {
        PrintStream out = new PrintStream(new BufferedOutputStream(System.out, 1 << 16), false, StandardCharsets.UTF_8);
        switch (args[0]) {
            case "grow" -> grow(out, args[1], Long.parseLong(args[2]), Long.parseLong(args[3]), Boolean.parseBoolean(args[4]));
            case "mixed" -> mixed(out, args[1], args[2], Integer.parseInt(args[3]));
            default -> throw new IllegalArgumentException(args[0]);
        }
        out.flush();
    }

    private static void grow(PrintStream out, String name, long from, long count, boolean watch) {
        try (SharedStore<String, byte[]> s = watch ? crashStore(name) : sharedStore(name)) {
            out.println("STARTED " + s.stats().growths());
            out.flush();
            if (watch) {
                Thread watcher = new Thread(() -> {
                    long seen = Probes.GROWTH.sum();
                    while (true) {
                        long now = Probes.GROWTH.sum();
                        if (now != seen) {
                            seen = now;
                            synchronized (out) {
                                out.println("GROWING " + now);
                                out.flush();
                            }
                        }
                        java.util.concurrent.locks.LockSupport.parkNanos(20_000);
                    }
                }, "growth-watcher");
                watcher.setDaemon(true);
                watcher.start();
            }
            for (long i = from; i < from + count; i++) {
                s.put("g-" + i, value(i));
                synchronized (out) {
                    // flushed each time: at most one put is applied but unacknowledged when the process dies
                    out.println("ACK " + i);
                    out.flush();
                }
            }
            out.println("DONE " + s.stats().growths());
        }
    }

    private static void mixed(PrintStream out, String name, String prefix, int count) {
        Random r = new Random(prefix.hashCode());
        try (SharedStore<String, byte[]> s = sharedStore(name)) {
            out.println("STARTED");
            out.flush();
            int bad = 0;
            for (int i = 0; i < count; i++) {
                s.put(prefix + "-" + i, value(i));
                bad += check(out, s, prefix, i);
                bad += check(out, s, prefix, r.nextInt(i + 1));
            }
            out.println("DONE " + bad);
        }
    }

    private static int check(PrintStream out, SharedStore<String, byte[]> s, String prefix, int i) {
        byte[] v = s.get(prefix + "-" + i);
        if (!Arrays.equals(v, value(i))) {
            out.println("BAD " + prefix + "-" + i + " read " + (v == null ? "nothing" : v.length + " bytes"));
            return 1;
        }
        return 0;
    }
}
