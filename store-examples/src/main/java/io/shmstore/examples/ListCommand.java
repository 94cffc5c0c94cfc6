package io.shmstore.examples;

import io.shmstore.IncompatibleFormatException;
import io.shmstore.IncompatibleStoreException;
import io.shmstore.StoreCorruptedException;
import io.shmstore.StoreInspector;
import io.shmstore.StoreNotFoundException;
import io.shmstore.UntrustedOwnerException;
import io.shmstore.memory.NamedObjectInfo;
import io.shmstore.memory.SharedMemory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;

/**
 * Every named object of the shm directory, and every other name there. Listing changes nothing:
 * {@link SharedMemory#list()} reads headers without attaching and never opens a name that is not a
 * regular file (a FIFO would block the open), and a memory mapping is then looked at as a store
 * ({@link StoreInspector#observe}) to tell stores from plain mappings and count entries, read-only and
 * without taking part in its lifetime. So a store whose processes all exited without closing it is
 * shown as orphaned, not removed, as any opener would remove it. A directory that does not exist is
 * an error (exit 1), not an empty listing.
 */
@Command(name = "list", description = "List named objects: stores (with entries), mappings, mutexes, events.")
final class ListCommand implements Callable<Integer> {
    private static final String MAPPING = "memory mapping";
    private static final String ORPHANED = "orphaned: every process that had it open exited without closing it";
    private static final String ROW = "%-28s %-8s %10s %9s %-16s %-10s %8s %-14s %-6s %s";

    @Spec
    private CommandSpec spec;

    @Option(names = "--json", description = "A JSON array, one object per name, for scripts and monitoring.")
    private boolean json;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        List<NamedObjectInfo> objects = SharedMemory.list();
        List<Map<String, Object>> rows = new ArrayList<>();
        if (objects.isEmpty() && !json) {
            out.println("no named objects");
            return 0;
        }
        if (!json) {
            out.println(row("NAME", "TYPE", "SIZE", "ENTRIES", "LIFETIME", "OWNER", "CREATOR", "ATTACHED", "AGE", "NOTE"));
        }
        Instant now = Instant.now();
        for (NamedObjectInfo o : objects) {
            String type = o.type();
            String entries = "-";
            long count = -1;
            Integer format = null;
            String note = o.orphaned() ? ORPHANED : "";
            if (o.lifetime() == null) {
                // not a ShmStore object, or unreadable: what list() found is the note
                type = "-";
                note = o.type();
            } else if (MAPPING.equals(type)) {
                try (StoreInspector store = StoreInspector.observe(o)) {
                    type = "store";
                    count = store.size();
                    entries = String.format("%,d", count);
                } catch (IncompatibleFormatException otherRelease) {
                    type = "store";
                    format = otherRelease.foundVersion();
                    note = "format version " + format + ", made by another ShmStore release (this one reads version "
                            + otherRelease.supportedVersion() + "); destroy removes it";
                } catch (IncompatibleStoreException notAStore) {
                    type = "mapping";
                } catch (StoreCorruptedException corrupt) {
                    type = "store";
                    entries = "corrupt";
                } catch (UntrustedOwnerException replaced) {
                    type = "mapping";
                    note = "not opened: its owner changed since it was listed";
                } catch (StoreNotFoundException removedSinceListed) {
                    continue;
                }
            }
            String lifetime = o.lifetime() == null ? null : o.lifetime().toString().toLowerCase(Locale.ROOT).replace('_', '-');
            if (json) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("name", o.name());
                m.put("type", type);
                m.put("size", o.size());
                m.put("entries", count < 0 ? null : count);
                m.put("formatVersion", format);
                m.put("lifetime", lifetime);
                m.put("owner", o.owner());
                m.put("creatorPid", o.creatorPid() == 0 ? null : o.creatorPid());
                m.put("attachedPids", o.attachedPids());
                m.put("orphaned", o.orphaned());
                m.put("createdAt", o.createdAt() == null ? null : o.createdAt().toString());
                m.put("note", note.isEmpty() ? null : note);
                rows.add(m);
                continue;
            }
            String attached = o.attachedPids().isEmpty() ? "-"
                    : o.attachedPids().stream().map(String::valueOf).collect(Collectors.joining(","));
            out.println(row(o.name(), type, Formats.bytes(o.size()), entries, lifetime == null ? "-" : lifetime,
                    o.owner() == null ? "-" : o.owner(), o.creatorPid() == 0 ? "-" : Long.toString(o.creatorPid()),
                    attached, o.createdAt() == null ? "-" : Formats.age(Duration.between(o.createdAt(), now)), note));
        }
        if (json) {
            out.println(Formats.json(rows));
        }
        return 0;
    }

    /** One line of the table; the note, last, may be empty. */
    private static String row(Object... columns) {
        return String.format(Locale.ROOT, ROW, columns).stripTrailing();
    }
}
