package io.shmstore.internal.platform.posix;

import io.shmstore.StoreException;
import io.shmstore.StoreNotFoundException;
import io.shmstore.internal.platform.Mapping;
import io.shmstore.internal.platform.Names;
import io.shmstore.internal.platform.ObjectHeader;
import io.shmstore.internal.platform.ObjectType;
import io.shmstore.internal.platform.ShmDirectory;
import io.shmstore.internal.sync.ProcessProbe;
import io.shmstore.memory.NamedObjectInfo;
import net.openhft.chronicle.core.Memory;
import net.openhft.chronicle.core.OS;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The named objects of a shm directory, as {@code SharedMemory.list()} and {@code shmstore list} show
 * them: each described from its header, read-only and without attaching, so listing changes nothing
 * (an orphaned object is shown, not reaped).
 */
final class PosixListing {
    private static final Memory MEMORY = OS.memory();

    private final FileOps files;
    private final ProcessProbe processes;

    PosixListing(FileOps files, ProcessProbe processes) {
        this.files = files;
        this.processes = processes;
    }

    /**
     * Every {@code shmstore.*} name of the shm directory, described from its header, read-only and
     * without attaching. A name that is not a ShmStore object is listed as such; one that is not even a
     * regular file is never opened (see {@link FileKind}).
     */
    List<NamedObjectInfo> list(Path dir) {
        List<NamedObjectInfo> out = new ArrayList<>();
        try (DirectoryStream<Path> names = Files.newDirectoryStream(dir, Names.FILE_PREFIX + "*")) {
            for (Path p : names) {
                String name = p.getFileName().toString().substring(Names.FILE_PREFIX.length());
                out.add(describe(p, name));
            }
        } catch (NoSuchFileException e) {
            throw new StoreNotFoundException("cannot list " + dir + ": the directory does not exist; the shm directory"
                    + " is " + ShmDirectory.rule());
        } catch (IOException e) {
            throw new StoreException("cannot list " + dir + ": " + e.getMessage(), e);
        }
        out.sort(java.util.Comparator.comparing(NamedObjectInfo::name));
        return out;
    }

    private NamedObjectInfo describe(Path path, String name) {
        String owner;
        FileKind kind;
        try {
            Map<String, Object> a = Files.readAttributes(path, "unix:mode,uid", LinkOption.NOFOLLOW_LINKS);
            owner = PosixUsers.trustName(Integer.toUnsignedLong((Integer) a.get("uid")));
            kind = FileKind.ofMode((Integer) a.get("mode"));
        } catch (IOException e) {
            return new NamedObjectInfo(name, "unreadable: " + e.getMessage(), 0, null, null, 0, null, List.of());
        }
        if (kind != FileKind.REGULAR) {
            return foreign(name, kind, owner);
        }
        try (FileOps.Handle h = files.open(path, false)) {
            if (h.size() < ObjectHeader.HEADER_LENGTH) {
                return foreign(name, FileKind.REGULAR, owner);
            }
            Mapping m = files.map(h, 0, ObjectHeader.HEADER_LENGTH, false);
            try {
                long a = m.address();
                if (MEMORY.readVolatileLong(a + ObjectHeader.MAGIC_OFFSET) != ObjectHeader.MAGIC) {
                    return foreign(name, FileKind.REGULAR, owner);
                }
                ObjectType type = ObjectType.ofTag(MEMORY.readInt(a + ObjectHeader.TYPE_OFFSET));
                List<Long> attached = new ArrayList<>();
                for (int i = 0; i < ObjectHeader.ATTACH_CAPACITY; i++) {
                    long e = MEMORY.readVolatileLong(a + ObjectHeader.attachEntryOffset(i));
                    if (e != 0 && processes.isAlive(ProcessProbe.pidOf(e), ProcessProbe.tagOf(e))) {
                        attached.add((long) ProcessProbe.pidOf(e));
                    }
                }
                return new NamedObjectInfo(name, type == null ? "unknown type" : type.label(), ObjectHeader.userSize(a),
                        ObjectHeader.lifetime(a), owner, ProcessProbe.pidOf(MEMORY.readLong(a + ObjectHeader.CREATOR_OFFSET)),
                        Instant.ofEpochMilli(MEMORY.readLong(a + ObjectHeader.CREATED_AT_OFFSET)), attached);
            } finally {
                m.unmap();
            }
        } catch (NotRegularFileException replaced) {
            return foreign(name, replaced.kind(), owner);
        } catch (IOException e) {
            return new NamedObjectInfo(name, "unreadable: " + e.getMessage(), 0, null, owner, 0, null, List.of());
        }
    }

    /** A name that holds no ShmStore object: "not a ShmStore object", and what it is if not a file. */
    private static NamedObjectInfo foreign(String name, FileKind kind, String owner) {
        String type = "not a ShmStore object" + (kind == FileKind.REGULAR ? "" : ": " + kind.label());
        return new NamedObjectInfo(name, type, 0, null, owner, 0, null, List.of());
    }
}
