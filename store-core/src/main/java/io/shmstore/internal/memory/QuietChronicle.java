package io.shmstore.internal.memory;

import java.util.logging.Level;
import java.util.logging.LogManager;
import java.util.logging.Logger;

/**
 * Keeps one misleading Chronicle warning off a user's console, before ShmStore first touches Chronicle.
 *
 * <p>Chronicle Bytes picks a {@code ByteBuffer} cleaner by instantiating every one it knows, and the
 * reflection-based one, when {@code jdk.internal.ref} is not exported to it, logs through
 * {@code java.util.logging} that the user should set {@code --illegal-access=permit} (an option that
 * Java 17 ignores). Chronicle then picks the Java 9 cleaner, which needs no flag, so the warning
 * announces nothing: its logger is set to {@code SEVERE} here, unless the application configured a
 * level for it itself. The logger is held for the life of the class loader, since
 * {@code java.util.logging} forgets the level of a logger nobody holds.
 */
final class QuietChronicle {
    static final String CLEANER_LOGGER =
            "net.openhft.chronicle.core.internal.cleaner.ReflectionBasedByteBufferCleanerService";

    private static final Logger HELD = quiet();

    private QuietChronicle() {
    }

    /** Applies the setting once per class loader; later calls do nothing. */
    static Logger apply() {
        return HELD;
    }

    private static Logger quiet() {
        Logger logger = Logger.getLogger(CLEANER_LOGGER);
        if (logger.getLevel() == null && LogManager.getLogManager().getProperty(CLEANER_LOGGER + ".level") == null) {
            logger.setLevel(Level.SEVERE);
        }
        return logger;
    }
}
