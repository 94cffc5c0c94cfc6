package io.shmstore.internal.platform.posix;

import io.shmstore.ReadOnlyStoreException;
import io.shmstore.internal.platform.AbstractRegion;
import io.shmstore.internal.platform.Mapping;
import io.shmstore.internal.platform.Names;
import io.shmstore.internal.platform.ObjectHeader;
import io.shmstore.internal.platform.ObjectSpec;
import io.shmstore.memory.Access;
import io.shmstore.memory.Lifetime;

/**
 * A POSIX region over an open file whose user area starts after the {@link ObjectHeader}: what named
 * objects ({@link PosixRegion}) and unnamed mappings ({@link UnnamedRegion}) map and reserve alike.
 * Views are mapped under the region's monitor, which its close takes too, so none is mapped from a
 * closed file.
 */
abstract class FileRegion extends AbstractRegion {
    protected final PosixBackend backend;
    protected final FileOps.Handle file;

    FileRegion(PosixBackend backend, ObjectSpec spec, FileOps.Handle file, Access access, boolean created, long userSize,
               Lifetime lifetime, long objectId, String name) {
        super(spec, access, created, userSize, lifetime, objectId, name);
        this.backend = backend;
        this.file = file;
    }

    @Override
    public final synchronized Mapping map(long offset, long length, Access viewAccess) {
        checkOpen();
        if (viewAccess == Access.READ_WRITE && (access == Access.READ_ONLY || !file.writable())) {
            throw new ReadOnlyStoreException("cannot map a writable view of " + spec.type().label() + " "
                    + Names.quote(name()) + ": this process has it read-only");
        }
        return backend.mapUserArea(spec, file, offset, length, viewAccess == Access.READ_WRITE);
    }

    @Override
    public final void reserve(long offset, long length) {
        backend.reserve(spec, file, ObjectHeader.HEADER_LENGTH + offset, length);
    }

    @Override
    public final boolean release(long offset, long length) {
        return backend.release(spec, file, ObjectHeader.HEADER_LENGTH + offset, length);
    }

    /** @throws IllegalStateException when this handle is closed; called holding the monitor */
    protected abstract void checkOpen();
}
