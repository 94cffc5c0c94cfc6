package io.shmstore.examples;

import io.shmstore.JvmFlags;
import io.shmstore.StoreException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Properties;
import java.util.concurrent.Callable;

/**
 * The {@code shmstore} command: {@code java -jar store-examples/target/shmstore.jar <command>}.
 *
 * <p>Errors a user can cause print one line on stderr and exit non-zero, never a stack trace: a bad
 * command line exits 2 (picocli's parameter exception handler), a store that is missing, of other
 * types, corrupt or badly named exits 1 (the execution exception handler). Anything else is a bug in
 * this tool and keeps its stack trace.
 *
 * <p>Standard output is buffered and flushed by the commands at the points that matter (the consumer
 * flushes before it saves its position, so a line it printed is never lost to a kill after the save),
 * not per line: a consumer that prints 200,000 lines must not make 200,000 system calls.
 */
@Command(name = "shmstore", scope = ScopeType.INHERIT, mixinStandardHelpOptions = true,
        versionProvider = ShmStoreTool.Version.class, sortOptions = false,
        description = "Share objects between processes through named shared memory: demos and operator commands.",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:done", "1:the store or the data refused the operation, or a check failed",
                "2:bad command line", "70:internal error (a bug: the stack trace is printed)"},
        subcommands = {DemoCommand.class, ProduceCommand.class, ConsumeCommand.class, CacheDemoCommand.class,
                CacheWorkerCommand.class, TierDemoCommand.class, TierWorkerCommand.class, SpringCacheCommand.class,
                SpringDemoCommand.class, ListCommand.class, StatsCommand.class, DumpCommand.class, VerifyCommand.class,
                WatchCommand.class, DestroyCommand.class, FlagsCommand.class})
public final class ShmStoreTool implements Callable<Integer> {
    static final int USER_ERROR = 1;
    static final int USAGE_ERROR = 2;
    static final int INTERNAL_ERROR = 70;
    private static final String LOG_FORMAT = "java.util.logging.SimpleFormatter.format";

    @Spec
    private CommandSpec spec;

    /**
     * Runs the command line and exits with its code.
     *
     * @param args the command line
     */
    public static void main(String[] args) {
        // before anything reaches Chronicle
        UnsafeNotice.settle();
        // ShmStore's own events (io.shmstore.store), one line each, unless the user chose a format
        if (System.getProperty(LOG_FORMAT) == null) {
            System.setProperty(LOG_FORMAT, "%4$s: %5$s%6$s%n");
        }
        JvmFlags.applySystemProperties();
        System.exit(run(args, System.out, System.err));
    }

    /**
     * Runs a command line.
     *
     * @param args the command line
     * @param out  where output goes
     * @param err  where errors go
     * @return the exit code
     */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        PrintWriter o = new PrintWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8), false);
        PrintWriter e = new PrintWriter(new OutputStreamWriter(err, StandardCharsets.UTF_8), true);
        try {
            return new CommandLine(new ShmStoreTool())
                    .setOut(o)
                    .setErr(e)
                    .setParameterExceptionHandler(ShmStoreTool::usageError)
                    .setExecutionExceptionHandler(ShmStoreTool::failure)
                    .execute(args);
        } finally {
            o.flush();
            e.flush();
        }
    }

    /** Sets {@code shmstore.dir} while the command line is parsed, so before any command opens anything. */
    @Option(names = "--dir", paramLabel = "DIR", scope = ScopeType.INHERIT,
            description = "Directory of memory-only objects (default: $SHMSTORE_DIR, else /dev/shm).")
    void dir(String dir) {
        System.setProperty("shmstore.dir", dir);
    }

    @Override
    public Integer call() {
        throw new ParameterException(spec.commandLine(), "missing command");
    }

    private static int usageError(ParameterException ex, String[] args) {
        CommandLine cmd = ex.getCommandLine();
        cmd.getErr().println(cmd.getCommandSpec().qualifiedName() + ": " + oneLine(ex.getMessage())
                + " (see " + cmd.getCommandSpec().qualifiedName() + " --help)");
        return USAGE_ERROR;
    }

    private static int failure(Exception ex, CommandLine cmd, CommandLine.ParseResult parsed) {
        if (ex instanceof StoreException || ex instanceof IllegalArgumentException || ex instanceof ToolException
                || ex instanceof UncheckedIOException || ex instanceof IOException) {
            cmd.getErr().println(cmd.getCommandSpec().qualifiedName() + ": " + oneLine(ex.getMessage()));
            return USER_ERROR;
        }
        ex.printStackTrace(cmd.getErr());
        return INTERNAL_ERROR;
    }

    private static String oneLine(String message) {
        return message == null ? "(no message)" : message.strip().replaceAll("\\s*\\R\\s*", "; ");
    }

    /** The version Maven recorded in the jar; a build from the IDE or the test class path has none. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() throws IOException {
            Properties p = new Properties();
            try (InputStream in = ShmStoreTool.class.getResourceAsStream(
                    "/META-INF/maven/io.shmstore/store-examples/pom.properties")) {
                if (in != null) {
                    p.load(in);
                }
            }
            return new String[]{"shmstore " + p.getProperty("version", "(development build)")};
        }
    }
}
