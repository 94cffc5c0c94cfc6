package io.shmstore.examples;

import io.shmstore.JvmFlags;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.util.concurrent.Callable;

/**
 * The JVM flags an application needs for ShmStore on the Java running this command, as an argument file:
 * {@code java -jar shmstore.jar flags > shmstore.args}, then {@code java @shmstore.args -cp ... Main}.
 * Run it with the Java the application runs on: each Java version needs its own.
 */
@Command(name = "flags", description = "Print the JVM flags an application needs on this Java, as a java @argfile.")
final class FlagsCommand implements Callable<Integer> {
    @Spec
    private CommandSpec spec;

    @Option(names = "--all", description = "Every flag this project's own JVMs get (module opens and exports too).")
    private boolean all;

    @Override
    public Integer call() {
        spec.commandLine().getOut().print(all
                ? "# every JVM flag of ShmStore's own JVMs on Java " + Runtime.version().feature() + "\n"
                + String.join("\n", JvmFlags.all()) + "\n"
                : JvmFlags.argFile());
        return 0;
    }
}
