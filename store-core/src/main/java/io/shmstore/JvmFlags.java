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
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The JVM flags for a process that uses ShmStore, for the Java it runs on. The list is written into
 * this jar by the build from the one list in the parent pom, so tools that start JVMs (the examples'
 * demo, the benchmarks' forks, tests' child processes) all pass exactly the same flags: the
 * benchmarks' forks through {@link #all()}, every other child JVM through {@link #childCommand}.
 *
 * <p>{@link #all()} is the whole list, which this project's own JVMs get; {@link #required()} is what
 * an application needs, and {@link #argFile()} the same as an argument file.
 *
 * <p>What each flag is for, and which ShmStore needs (checked on Java 17 and 25, see the README):
 * <ul>
 *   <li>{@code -Dchronicle.analytics.disable=true} and the other system properties: Chronicle's
 *       analytics and disk monitor stay off; ShmStore never phones home.</li>
 *   <li>The module opens and exports: Chronicle's list for Java 17. ShmStore works without them
 *       (store-core's suite passes on Java 17 with none of them, on both POSIX backends); an application
 *       needs only the one {@link #required()} names, to keep Chronicle quiet. A flag for a module that
 *       the running Java lacks (a jlinked runtime without {@code jdk.compiler}) is left out, as the JVM
 *       would warn about it.</li>
 *   <li>{@code --enable-native-access=ALL-UNNAMED}, from Java 22: JNA and Chronicle's jffi load
 *       native libraries, which Java 24 and later warn about without it.</li>
 *   <li>{@code --sun-misc-unsafe-memory-access=allow}, from Java 23: Chronicle Bytes reaches memory
 *       through {@code sun.misc.Unsafe}, which Java 24 and later warn about without it, and which a
 *       later Java will refuse without it.</li>
 * </ul>
 * A flag is given only to a Java that knows it: the launcher refuses an option it does not know.
 */
public final class JvmFlags {
    /** The first Java feature release that knows {@code --enable-native-access} as a standard option. */
    static final int NATIVE_ACCESS_SINCE = 22;
    /** The first Java feature release that knows {@code --sun-misc-unsafe-memory-access}. */
    static final int UNSAFE_ACCESS_SINCE = 23;

    private static final Properties LIST = load();
    private static final List<String> FLAGS = forJava(Runtime.version().feature(),
            ModuleLayer.boot().modules().stream().map(Module::getName).collect(Collectors.toUnmodifiableSet()));

    private JvmFlags() {
    }

    /**
     * Every flag for this JVM's Java version and modules, ready for a command line.
     *
     * @return an unmodifiable list of flags
     */
    public static List<String> all() {
        return FLAGS;
    }

    /**
     * Every flag for a Java of feature release {@code feature} (17, 21, 25…) whose runtime has
     * {@code modules}: the module opens and exports of modules it has, the launcher options it knows,
     * and the system properties.
     *
     * @param feature the Java feature release, at least 17
     * @param modules the names of the runtime's modules, as {@link ModuleLayer#boot()} has them
     * @return an unmodifiable list of flags
     * @throws IllegalArgumentException naming the release when it is below 17
     */
    public static List<String> forJava(int feature, Set<String> modules) {
        checkFeature(feature);
        List<String> out = new ArrayList<>();
        for (String pair : words(LIST.getProperty("add.opens"))) {
            if (modules.contains(moduleOf(pair))) {
                out.add("--add-opens=" + pair + "=ALL-UNNAMED");
            }
        }
        for (String pair : words(LIST.getProperty("add.exports"))) {
            if (modules.contains(moduleOf(pair))) {
                out.add("--add-exports=" + pair + "=ALL-UNNAMED");
            }
        }
        for (String f : requiredFor(feature)) {
            if (!out.contains(f)) {
                out.add(f);
            }
        }
        return Collections.unmodifiableList(out);
    }

    /**
     * The flags an application needs on this JVM's Java to run ShmStore without warnings (see
     * {@link #requiredFor(int)}).
     *
     * @return an unmodifiable list of flags
     */
    public static List<String> required() {
        return requiredFor(Runtime.version().feature());
    }

    /**
     * The flags an application needs on a Java of feature release {@code feature}. ShmStore runs without
     * any; these keep it quiet. On every version, {@code --add-opens=java.base/java.lang.reflect=ALL-UNNAMED}:
     * without it Chronicle Core prints one line to stderr on first use ("Unable to determine max direct
     * memory", which it then reports as 0; ShmStore does not use it). From Java 22 and 23, where the launcher knows them, the
     * native access and {@code sun.misc.Unsafe} options: Java 24 and later print four {@code WARNING}
     * lines for each without them. Last, the system properties that keep Chronicle's analytics off
     * (Chronicle Bytes and Core send none; the promise holds whatever else of Chronicle is present).
     *
     * @param feature the Java feature release, at least 17
     * @return an unmodifiable list of flags
     * @throws IllegalArgumentException naming the release when it is below 17
     */
    public static List<String> requiredFor(int feature) {
        checkFeature(feature);
        List<String> out = new ArrayList<>();
        for (String pair : words(LIST.getProperty("required.opens"))) {
            out.add("--add-opens=" + pair + "=ALL-UNNAMED");
        }
        if (feature >= NATIVE_ACCESS_SINCE) {
            out.addAll(words(LIST.getProperty("native.access")));
        }
        if (feature >= UNSAFE_ACCESS_SINCE) {
            out.addAll(words(LIST.getProperty("unsafe.access")));
        }
        out.addAll(words(LIST.getProperty("system.props")));
        return Collections.unmodifiableList(out);
    }

    /**
     * The flags of {@link #required()} as the text of a {@code java @file} argument file, one flag a
     * line, headed by a comment naming the Java version it is for: write it to a file and start the
     * application with {@code java @shmstore.args ...} ({@code java -jar shmstore.jar flags} prints it).
     *
     * @return the argument file's text
     */
    public static String argFile() {
        return "# JVM flags for ShmStore on Java " + Runtime.version().feature() + " (io.shmstore.JvmFlags.argFile())\n"
                + String.join("\n", required()) + "\n";
    }

    /**
     * The command line of a JVM that runs {@code mainClass} with {@code args} beside this one: this
     * JVM's {@code java} and class path, {@link #all()}, this JVM's ShmStore settings (the
     * {@code shmstore.dir} and {@code shmstore.backend} system properties, where set) so that the child
     * finds the same objects through the same backend, then {@code jvmOptions}, last so that they win.
     *
     * @param mainClass  the class whose {@code main} the child runs
     * @param jvmOptions options for the child JVM, after ShmStore's
     * @param args       the arguments of {@code main}
     * @return the command line, a mutable list for callers that run it through another program
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

    private static void checkFeature(int feature) {
        if (feature < 17) {
            throw new IllegalArgumentException("Java " + feature + " is older than ShmStore's minimum, Java 17");
        }
    }

    private static String moduleOf(String pair) {
        int slash = pair.indexOf('/');
        return slash < 0 ? pair : pair.substring(0, slash);
    }

    private static Properties load() {
        Properties p = new Properties();
        try (InputStream in = JvmFlags.class.getResourceAsStream("jvm-flags.properties")) {
            if (in == null) {
                throw new IllegalStateException("jvm-flags.properties is missing from the store-core jar");
            }
            p.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return p;
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
