package io.shmstore.examples;

import io.shmstore.StoreInspector;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.nio.file.Path;
import java.util.List;

/**
 * The store an operator command works on: a memory-only store by its {@code NAME}, or a file-backed
 * one by {@code --file PATH}, exactly one of them (else a usage error). A name that looks like a path
 * is refused as a bad name is (exit 1), naming the option to use rather than the name rules it breaks.
 */
final class StoreArg {
    @Spec(Spec.Target.MIXEE)
    private CommandSpec spec;

    @Parameters(index = "0", arity = "0..1", paramLabel = "NAME", description = "A memory-only store, by name.")
    private String name;

    @Option(names = "--file", paramLabel = "PATH", description = "A file-backed store, by its file.")
    private Path file;

    /** Opens the store for reading and writing (verify and destroy take locks). */
    StoreInspector open() {
        check();
        return file != null ? StoreInspector.open(file) : StoreInspector.open(name);
    }

    /** The store as the user named it, for messages. */
    String label() {
        check();
        return file != null ? file.toString() : name;
    }

    /** The file of a file-backed store, or null for a memory-only one. */
    Path file() {
        check();
        return file;
    }

    /** The name of a memory-only store, or null for a file-backed one. */
    String name() {
        check();
        return name;
    }

    /** The companion stores the tool's producer and consumer keep beside a store of this name or file. */
    List<String> companions() {
        String base = label();
        return List.of(OrderStores.producerStore(base), OrderStores.consumerStore(base));
    }

    private void check() {
        if ((name == null) == (file == null)) {
            throw new ParameterException(spec.commandLine(), name == null
                    ? "name a store: NAME for a memory-only store, or --file PATH for a file-backed one"
                    : "give NAME or --file, not both (NAME \"" + name + "\", --file " + file + ")");
        }
        if (file == null && (name.indexOf('/') >= 0 || name.indexOf('\\') >= 0)) {
            // a bad name, like any other (exit 1), with the option that was meant
            throw new IllegalArgumentException("\"" + name + "\" is a path, not a store name: open a file-backed store"
                    + " with --file " + name);
        }
    }
}
