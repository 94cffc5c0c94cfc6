package io.shmstore.examples;

import io.shmstore.StoreInspector;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.util.concurrent.Callable;

/**
 * Removes a store's name now, whatever its lifetime. Processes that have it open keep their mapping
 * until they close it; new openers no longer find it.
 */
@Command(name = "destroy", description = "Remove a store now; processes that have it open keep using it until they close.")
final class DestroyCommand implements Callable<Integer> {
    @Spec
    private CommandSpec spec;

    @Parameters(index = "0", paramLabel = "NAME", description = "The store.")
    private String name;

    @Override
    public Integer call() {
        try (StoreInspector store = StoreInspector.open(name)) {
            store.destroy();
        }
        spec.commandLine().getOut().println("destroyed store \"" + name + "\"");
        return 0;
    }
}
