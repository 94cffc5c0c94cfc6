package io.shmstore.testing;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The threads a test starts, whose failures are the test's. A thread that dies on a bug would
 * otherwise only print its stack trace, and the test, which checks what the thread did rather than
 * whether it lived, could still pass. Here the first {@link Throwable} any of them throws is kept,
 * later ones are added to it as suppressed, and {@link #check()}, {@link #join(Duration)} and
 * {@link #close()} throw it, naming the thread. A thread still running when the test stops waiting
 * for it fails the test too.
 *
 * <p>Threads that loop until the test is done loop on {@link #running()}; {@link #close()} (or
 * {@link #stop()}) ends that.
 *
 * <pre>{@code
 * try (Background background = new Background()) {
 *     background.start("reader", () -> {
 *         while (background.running()) {
 *             ...
 *         }
 *     });
 *     ... the test, calling background.check() now and then to fail early
 * }
 * }</pre>
 */
public final class Background implements AutoCloseable {
    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(30);

    private final List<Thread> threads = new ArrayList<>();
    private volatile boolean running = true;
    private AssertionError failure;
    /**
     * Whether {@link #failure} was thrown already: it is thrown once, since a test that fails with it
     * in a try-with-resources block gets {@link #close()}'s throwable added to it, and a throwable
     * cannot suppress itself.
     */
    private boolean reported;

    /** A thread's body: it may throw anything, which fails the test. */
    @FunctionalInterface
    public interface Body {
        void run() throws Exception;
    }

    /** Starts {@code body} on a new thread named {@code name}. */
    public synchronized Thread start(String name, Body body) {
        Thread thread = new Thread(() -> {
            try {
                body.run();
            } catch (Throwable t) {
                failed(name, t);
            }
        }, name);
        threads.add(thread);
        thread.start();
        return thread;
    }

    /** True until {@link #stop()} or {@link #close()}: the condition of the threads' loops. */
    public boolean running() {
        return running;
    }

    /** Tells the threads that loop on {@link #running()} to end. */
    public void stop() {
        running = false;
    }

    /** Throws the first failure of a thread so far, if there is one and it was not thrown before. */
    public synchronized void check() {
        if (failure != null && !reported) {
            reported = true;
            throw failure;
        }
    }

    /**
     * Waits up to {@code timeout} in all for every thread to end, then fails the test with the first
     * failure of a thread, or names the threads still running.
     */
    public void join(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        List<Thread> alive = new ArrayList<>();
        for (Thread t : snapshot()) {
            try {
                t.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted while waiting for thread \"" + t.getName() + "\"", e);
            }
            if (t.isAlive()) {
                alive.add(t);
            }
        }
        check();
        if (!alive.isEmpty()) {
            AssertionError stuck = new AssertionError("still running " + timeout.toSeconds() + " s later: "
                    + alive.stream().map(Thread::getName).toList());
            for (Thread t : alive) {
                Throwable where = new Throwable("thread \"" + t.getName() + "\"");
                where.setStackTrace(t.getStackTrace());
                stuck.addSuppressed(where);
            }
            throw stuck;
        }
    }

    /** {@link #stop()}, then {@link #join(Duration)} with 30 s. */
    @Override
    public void close() {
        stop();
        join(CLOSE_TIMEOUT);
    }

    private synchronized List<Thread> snapshot() {
        return new ArrayList<>(threads);
    }

    private synchronized void failed(String name, Throwable t) {
        if (failure == null) {
            failure = new AssertionError("thread \"" + name + "\" failed: " + t, t);
        } else {
            failure.addSuppressed(t);
        }
    }
}
