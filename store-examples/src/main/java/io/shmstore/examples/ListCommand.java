package io.shmstore.examples;

import io.shmstore.IncompatibleStoreException;
import io.shmstore.StoreCorruptedException;
import io.shmstore.StoreInspector;
import io.shmstore.StoreNotFoundException;
import io.shmstore.memory.NamedObjectInfo;
import io.shmstore.memory.SharedMemory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;

/**
 * Every named object of the shm directory. {@link SharedMemory#list()} reads headers without
 * attaching; a memory mapping is then opened as a store to tell stores from plain mappings and count
 * entries. That opening attaches for a moment, so, like any opener, it removes a store whose
 * processes all died without closing it (lifetime until last close): such a store is not listed.
 */
@Command(name = "list", description = "List named objects: stores (with entries), mappings, mutexes, events.")
final class ListCommand implements Callable<Integer> {
    private static final String MAPPING = "memory mapping";
    private static final String ROW = "%-28s %-8s %10s %9s %-16s %8s %-14s %s%n";

    @Spec
    private CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        List<NamedObjectInfo> objects = SharedMemory.list();
        if (objects.isEmpty()) {
            out.println("no named objects");
            return 0;
        }
        out.printf(ROW, "NAME", "TYPE", "SIZE", "ENTRIES", "LIFETIME", "CREATOR", "ATTACHED", "AGE");
        Instant now = Instant.now();
        for (NamedObjectInfo o : objects) {
            String type = o.type();
            String entries = "-";
            if (MAPPING.equals(type)) {
                try (StoreInspector store = StoreInspector.open(o.name())) {
                    type = "store";
                    entries = String.format("%,d", store.size());
                } catch (IncompatibleStoreException notAStore) {
                    type = "mapping";
                } catch (StoreCorruptedException corrupt) {
                    type = "store";
                    entries = "corrupt";
                } catch (StoreNotFoundException removedSinceListed) {
                    continue;
                }
            }
            String attached = o.attachedPids().isEmpty() ? "-"
                    : o.attachedPids().stream().map(String::valueOf).collect(Collectors.joining(","));
            out.printf(ROW, o.name(), type, Formats.bytes(o.size()), entries,
                    o.lifetime() == null ? "-" : o.lifetime().toString().toLowerCase(Locale.ROOT).replace('_', '-'),
                    o.creatorPid() == 0 ? "-" : Long.toString(o.creatorPid()), attached,
                    o.createdAt() == null ? "-" : Formats.age(Duration.between(o.createdAt(), now)));
        }
        return 0;
    }
}
