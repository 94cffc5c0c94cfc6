package io.shmstore.internal.platform;

import io.shmstore.memory.Lifetime;

import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Objects;
import java.util.Set;

/**
 * What the memory layer asks a backend for: a named object ({@code name} set, {@code file} null) or a
 * file-backed mapping ({@code file} set, {@code name} null). The name has already been validated by
 * {@link Names#check(String)}; {@code userSize} is the size the caller sees, excluding the header.
 * {@code initializer}, when not null, fills the user area of an object this call creates.
 * {@code trustedOwners} are the users, besides this process's own and root, whose existing objects
 * this call may open (user names or numeric ids, each checked by {@link Backend#checkUser}).
 * {@code sparse}: a created object reserves only its header; its user area is backed range by range as
 * the caller reserves it ({@link Reservations}), up to {@code userSize}.
 */
public record ObjectSpec(String name, Path file, ObjectType type, long userSize,
                         Set<PosixFilePermission> permissions, Lifetime lifetime, Initializer initializer,
                         Set<String> trustedOwners, boolean sparse) {

    public ObjectSpec {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(permissions, "permissions");
        Objects.requireNonNull(lifetime, "lifetime");
        trustedOwners = Set.copyOf(trustedOwners);
        if ((name == null) == (file == null)) {
            throw new IllegalArgumentException("exactly one of name and file must be set");
        }
    }

    /** The name shown in messages: the object name, or the file path. */
    public String displayName() {
        return name != null ? name : file.toString();
    }

    /** True for a file-backed mapping. */
    public boolean fileBacked() {
        return file != null;
    }
}
