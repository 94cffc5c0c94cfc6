package io.shmstore.examples;

import io.shmstore.StoreInspector;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * Walks every structure of a store ({@link StoreInspector#verify()}) and prints each problem; the exit
 * code says whether there was any, so scripts can check a store.
 */
@Command(name = "verify", description = "Check every structure of a store; exit 1 and list the problems if any.")
final class VerifyCommand implements Callable<Integer> {
    @Spec
    private CommandSpec spec;

    @Mixin
    private StoreArg target;

    @Override
    @SuppressWarnings("try") // the ticker draws while verify() runs; the body needs no reference to it
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        List<String> problems;
        int entries;
        try (StoreInspector store = target.open()) {
            entries = store.size();
            try (Progress progress = Progress.ticker(spec.commandLine().getErr(), "verifying \"" + target.label() + "\"")) {
                problems = store.verify();
            }
        }
        if (problems.isEmpty()) {
            out.printf("ok: \"%s\" has no problems (%,d entries)%n", target.label(), entries);
            return 0;
        }
        problems.forEach(out::println);
        out.printf("%d problem%s in \"%s\"%n", problems.size(), problems.size() == 1 ? "" : "s", target.label());
        return ShmStoreTool.USER_ERROR;
    }
}
