package io.shmstore.examples;

import io.shmstore.StoreInspector;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.concurrent.Callable;

/**
 * A store's entries, decoded from their raw bytes by the codec ids in its header ({@link EntryDecoder}),
 * so any store can be dumped without its classes. Plain output is {@code key = value} per line and a
 * count; {@code --json} prints nothing but one JSON object per entry, for {@code jq} and friends.
 */
@Command(name = "dump", description = "Print a store's keys and values, decoded by the codecs in its header.")
final class DumpCommand implements Callable<Integer> {
    @Spec
    private CommandSpec spec;

    @Mixin
    private StoreArg target;

    @Option(names = "--limit", paramLabel = "N", description = "At most N entries (default: all).")
    private Long limit;

    @Option(names = "--json", description = "One JSON object per line: {\"key\":...,\"value\":...}.")
    private boolean json;

    @Override
    public Integer call() {
        if (limit != null && limit < 1) {
            throw new ParameterException(spec.commandLine(), "--limit must be at least 1, got " + limit);
        }
        PrintWriter out = spec.commandLine().getOut();
        long[] shown = {0};
        long size;
        try (StoreInspector store = target.open()) {
            size = store.size();
            EntryDecoder keys = EntryDecoder.forDescription(store.keyDescription());
            EntryDecoder values = EntryDecoder.forDescription(store.valueDescription());
            try (Progress progress = Progress.bar(spec.commandLine().getErr(), "dumping \"" + target.label() + "\"",
                    limit == null ? size : Math.min(size, limit))) {
                store.forEach((k, v) -> {
                    progress.line(out, json ? EntryDecoder.jsonLine(keys.decode(k), values.decode(v))
                            : keys.text(k) + " = " + values.text(v));
                    shown[0]++;
                    return limit == null || shown[0] < limit;
                });
            }
        }
        if (!json) {
            out.printf("%,d of %,d entries%n", shown[0], size);
        }
        return 0;
    }
}
