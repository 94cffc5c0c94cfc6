package io.shmstore.reliability;

import io.shmstore.ChangeCursor;
import io.shmstore.ChangeFeed;
import io.shmstore.SharedStore;
import io.shmstore.memory.Access;
import io.shmstore.memory.EventMode;
import io.shmstore.memory.Lifetime;
import io.shmstore.memory.MemoryView;
import io.shmstore.memory.NamedEvent;
import io.shmstore.memory.NamedMutex;
import io.shmstore.memory.NamedSemaphore;
import io.shmstore.memory.Ownership;
import io.shmstore.memory.SharedMemory;
import net.openhft.chronicle.bytes.BytesStore;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The child JVM of {@link CloseWhileInUseTest}: closes an object while other threads use it, round
 * after round, so that a use of unmapped memory would crash this JVM (the parent looks for its exit
 * code and hs_err file). Every thread ends its loop at the first {@link IllegalStateException}; any
 * other throwable fails the run. Prints {@code OK <scenario> rounds=<n> closedSeen=<m>} at the end.
 *
 * <p>Arguments: scenario, rounds, and {@code memory} or a directory for file-backed stores.
 */
public final class CloseRaceChild {
    private static final int THREADS = 3;
    private static final AtomicInteger closedSeen = new AtomicInteger();

    public static void main(String[] args) throws Exception {
        String scenario = args[0];
        int rounds = Integer.parseInt(args[1]);
        Path dir = args[2].equals("memory") ? null : Path.of(args[2]);
        for (int r = 0; r < rounds; r++) {
            switch (scenario) {
                case "get", "put", "iterate", "cursor" -> storeRound(scenario, dir, r);
                case "cursor-after-close" -> cursorAfterClose(dir, r);
                case "consumer-loop" -> consumerLoop(dir, r);
                case "view" -> viewRound(r);
                case "mutex" -> mutexRound(r);
                case "event" -> eventRound(r);
                case "semaphore" -> semaphoreRound(r);
                default -> throw new IllegalArgumentException(scenario);
            }
        }
        System.out.println("OK " + scenario + " rounds=" + rounds + " closedSeen=" + closedSeen.get());
    }

    private static SharedStore<Integer, String> store(Path dir, int round, boolean create) {
        var b = SharedStore.of(Integer.class, String.class);
        b = dir == null ? b.name("race-" + round) : b.persistedTo(dir.resolve("race-" + round + ".store"));
        if (!create) {
            return b.open();
        }
        return b.entries(20_000).averageValueSize(24).lifetime(Lifetime.PERSISTENT).create();
    }

    private static void destroy(Path dir, int round) throws Exception {
        try (SharedStore<Integer, String> s = store(dir, round, false)) {
            s.destroy();
        }
        if (dir != null) {
            Files.deleteIfExists(dir.resolve("race-" + round + ".store"));
        }
    }

    /**
     * Three threads get, put (and compute, merge, remove) or iterate, or follow the change feed, while
     * this thread closes the store after a random moment. Then the store is opened again: it verifies
     * clean, no segment lock was left held (a put with a short lock timeout goes through in every
     * segment), and every put that returned is there.
     */
    private static void storeRound(String scenario, Path dir, int round) throws Exception {
        SharedStore<Integer, String> s = store(dir, round, true);
        for (int k = 0; k < 2_000; k++) {
            s.put(k, "v" + k);
        }
        Map<Integer, String> acknowledged = new ConcurrentHashMap<>();
        race(id -> {
            ThreadLocalRandom rnd = ThreadLocalRandom.current();
            ChangeCursor<Integer> cursor = scenario.equals("cursor") ? s.changes().cursorFrom(0) : null;
            try {
                for (long i = 0; ; i++) {
                    int k = rnd.nextInt(4_000 / THREADS) * THREADS + id;
                    switch (scenario) {
                        case "get" -> s.get(k);
                        case "put" -> write(s, id, i, k, acknowledged);
                        case "iterate" -> s.entrySet().forEach(e -> {
                        });
                        default -> {
                            if (id == 0) {
                                write(s, id, i, k, acknowledged);
                            } else if (cursor.await(Duration.ofMillis(50))) {
                                cursor.poll((seq, type, key) -> {
                                });
                            }
                        }
                    }
                }
            } finally {
                if (cursor != null) {
                    cursor.close();
                }
            }
        }, s::close);
        try (SharedStore<Integer, String> again = store(dir, round, false)) {
            check(again.verify().isEmpty(), "verify after the close: " + again.verify());
            var quick = SharedStore.of(Integer.class, String.class).lockTimeout(Duration.ofMillis(200));
            try (SharedStore<Integer, String> probe = dir == null ? quick.name("race-" + round).open()
                    : quick.persistedTo(dir.resolve("race-" + round + ".store")).open()) {
                for (int k = 0; k < 4_000; k++) {
                    probe.put(-1 - k, "probe");
                }
            }
            acknowledged.forEach((k, v) -> check(v.isEmpty() ? again.get(k) == null : v.equals(again.get(k)),
                    "acknowledged write " + k + "=\"" + v + "\" reads " + again.get(k)));
        }
        destroy(dir, round);
    }

