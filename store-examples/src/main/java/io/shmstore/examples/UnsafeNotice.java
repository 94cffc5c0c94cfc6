package io.shmstore.examples;

import java.lang.management.ManagementFactory;
import java.lang.reflect.Field;

/**
 * Keeps Java's notice about {@code sun.misc.Unsafe} off the tool's output, on the Java versions that
 * print it (24 and later), unless the user chose a mode with {@code --sun-misc-unsafe-memory-access}.
 *
 * <p>Chronicle Bytes, under the store, reaches memory through {@code sun.misc.Unsafe}; Java 24 and
 * later print four {@code WARNING} lines the first time any code does, unless the JVM was started with
 * {@code --sun-misc-unsafe-memory-access=allow}. A jar's manifest cannot carry that option (it can
 * carry {@code Enable-Native-Access}, which this jar does), and {@code java -jar shmstore.jar} is to
 * need no flags. So the tool does what the notice's own bookkeeping does after printing it: it marks the
 * notice as given ({@code sun.misc.Unsafe.memoryAccessWarned}, in a package that {@code jdk.unsupported}
 * opens to everyone). The access mode stays the JVM's default; only the notice is not printed. On a
 * Java where the field is absent or the default is to refuse, nothing changes here, and the JVM
 * behaves as it would without the tool.
 *
 * <p>This is the tool's choice for its own process. The library does not make it for an application:
 * there the flags of {@code io.shmstore.JvmFlags} (or {@code shmstore flags}) apply.
 */
final class UnsafeNotice {
    /** The first Java release that prints the notice by default. */
    static final int NOTICE_SINCE = 24;

    private UnsafeNotice() {
    }

    /** @return true when the notice was marked as given, false when there was nothing to do or it could not be */
    static boolean settle() {
        if (Runtime.version().feature() < NOTICE_SINCE || userChoseAMode()) {
            return false;
        }
        try {
            Field warned = Class.forName("sun.misc.Unsafe").getDeclaredField("memoryAccessWarned");
            warned.setAccessible(true);
            warned.setBoolean(null, true);
            return true;
        } catch (ReflectiveOperationException | RuntimeException otherJava) {
            return false;
        }
    }

    private static boolean userChoseAMode() {
        return ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
                .anyMatch(a -> a.startsWith("--sun-misc-unsafe-memory-access") || a.startsWith("-Dsun.misc.unsafe.memory.access"));
    }
}
