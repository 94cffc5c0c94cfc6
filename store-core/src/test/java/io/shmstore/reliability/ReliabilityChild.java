package io.shmstore.reliability;

import io.shmstore.SharedStore;
import io.shmstore.memory.Lifetime;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** The other process of the reliability tests: applies operations it is sent and prints their results. */
public final class ReliabilityChild {

    public static void main(String[] args) throws Exception {
        switch (args[0]) {
            case "model": model(); break;
            case "linear": linear(); break;
            case "read": read(args[1], Integer.parseInt(args[2])); break;
            case "write": write(args[1], Integer.parseInt(args[2]), args[3]); break;
            case "squat": squat(args[1], Path.of(args[2])); break;
            default: throw new IllegalArgumentException(args[0]);
        }
    }

    /** The model test's store: persistent, so that closing every handle (close-and-reopen) keeps it. */
    static SharedStore<Integer, String> modelStore(String name, boolean create) {
        var b = SharedStore.of(Integer.class, String.class).name(name);
        return create ? b.entries(64).averageValueSize(8).segments(2).lifetime(Lifetime.PERSISTENT).create() : b.open();
    }

    static SharedStore<Integer, Long> counters(String name, boolean create) {
        var b = SharedStore.of(Integer.class, Long.class).name(name);
        return create ? b.entries(4096).segments(4).create() : b.open();
    }

    /**
     * Lines {@code OP <store> <operation>} apply an operation and answer {@code = <result>} (or
     * {@code ! <exception>}); {@code CLOSE <store>} closes this process's handle and answers
     * {@code CLOSED}. Handles stay open between operations, as a long-lived second process's would.
     */
    private static void model() throws Exception {
        Map<String, SharedStore<Integer, String>> open = new HashMap<>();
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        System.out.println("READY");
        System.out.flush();
        String line;
        while ((line = in.readLine()) != null) {
            String[] f = line.split(" ", 3);
            try {
                if (f[0].equals("CLOSE")) {
                    SharedStore<Integer, String> s = open.remove(f[1]);
                    if (s != null) {
                        s.close();
                    }
                    System.out.println("CLOSED");
                } else {
                    SharedStore<Integer, String> s = open.computeIfAbsent(f[1], n -> modelStore(n, false));
                    System.out.println("= " + MapOp.decode(f[2]).apply(s));
                }
            } catch (RuntimeException e) {
                System.out.println("! " + e);
            }
            System.out.flush();
        }
    }

    /**
     * Lines {@code ROUND <store> <start nanos> <seed> <first key> <keys> <operations>}: waits for the
     * common start instant (System.nanoTime is CLOCK_MONOTONIC on Linux, one clock for every process),
     * runs the operations, then prints each as {@code H <record>} and {@code END}.
     */
    private static void linear() throws Exception {
        Map<String, SharedStore<Integer, Long>> open = new HashMap<>();
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        System.out.println("READY");
        System.out.flush();
        String line;
        while ((line = in.readLine()) != null) {
            String[] f = line.split(" ");
            SharedStore<Integer, Long> s = open.computeIfAbsent(f[1], n -> counters(n, false));
            long start = Long.parseLong(f[2]);
            List<History.Event> events = LinearizabilityTest.runWorker(s, 99, Long.parseLong(f[3]),
                    Integer.parseInt(f[4]), Integer.parseInt(f[5]), Integer.parseInt(f[6]), start);
            StringBuilder out = new StringBuilder();
            for (History.Event e : events) {
                out.append("H ").append(e.encode()).append('\n');
            }
            out.append("END");
            System.out.println(out);
            System.out.flush();
        }
    }

    /** As a reader that may lack permission: opens read-only and prints the value or the refusal. */
    private static void read(String name, int key) {
        try (SharedStore<Integer, String> s = SharedStore.of(Integer.class, String.class).name(name).openReadOnly()) {
            System.out.println("VALUE " + s.get(key));
            try {
                s.put(key, "from-reader");
                System.out.println("WROTE through a read-only handle");
            } catch (RuntimeException e) {
                System.out.println("WRITE-REFUSED " + e.getClass().getName() + ": " + e.getMessage());
            }
        } catch (RuntimeException e) {
            System.out.println("ERROR " + e.getClass().getName() + ": " + e.getMessage());
        }
        System.out.flush();
    }

    /**
     * As a user who takes a store's name before its rightful creator: creates the store {@code name}
     * and the file-backed store {@code file}, persistent and open to everyone, and leaves them.
     */
    private static void squat(String name, Path file) {
        try (SharedStore<Integer, String> a = SharedStore.of(Integer.class, String.class).name(name)
                .lifetime(Lifetime.PERSISTENT).permissions("rw-rw-rw-").create();
             SharedStore<Integer, String> b = SharedStore.of(Integer.class, String.class).persistedTo(file)
                     .permissions("rw-rw-rw-").create()) {
            System.out.println("SQUATTED " + a.name() + " " + b.name());
        }
        System.out.flush();
    }

    /** As a process that may lack permission: opens for writing and puts. */
    private static void write(String name, int key, String value) {
        try (SharedStore<Integer, String> s = SharedStore.of(Integer.class, String.class).name(name).open()) {
            s.put(key, value);
            System.out.println("WROTE");
        } catch (RuntimeException e) {
            System.out.println("ERROR " + e.getClass().getName() + ": " + e.getMessage());
        }
        System.out.flush();
    }
}