    /**
     * A write of a value unique to the thread and step to one of the thread's own keys, remembered
     * once it returned ({@code ""} for a remove): the state every key must have after the close.
     */
    private static void write(SharedStore<Integer, String> s, int id, long i, int k, Map<Integer, String> acked) {
        String v = "t" + id + "-" + i;
        switch ((int) (i % 4)) {
            case 0 -> s.put(k, v);
            case 1 -> s.compute(k, (key, old) -> v);
            case 2 -> s.merge(k, v, (a, b) -> b);
            default -> s.remove(k);
        }
        acked.put(k, i % 4 == 3 ? "" : v);
    }

    /** The reproduction from the issue: a cursor, the feed and its calls after the store's close. */
    private static void cursorAfterClose(Path dir, int round) throws Exception {
        SharedStore<Integer, String> s = store(dir, round, true);
        s.put(1, "one");
        ChangeFeed<Integer> feed = s.changes();
        ChangeCursor<Integer> c = feed.cursorFrom(0);
        s.close();
        expectClosed(() -> c.poll((seq, type, key) -> {
        }));
        expectClosed(() -> c.await(Duration.ofMillis(10)));
        expectClosed(feed::lastSequence);
        expectClosed(feed::cursor);
        expectClosed(s::changes);
        expectClosed(() -> s.get(1));
        c.close();
        destroy(dir, round);
    }

    /** The README's consumer loop, shut down as the README does: running = false, then close. */
    private static void consumerLoop(Path dir, int round) throws Exception {
        SharedStore<Integer, String> s = store(dir, round, true);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        AtomicInteger seen = new AtomicInteger();
        var running = new java.util.concurrent.atomic.AtomicBoolean(true);
        Thread consumer = start(failure, () -> {
            try (ChangeCursor<Integer> c = s.changes().cursor()) {
                while (running.get()) {
                    if (c.await(Duration.ofSeconds(1))) {
                        c.poll((seq, type, key) -> seen.incrementAndGet());
                    }
                }
            }
        });
        for (int k = 0; k < 100; k++) {
            s.put(k, "v");
        }
        Thread.sleep(ThreadLocalRandom.current().nextInt(3));
        running.set(false);
        s.close();
        join(List.of(consumer), failure);
        destroy(dir, round);
    }

    /**
     * Threads read and write a view's bytes (one through short-lived {@code Bytes} cursors, which
     * reserve the bytes while they exist) while it closes.
     */
    private static void viewRound(int round) throws Exception {
        try (SharedMemory mem = SharedMemory.create("view-" + round, 1 << 20)) {
            MemoryView view = mem.map(0, mem.size(), Access.READ_WRITE);
            BytesStore<?, Void> bytes = view.bytes();
            race(id -> {
                for (long i = 0; ; i++) {
                    long at = (i * 4096 + id * 8) % (mem.size() - 8);
                    if (id == 0) {
                        bytes.writeLong(at, i);
                    } else if (id == 1) {
                        bytes.readLong(at);
                    } else {
                        var cursor = bytes.bytesForRead();
                        try {
                            cursor.readPosition(at);
                            cursor.readLong();
                        } finally {
                            cursor.releaseLast();
                        }
                    }
                }
            }, view::close);
        }
    }

