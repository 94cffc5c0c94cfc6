package io.shmstore.examples;

import io.shmstore.IncompatibleFormatException;
import io.shmstore.StoreInspector;
import io.shmstore.memory.Access;
import io.shmstore.memory.SharedMemory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * Removes a store's name now, whatever its lifetime. Processes that have it open keep their mapping
 * until they close it; new openers no longer find it.
 *
 * <p>A store of another format version (made by another ShmStore release) is removed as well: its header
 * says it is a store, though not one this tool reads. The companions that {@code produce} and
 * {@code consume} keep beside a store ({@code NAME.producer}, {@code NAME.consumer}) are separate stores:
 * they are named when they remain, and removed with {@code --with-companions}.
 */
@Command(name = "destroy", description = "Remove a store now; processes that have it open keep using it until they close.")
final class DestroyCommand implements Callable<Integer> {
    @Spec
    private CommandSpec spec;

    @Mixin
    private StoreArg target;

    @Option(names = "--with-companions",
            description = "Also remove the producer's and consumer's companion stores (NAME.producer, NAME.consumer).")
    private boolean withCompanions;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        out.println("destroyed " + destroy(target.name(), target.file()) + " \"" + target.label() + "\"");
        List<String> remaining = new ArrayList<>();
        for (String companion : target.companions()) {
            Path file = target.file() == null ? null : Path.of(companion);
            if (!exists(companion, file)) {
                continue;
            }
            if (withCompanions) {
                out.println("destroyed " + destroy(file == null ? companion : null, file) + " \"" + companion + "\"");
            } else {
                remaining.add(companion);
            }
        }
        if (!remaining.isEmpty()) {
            out.println("its companion" + (remaining.size() == 1 ? " remains: " : "s remain: ") + String.join(", ", remaining)
                    + " (where produce and consume keep their positions); destroy them too with --with-companions");
        }
        out.flush();
        return 0;
    }

    /** Removes the store of {@code name} or {@code file}; returns what it was, for the message. */
    private static String destroy(String name, Path file) {
        try (StoreInspector store = file != null ? StoreInspector.open(file) : StoreInspector.open(name)) {
            store.destroy();
            return "store";
        } catch (IncompatibleFormatException otherRelease) {
            try (SharedMemory mem = file != null ? SharedMemory.openBackedBy(file, Access.READ_WRITE) : SharedMemory.open(name)) {
                mem.destroy();
            }
            return "store of format version " + otherRelease.foundVersion();
        }
    }

    private static boolean exists(String name, Path file) {
        if (file != null) {
            return Files.exists(file);
        }
        return SharedMemory.list().stream().anyMatch(o -> o.name().equals(name));
    }

}
