package io.shmstore.internal.store;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;

/**
 * ShmStore's own events, through {@link System.Logger} (logger {@code io.shmstore.store}): no logging
 * dependency, and an application routes them wherever its platform logging goes ({@code java.util.logging}
 * by default, or a {@code System.LoggerFinder} such as SLF4J's or Log4j's bridge).
 * <ul>
 *   <li>{@code WARNING}: a segment repaired online, after its last writer died holding the lock or after a
 *       writer found damage, with the entries dropped;</li>
 *   <li>{@code INFO}: change records a feed cursor lost (lapped by writers, or given up because their
 *       writer died mid-append);</li>
 *   <li>{@code DEBUG}: a segment growing its table or its data.</li>
 * </ul>
 * Each is rare and off the hot path; the message is built only when the level is enabled.
 */
final class StoreLog {
    static final String NAME = "io.shmstore.store";
    private static final Logger LOG = System.getLogger(NAME);

    private StoreLog() {
    }

    static void repaired(String store, int segment, String why, int dropped) {
        if (LOG.isLoggable(Level.WARNING)) {
            LOG.log(Level.WARNING, "store \"" + store + "\", segment " + segment + ": " + why + "; repaired online, "
                    + dropped + " damaged " + (dropped == 1 ? "entry" : "entries") + " dropped");
        }
    }

    static void lost(String store, long lost, long resumedAt) {
        if (LOG.isLoggable(Level.INFO)) {
            LOG.log(Level.INFO, "change feed of store \"" + store + "\": a cursor lost " + lost + " change "
                    + (lost == 1 ? "record" : "records") + " (lapped by writers, or given up as their writer died);"
                    + " it resumes at " + resumedAt);
        }
    }

    static void grew(String store, int segment, String what, long from, long to) {
        if (LOG.isLoggable(Level.DEBUG)) {
            LOG.log(Level.DEBUG, "store \"" + store + "\", segment " + segment + ": " + what + " grew from " + from
                    + " to " + to);
        }
    }
}
