package io.shmstore;

import io.shmstore.internal.memory.Backends;
import io.shmstore.internal.platform.ShmDirectory;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Properties;

/**
 * The JVM flags a process using ShmStore needs on Java 17: the module opens and exports that
 * Chronicle Bytes relies on, and {@code -Dchronicle.analytics.disable=true} (ShmStore never phones
 * home). The list is written into this jar by the build from the one list in the parent pom, so tools
 * that start JVMs (the examples' demo, the benchmarks' forks, tests' child processes) all pass exactly
 * the same flags: the benchmarks' forks through {@link #all()}, every other child JVM through
 * {@link #childCommand}.
 */
public final class JvmFlags {
    private static final List<String> FLAGS = load();

    private JvmFlags() {
    }

    /** Every flag, ready for a command line. */
    public static List<String> all() {
        return FLAGS;
    }

    /**
     * The command line of a JVM that runs {@code mainClass} with {@code args} beside this one: this
     * JVM's {@code java} and class path, {@link #all()}, this JVM's ShmStore settings (the
     * {@code shmstore.dir} and {@code shmstore.backend} system properties, where set) so that the child
     * finds the same objects through the same backend, then {@code jvmOptions}, last so that they win.
     * The list is mutable, for callers that run the command through another program.
     */
    public static List<String> childCommand(Class<?> mainClass, List<String> jvmOptions, String... args) {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(FLAGS);
        for (String setting : new String[]{ShmDirectory.PROPERTY, Backends.BACKEND_PROPERTY}) {
            String value = System.getProperty(setting);
            if (value != null) {
                cmd.add("-D" + setting + "=" + value);
            }
        }
        cmd.addAll(jvmOptions);
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(mainClass.getName());
        cmd.addAll(List.of(args));
        return cmd;
    }

    /** Sets the system properties among the flags in this JVM, for programs that cannot pass flags. */
    public static void applySystemProperties() {
        for (String f : FLAGS) {
            if (f.startsWith("-D")) {
                int eq = f.indexOf('=');
                String key = eq < 0 ? f.substring(2) : f.substring(2, eq);
                if (System.getProperty(key) == null) {
                    System.setProperty(key, eq < 0 ? "" : f.substring(eq + 1));
                }
            }
        }
    }

    private static List<String> load() {
        Properties p = new Properties();
        try (InputStream in = JvmFlags.class.getResourceAsStream("jvm-flags.properties")) {
            if (in == null) {
                throw new IllegalStateException("jvm-flags.properties is missing from the store-core jar");
            }
            p.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<String> out = new ArrayList<>();
        for (String pair : words(p.getProperty("add.opens"))) {
            out.add("--add-opens=" + pair + "=ALL-UNNAMED");
        }
        for (String pair : words(p.getProperty("add.exports"))) {
            out.add("--add-exports=" + pair + "=ALL-UNNAMED");
        }
        out.addAll(words(p.getProperty("system.props")));
        return Collections.unmodifiableList(out);
    }

    private static List<String> words(String s) {
        List<String> out = new ArrayList<>();
        if (s != null) {
            for (String w : s.trim().split("\\s+")) {
                if (!w.isEmpty()) {
                    out.add(w);
                }
            }
        }
        return out;
    }
}
