package io.shmstore.internal.platform;

import io.shmstore.memory.Access;
import io.shmstore.memory.Lifetime;

/** What every backend's {@link Region} knows once its header was written or checked. */
public abstract class AbstractRegion implements Region {
    protected final ObjectSpec spec;
    protected final Access access;
    private final boolean created;
    private final long userSize;
    private final Lifetime lifetime;
    private final long objectId;
    private final String name;

    protected AbstractRegion(ObjectSpec spec, Access access, boolean created, long userSize, Lifetime lifetime,
                             long objectId) {
        this(spec, access, created, userSize, lifetime, objectId, spec.displayName());
    }

    /** As the other constructor, with the name the region shows: an unnamed mapping's, which its object id makes. */
    protected AbstractRegion(ObjectSpec spec, Access access, boolean created, long userSize, Lifetime lifetime,
                             long objectId, String name) {
        this.name = name;
        this.spec = spec;
        this.access = access;
        this.created = created;
        this.userSize = userSize;
        this.lifetime = lifetime;
        this.objectId = objectId;
    }

    @Override
    public final String name() {
        return name;
    }

    @Override
    public final long size() {
        return userSize;
    }

    @Override
    public final Access access() {
        return access;
    }

    @Override
    public final Lifetime lifetime() {
        return lifetime;
    }

    @Override
    public final long objectId() {
        return objectId;
    }

    @Override
    public final boolean created() {
        return created;
    }
}
