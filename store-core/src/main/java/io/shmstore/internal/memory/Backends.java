package io.shmstore.internal.memory;

import io.shmstore.internal.platform.Backend;
import io.shmstore.internal.platform.ShmDirectory;
import io.shmstore.internal.platform.posix.PosixBackend;

import java.nio.file.Path;
import java.util.Locale;

/**
 * Picks the backend for this process, once, by operating system. The system property
 * {@code shmstore.backend} ({@code linux}, {@code posix-nio}, {@code windows}) forces one, which is
 * how the contract tests run the portable backend on Linux too.
 *
 * <p>The memory layer is the only caller of a backend: choosing it belongs here, above the backends,
 * which know nothing of each other.
 */
public final class Backends {
    public static final String BACKEND_PROPERTY = "shmstore.backend";

    private static volatile Backend current;

    static {
        // before any backend touches Chronicle
        QuietChronicle.apply();
    }

    private Backends() {
    }

    public static Backend current() {
        Backend b = current;
        if (b == null) {
            synchronized (Backends.class) {
                b = current;
                if (b == null) {
                    b = select(System.getProperty(BACKEND_PROPERTY, ""));
                    current = b;
                }
            }
        }
        return b;
    }

    /** A backend by name, for tests that run the same contract against each. */
    public static Backend select(String requested) {
        String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
        String name = requested.isEmpty() ? defaultName(os) : requested;
        switch (name) {
            case "windows":
                return windows();
            case "linux":
                return PosixBackend.linux(Backends::directory);
            case "posix-nio":
                return PosixBackend.portable(Backends::directory);
            default:
                throw new IllegalArgumentException("unknown backend \"" + name
                        + "\" in -D" + BACKEND_PROPERTY + ": use linux, posix-nio or windows");
        }
    }

    /**
     * Loaded by name so that no Win32 class is linked on other systems; the class is compiled in every
     * build all the same.
     */
    private static Backend windows() {
        try {
            return (Backend) Class.forName("io.shmstore.internal.platform.windows.WindowsBackend")
                    .getDeclaredConstructor().newInstance();
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot load the windows backend", e);
        }
    }

    private static String defaultName(String os) {
        if (os.startsWith("windows")) {
            return "windows";
        }
        if (os.startsWith("linux") && PosixBackend.linuxSupported()) {
            return "linux";
        }
        return "posix-nio";
    }

    /** The directory memory-only objects live in ({@link ShmDirectory}). */
    public static Path directory() {
        return ShmDirectory.resolve();
    }
}
