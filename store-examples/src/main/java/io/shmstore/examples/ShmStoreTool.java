package io.shmstore.examples;

import io.shmstore.JvmFlags;
import io.shmstore.StoreException;

import java.io.IOException;
import java.io.PrintStream;
import java.util.Arrays;

/**
 * The {@code shmstore} command: {@code java -jar store-examples/target/shmstore.jar <command>}.
 * Errors a user can cause print one line and exit non-zero; no stack trace.
 */
public final class ShmStoreTool {
    private ShmStoreTool() {
    }

    public static void main(String[] args) {
        JvmFlags.applySystemProperties();
        System.exit(run(args, System.out, System.err));
    }

    /** Runs a command; returns the exit code. */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        if (args.length == 0 || args[0].equals("--help") || args[0].equals("-h") || args[0].equals("help")) {
            usage(out);
            return args.length == 0 ? 2 : 0;
        }
        String[] rest = Arrays.copyOfRange(args, 1, args.length);
        try {
            switch (args[0]) {
                case "demo":
                    return Demo.run(rest, out);
                case "demo-reader":
                    return Demo.reader(rest, out);
                default:
                    err.println("shmstore: unknown command \"" + args[0] + "\"; try --help");
                    return 2;
            }
        } catch (StoreException | IllegalArgumentException | IllegalStateException e) {
            err.println("shmstore " + args[0] + ": " + e.getMessage());
            return 1;
        } catch (IOException e) {
            err.println("shmstore " + args[0] + ": " + e);
            return 1;
        }
    }

    private static void usage(PrintStream out) {
        out.println("usage: java -jar shmstore.jar <command> [options]");
        out.println();
        out.println("commands:");
        out.println("  demo            create a named mapping, open it from a second JVM, signal it with a");
        out.println("                  named event and read it there; removes the mapping at the end");
        out.println("  demo --help     options of the demo");
    }
}
