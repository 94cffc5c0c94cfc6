package io.shmstore.internal.platform.posix;

import io.shmstore.IncompatibleStoreException;
import io.shmstore.StoreException;
import io.shmstore.StoreFullException;
import io.shmstore.StoreNotFoundException;
import io.shmstore.internal.platform.Handover;
import io.shmstore.internal.platform.HandoverToken;
import io.shmstore.internal.platform.Mapping;
import io.shmstore.internal.platform.Names;
import io.shmstore.internal.platform.ObjectHeader;
import io.shmstore.internal.platform.ObjectSpec;
import io.shmstore.internal.platform.Region;
import io.shmstore.internal.sync.ProcessProbe;
import io.shmstore.memory.Access;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Set;

/**
 * Unnamed mappings on POSIX: creating one, handing it to another process, and opening one handed over.
 *
 * <p><b>Creation.</b> A file no name leads to ({@link FileOps#createUnnamed}: {@code memfd_create} on
 * Linux, an unlinked file in the shm directory on the portable backend), reserved in full, its size
 * sealed where the platform can ({@code F_SEAL_SHRINK | F_SEAL_GROW}: no holder can cut it under the
 * others' mappings), and an {@link ObjectHeader} written before anyone else can reach it.
 *
 * <p><b>Handing over.</b> The receiver opens the sender's descriptor through
 * {@code /proc/<sender pid>/fd/<n>}, which the kernel lets a process of the same user do (the sender
 * must be running, and dumpable, as every JVM is). That works the same for a child the sender starts
 * (a JVM child inherits no descriptor but its standard streams) and for a process already running, and
 * needs no socket, no server thread and no native structure. The token carries the sender's pid and
 * start tag (a pid reused since is refused), the descriptor, the object's id and size (a descriptor
 * closed and reused for another file is refused, not mapped), the access granted, and the receiving
 * pid. The sender keeps the descriptor open until the receiver exits ({@link UnnamedRegion#hold()}),
 * even if it closes its own handle first. What the receiver gets is its own descriptor: from then on
 * the memory lives as long as any of them, in any process, holds it.
 *
 * <p><b>Access.</b> A read-only receiver opens the file {@code O_RDONLY}, so the kernel refuses it a
 * writable mapping; but, owner-only as the file is, the same user could open it read-write through
 * {@code /proc} on purpose. Access between processes of one user is a contract here, not a wall, as it
 * is for every named object (SECURITY.md).
 */
final class PosixUnnamed {
    private static final Path PROC = Path.of("/proc");

    private final PosixBackend backend;
    private final FileOps files;

    PosixUnnamed(PosixBackend backend, FileOps files) {
        this.backend = backend;
        this.files = files;
    }

    Region create(ObjectSpec spec) {
        long id = ObjectHeader.newObjectId();
        String name = ObjectSpec.unnamedName(id);
        long total = ObjectHeader.HEADER_LENGTH + spec.userSize();
        FileOps.Handle h = null;
        try {
            h = files.createUnnamed(backend.directory(), "shmstore.unnamed." + String.format("%016x", id),
                    spec.permissions());
            files.reserve(h, total);
            files.sealSize(h);
            Mapping header = files.map(h, 0, ObjectHeader.HEADER_LENGTH, true);
            try {
                ObjectHeader.write(header.address(), spec, backend.processes().selfWord(), false, id, ignored -> { });
            } finally {
                header.unmap();
            }
            UnnamedRegion r = new UnnamedRegion(backend, spec, h, Access.READ_WRITE, true, spec.userSize(), id);
            h = null;
            return r;
        } catch (NoSpaceException e) {
            throw new StoreFullException("cannot reserve " + total + " bytes for the unnamed mapping " + name + ": "
                    + e.getReason() + backend.freeSpace(spec), e);
        } catch (IOException e) {
            throw new StoreException("cannot create an unnamed mapping of " + spec.userSize() + " bytes: "
                    + e.getMessage(), e);
        } finally {
            if (h != null) {
                h.close();
            }
        }
    }

    Handover handOver(Region region, Access access, long targetPid) {
        if (!(region instanceof UnnamedRegion)) {
            throw new IllegalStateException(Names.quote(region.name()) + " is not an unnamed mapping");
        }
        UnnamedRegion unnamed = (UnnamedRegion) region;
        if (!Files.isDirectory(PROC.resolve("self").resolve("fd"))) {
            throw new UnsupportedOperationException("cannot hand " + unnamed.name() + " over: receivers open it"
                    + " through /proc/<pid>/fd, which this system does not have");
        }
        ProcessProbe self = backend.processes();
        Runnable letGo = unnamed.hold();
        String token = new HandoverToken(self.selfPid(), self.selfStartTag(), unnamed.descriptor(), unnamed.objectId(),
                unnamed.size(), access, targetPid).format();
        return Handover.keptUntilReceiverExits(token, letGo);
    }

    Region receive(HandoverToken token, Access access) {
        ProcessProbe self = backend.processes();
        String what = ObjectSpec.unnamedName(token.objectId());
        if (!self.isAlive(token.senderPid(), token.senderTag())) {
            throw new StoreNotFoundException("cannot open " + what + ": process " + token.senderPid() + ", which handed it"
                    + " over, has exited; an unnamed mapping can only be had from a process that holds it");
        }
        Path link = PROC.resolve(Integer.toString(token.senderPid())).resolve("fd")
                .resolve(Long.toString(token.descriptor()));
        ObjectSpec spec = ObjectSpec.unnamed(token.userSize());
        FileOps.Handle h = null;
        Mapping header = null;
        try {
            h = files.openDescriptor(link, access == Access.READ_WRITE);
            PosixUsers.checkOwner(what + " at " + link, Set.of(), h.ownerUid());
            long fileSize = h.size();
            if (fileSize < ObjectHeader.HEADER_LENGTH) {
                throw replaced(what, link, "a file of " + fileSize + " bytes");
            }
            header = files.map(h, 0, ObjectHeader.HEADER_LENGTH, false);
            ObjectHeader.check(header.address(), spec, link.toString(), fileSize);
            long id = ObjectHeader.objectId(header.address());
            long size = ObjectHeader.userSize(header.address());
            if (id != token.objectId() || size != token.userSize()) {
                throw replaced(what, link, ObjectSpec.unnamedName(id) + " of " + size + " bytes");
            }
            UnnamedRegion r = new UnnamedRegion(backend, spec, h, access, false, size, id);
            h = null;
            return r;
        } catch (IncompatibleStoreException e) {
            throw replaced(what, link, e.getMessage());
        } catch (NotRegularFileException e) {
            throw replaced(what, link, e.getReason());
        } catch (NoSuchFileException e) {
            throw new StoreNotFoundException("cannot open " + what + ": process " + token.senderPid() + " no longer"
                    + " holds it at " + link + " (it let the handover go when the process it was for exited)");
        } catch (AccessDeniedException e) {
            throw new StoreException("permission denied opening " + what + " at " + link + ": only a process of the"
                    + " user that handed it over can open it", e);
        } catch (IOException e) {
            throw new StoreException("cannot open " + what + " at " + link + ": " + e.getMessage(), e);
        } finally {
            if (header != null) {
                header.unmap();
            }
            if (h != null) {
                h.close();
            }
        }
    }

    /** The descriptor a token names was closed and now refers to something else. */
    private static StoreNotFoundException replaced(String what, Path link, String found) {
        return new StoreNotFoundException("cannot open " + what + ": the descriptor " + link + " that the token names"
                + " now refers to something else (" + found + "); the sender let " + what + " go");
    }
}
