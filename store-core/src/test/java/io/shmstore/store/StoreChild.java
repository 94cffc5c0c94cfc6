package io.shmstore.store;

import io.shmstore.SharedStore;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.io.BufferedOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/** The other processes of the store tests. */
public final class StoreChild {
    static final int KEYS = 500;

    public static void main(String[] args) throws Exception {
        switch (args[0]) {
            case "merge": {
                try (SharedStore<String, Long> s = counters(args[1])) {
                    System.out.println("READY");
                    System.out.flush();
                    new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
                    int rounds = Integer.parseInt(args[2]);
                    int keys = Integer.parseInt(args[3]);
                    for (int r = 0; r < rounds; r++) {
                        s.merge("counter-" + (r % keys), 1L, Long::sum);
                    }
                    System.out.println("DONE " + s.stats().recoveries());
                }
                break;
            }
            case "writer": {
                writer(args[1], Long.parseLong(args[2]));
                break;
            }
            case "stall": {
                // dies (killed by the test) inside compute, holding the key's segment lock
                SharedStore<Integer, byte[]> s = churn(args[1]);
                s.compute(Integer.parseInt(args[2]), (k, v) -> {
                    System.out.println("IN");
                    System.out.flush();
                    try {
                        Thread.sleep(Long.MAX_VALUE);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    return v;
                });
                break;
            }
            default:
                throw new IllegalArgumentException(args[0]);
        }
    }

    static SharedStore<String, Long> counters(String name) {
        return SharedStore.of(String.class, Long.class).name(name).entries(1000).averageKeySize(12).createOrOpen();
    }

    static SharedStore<Integer, byte[]> churn(String name) {
        return SharedStore.of(Integer.class, byte[].class).name(name).entries(KEYS).averageValueSize(120)
                .segments(4).createOrOpen();
    }

    /** Operation {@code seq}: removes its key every seventh time, else writes {@link #value(long)}. */
    static boolean isRemove(long seq) {
        return seq % 7 == 3;
    }

    /** How operation {@code seq} writes: 0 put, 1 compute, 2 putAll of its key and the next two. */
    static int kindOf(long seq) {
        return seq % 5 == 1 ? 1 : seq % 11 == 2 ? 2 : 0;
    }

    /** The keys operation {@code seq} writes (three for a putAll). */
    static int[] keysOf(long seq) {
        int k = keyOf(seq);
        return kindOf(seq) == 2 && !isRemove(seq) ? new int[]{k, (k + 1) % KEYS, (k + 2) % KEYS} : new int[]{k};
    }

    static int keyOf(long seq) {
        return (int) (seq * 7919 % KEYS);
    }

    /** A value that shows whether it was read whole: its length and every byte follow from {@code seq}. */
    static byte[] value(long seq) {
        byte[] v = new byte[8 + (int) (seq % 200)];
        Arrays.fill(v, (byte) seq);
        ByteBuffer.wrap(v).order(ByteOrder.LITTLE_ENDIAN).putLong(0, seq);
        return v;
    }

    /** The sequence number of a value, or -1 when it is torn or mixed. */
    static long check(byte[] v) {
        if (v.length < 8) {
            return -1;
        }
        long seq = ByteBuffer.wrap(v).order(ByteOrder.LITTLE_ENDIAN).getLong(0);
        if (seq < 0 || v.length != 8 + (int) (seq % 200)) {
            return -1;
        }
        for (int i = 8; i < v.length; i++) {
            if (v[i] != (byte) seq) {
                return -1;
            }
        }
        return seq;
    }

    /** Applies operations from {@code start} on, acknowledging each on stdout once it has returned. */
    private static void writer(String name, long start) {
        PrintStream out = new PrintStream(new BufferedOutputStream(System.out, 1 << 16), false, StandardCharsets.UTF_8);
        try (SharedStore<Integer, byte[]> s = churn(name)) {
            out.println("STARTED " + s.stats().recoveries());
            out.flush();
            for (long seq = start; ; seq++) {
                long v = seq;
                if (isRemove(seq)) {
                    s.remove(keyOf(seq));
                } else if (kindOf(seq) == 1) {
                    s.compute(keyOf(seq), (k, old) -> value(v));
                } else if (kindOf(seq) == 2) {
                    java.util.Map<Integer, byte[]> batch = new java.util.LinkedHashMap<>();
                    for (int k : keysOf(seq)) {
                        batch.put(k, value(v));
                    }
                    s.putAll(batch);
                } else {
                    s.put(keyOf(seq), value(seq));
                }
                // flushed each time, so at most one operation is applied but unacknowledged at a kill
                out.println("ACK " + seq);
                out.flush();
            }
        }
    }
}
