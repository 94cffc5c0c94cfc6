package io.shmstore.jmh;

import io.shmstore.JvmFlags;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.CommandLineOptions;
import org.openjdk.jmh.runner.options.OptionsBuilder;

import java.util.ArrayList;
import java.util.List;

/**
 * {@code java -jar jmh/target/benchmarks.jar [JMH options]}: JMH's own command line, with ShmStore's
 * JVM flags (the parent pom's one list, carried in store-core) appended to every fork, before any
 * {@code -jvmArgsAppend} given on the command line.
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
        // the builder's own jvmArgsAppend replaces the command line's: carry the user's along after ours
        List<String> append = new ArrayList<>(JvmFlags.all());
        cli.getJvmArgsAppend().orElse(List.of()).forEach(append::add);
        new Runner(new OptionsBuilder().parent(cli).jvmArgsAppend(append.toArray(new String[0])).build()).run();
    }
}
