package io.shmstore.examples;

import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/** The Spring example's workload, shared by {@code spring-cache} and {@code spring-demo}. */
final class SquaresOptions {
    @Option(names = "--numbers", defaultValue = "10", paramLabel = "N", description = "Squares of 1 to N (default: ${DEFAULT-VALUE}).")
    int numbers;

    @Option(names = "--compute-ms", defaultValue = "200", paramLabel = "MS",
            description = "Time to compute one square (default: ${DEFAULT-VALUE}).")
    int computeMillis;

    void check(CommandSpec spec) {
        if (numbers < 1 || numbers > 100_000 || computeMillis < 0) {
            throw new ParameterException(spec.commandLine(), "--numbers must be 1 to 100000, --compute-ms not negative");
        }
    }
}