    /**
     * Threads take and release a mutex through one handle, and one waits for it, while it closes; then
     * another handle takes it at once: the close left it held by no one.
     */
    private static void mutexRound(int round) throws Exception {
        NamedMutex m = NamedMutex.createOrOpen("mutex-" + round);
        try (NamedMutex keep = NamedMutex.createOrOpen("mutex-" + round)) {
            race(id -> {
                while (true) {
                    m.acquire(Duration.ofSeconds(5));
                    try {
                        m.ownerPid();
                    } finally {
                        m.release();
                    }
                }
            }, m::close);
            check(keep.acquire(Duration.ofMillis(200)) == Ownership.ACQUIRED, "the mutex was left held");
            keep.release();
        }
    }

    /**
     * Threads take and give back permits through one handle, one of them waiting for more than are free,
     * while it closes; then another handle of this process finds every permit either free or held by the
     * process (those whose release came after the close), none lost or made, and gives the held ones back.
     */
    private static void semaphoreRound(int round) throws Exception {
        NamedSemaphore s = NamedSemaphore.createOrOpen("semaphore-" + round, 2, 2);
        try (NamedSemaphore keep = NamedSemaphore.createOrOpen("semaphore-" + round, 2, 2)) {
            race(id -> {
                while (true) {
                    int permits = id == 0 ? 2 : 1;
                    if (s.tryAcquire(permits, Duration.ofSeconds(5))) {
                        try {
                            s.availablePermits();
                        } finally {
                            s.release(permits);
                        }
                    }
                }
            }, s::close);
            int held = keep.heldByThisProcess();
            check(held + keep.availablePermits() == 2, "permits lost or made: " + held + " held, "
                    + keep.availablePermits() + " available of 2");
            if (held > 0) {
                keep.release(held);
            }
            check(keep.tryAcquire(2, Duration.ofMillis(200)), "the permits did not all come back");
            keep.release(2);
        }
    }

    /** Threads wait on and signal an event through one handle while it closes. */
    private static void eventRound(int round) throws Exception {
        NamedEvent e = NamedEvent.createOrOpen("event-" + round, EventMode.AUTO_RESET);
        race(id -> {
            while (true) {
                if (id == 0) {
                    e.signal();
                } else {
                    e.await(Duration.ofSeconds(5));
                }
            }
        }, e::close);
    }

    /**
     * Runs {@code body(id)} on {@value #THREADS} threads, closes with {@code close} at a random moment
     * once they all run, and waits for them to end (see {@link #start}).
     */
    private static void race(ThreadBody body, ThrowingRunnable close) throws Exception {
        AtomicReference<Throwable> failure = new AtomicReference<>();
        CountDownLatch started = new CountDownLatch(THREADS);
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < THREADS; t++) {
            int id = t;
            threads.add(start(failure, () -> {
                started.countDown();
                body.run(id);
            }));
        }
        started.await();
        Thread.sleep(ThreadLocalRandom.current().nextInt(5));
        close.run();
        join(threads, failure);
    }

    /** A thread whose loop ends at the first IllegalStateException; anything else is recorded. */
    private static Thread start(AtomicReference<Throwable> failure, ThrowingRunnable body) {
        Thread t = new Thread(() -> {
            try {
                body.run();
            } catch (IllegalStateException closed) {
                closedSeen.incrementAndGet();
            } catch (Throwable e) {
                failure.compareAndSet(null, e);
            }
        });
        t.start();
        return t;
    }

    private static void join(List<Thread> threads, AtomicReference<Throwable> failure) throws Exception {
        for (Thread t : threads) {
            t.join(30_000);
            check(!t.isAlive(), "a thread still runs 30 s after the close");
        }
        if (failure.get() != null) {
            throw new AssertionError("a thread failed", failure.get());
        }
    }

    private static void expectClosed(ThrowingRunnable r) {
        try {
            r.run();
        } catch (IllegalStateException expected) {
            closedSeen.incrementAndGet();
            return;
        } catch (Throwable e) {
            throw new AssertionError("expected IllegalStateException, got " + e, e);
        }
        throw new AssertionError("a call after close did not throw IllegalStateException");
    }

    private static void check(boolean ok, String what) {
        if (!ok) {
            throw new AssertionError(what);
        }
    }

    @FunctionalInterface
    private interface ThrowingRunnable {
        void run() throws Exception;
    }

    @FunctionalInterface
    private interface ThreadBody {
        void run(int id) throws Exception;
    }
}
