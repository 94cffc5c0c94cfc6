package io.shmstore.examples;

import java.io.PrintWriter;

/**
 * Progress of a long walk on stderr, drawn over one line with carriage returns, and only on a
 * terminal ({@code System.console() != null}): piped or captured output gets nothing, so scripts see
 * clean output and errors stay one line.
 *
 * <p>A walk that prints a line per step gets a bar ({@link #bar}, {@link #line}); {@link #ticker}
 * shows the time spent instead, from a daemon thread, for a single call that reports no progress
 * ({@code verify()}).
 */
final class Progress implements AutoCloseable {
    private static final long TICK_MILLIS = 250;
    private static final int WIDTH = 30;

    private final PrintWriter err;
    private final String label;
    private final long total;
    private final long started = System.nanoTime();
    private final Thread ticker;
    private long done;
    private boolean drawn;

    private Progress(PrintWriter err, String label, long total, boolean tick) {
        this.err = err;
        this.label = label;
        this.total = total;
        this.ticker = tick && err != null ? new Thread(this::tick, "progress") : null;
        if (ticker != null) {
            ticker.setDaemon(true);
            ticker.start();
        }
    }

    /** A bar for {@code total} lines; draws nothing unless this process runs on a terminal. */
    static Progress bar(PrintWriter err, String label, long total) {
        return new Progress(System.console() != null ? err : null, label, Math.max(1, total), false);
    }

    /** Elapsed seconds while one long call runs; draws nothing unless this process runs on a terminal. */
    static Progress ticker(PrintWriter err, String label) {
        return new Progress(System.console() != null ? err : null, label, 0, true);
    }

    /**
     * Prints one line of output and counts it as a step. On a terminal stdout and the bar share the
     * screen, so the bar is erased before the line and drawn again under it, and the line is flushed
     * at once (a buffered line would land in the middle of the bar). Elsewhere the line is only printed.
     */
    void line(PrintWriter out, String text) {
        if (err == null) {
            out.println(text);
            return;
        }
        erase();
        out.println(text);
        out.flush();
        done++;
        int filled = (int) Math.min(WIDTH, WIDTH * done / total);
        draw(String.format("%s [%s%s] %,d/%,d", label, "#".repeat(filled), ".".repeat(WIDTH - filled), done, total));
    }

    private void tick() {
        try {
            while (!Thread.currentThread().isInterrupted()) {
                draw(String.format("%s ... %d s", label, (System.nanoTime() - started) / 1_000_000_000L));
                Thread.sleep(TICK_MILLIS);
            }
        } catch (InterruptedException stopped) {
            Thread.currentThread().interrupt();
        }
    }

    private synchronized void draw(String text) {
        err.print("\r" + text + "\u001b[K");
        err.flush();
        drawn = true;
    }

    private synchronized void erase() {
        if (drawn) {
            err.print("\r\u001b[K");
            err.flush();
            drawn = false;
        }
    }

    /** Stops the ticker and erases the line, so that what follows starts clean. */
    @Override
    public void close() {
        if (ticker != null) {
            ticker.interrupt();
            try {
                ticker.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (err != null) {
            erase();
        }
    }
}
