package io.shmstore.examples;

import io.shmstore.ChangeCursor;
import io.shmstore.ChangeListener;
import io.shmstore.ChangeType;
import io.shmstore.StoreInspector;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.concurrent.Callable;

/**
 * Tails a store's change feed, a line per record ({@code sequence TYPE key}), with keys decoded by the
 * store's key codec. Output is flushed after each batch, so a pipe sees records as they come.
 */
@Command(name = "watch", description = "Print a store's changes as they happen, until interrupted or --count.")
final class WatchCommand implements Callable<Integer> {
    @Spec
    private CommandSpec spec;

    @Mixin
    private StoreArg target;

    @Option(names = "--count", defaultValue = "0", paramLabel = "N",
            description = "Stop after N records; 0 = until interrupted (default).")
    private long count;

    @Option(names = "--from", paramLabel = "SEQ",
            description = "Start at this sequence, replaying what the ring still holds (default: new records only).")
    private Long from;

    @Override
    public Integer call() {
        if (count < 0 || (from != null && from < 0)) {
            throw new ParameterException(spec.commandLine(), "--count and --from must not be negative");
        }
        PrintWriter out = spec.commandLine().getOut();
        try (StoreInspector store = target.open();
             ChangeCursor<byte[]> cursor = from == null ? store.changes().cursor() : store.changes().cursorFrom(from)) {
            EntryDecoder keys = EntryDecoder.forDescription(store.keyDescription());
            long[] seen = {0};
            ChangeListener<byte[]> print = new ChangeListener<>() {
                @Override
                public void onChange(long sequence, ChangeType type, byte[] key) {
                    out.println(sequence + " " + type + (key == null ? "" : " " + keys.text(key)));
                    seen[0]++;
                }

                @Override
                public void onLapped(long lost, long resumedAt) {
                    out.println("lapped: " + lost + " records were overwritten before they were read; continuing at "
                            + resumedAt);
                }
            };
            out.println("watching \"" + target.label() + "\" from sequence " + cursor.nextSequence());
            out.flush();
            while (count == 0 || seen[0] < count) {
                if (cursor.await(Duration.ofSeconds(1))) {
                    cursor.poll(print, count == 0 ? Integer.MAX_VALUE : (int) Math.min(count - seen[0], Integer.MAX_VALUE));
                    out.flush();
                }
            }
        }
        return 0;
    }
}
