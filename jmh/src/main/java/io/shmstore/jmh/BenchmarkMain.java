package io.shmstore.jmh;

import io.shmstore.JvmFlags;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.CommandLineOptions;
import org.openjdk.jmh.runner.options.OptionsBuilder;

/**
 * {@code java -jar jmh/target/benchmarks.jar [JMH options]}: JMH's own command line, with ShmStore's
 * JVM flags (the parent pom's one list, carried in store-core) appended to every fork.
 */
public final class BenchmarkMain {
    private BenchmarkMain() {
    }

    public static void main(String[] args) throws Exception {
        JvmFlags.applySystemProperties();
        CommandLineOptions cli = new CommandLineOptions(args);
        if (cli.shouldHelp() || cli.shouldList() || cli.shouldListProfilers() || cli.shouldListResultFormats()) {
            org.openjdk.jmh.Main.main(args);
            return;
        }
        new Runner(new OptionsBuilder().parent(cli).jvmArgsAppend(JvmFlags.all().toArray(new String[0])).build()).run();
    }
}
