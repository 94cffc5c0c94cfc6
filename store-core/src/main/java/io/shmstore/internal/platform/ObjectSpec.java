package io.shmstore.internal.platform;

import io.shmstore.memory.Lifetime;

import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Objects;
import java.util.Set;

/**
 * What the memory layer asks a backend for: a named object ({@code name} set, {@code file} null), a
 * file-backed mapping ({@code file} set, {@code name} null), or an unnamed mapping (both null, see
 * {@link #unnamed(long)}), which no namespace holds. The name has already been validated by
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
        if (name != null && file != null) {
            throw new IllegalArgumentException("at most one of name and file may be set");
        }
        if (name == null && file == null && type != ObjectType.MEMORY) {
            throw new IllegalArgumentException("only a memory mapping can be unnamed, not " + type.withArticle());
        }
    }

    /** An unnamed memory-only mapping of {@code userSize} bytes: owner-only, gone with its last holder. */
    public static ObjectSpec unnamed(long userSize) {
        return new ObjectSpec(null, null, ObjectType.MEMORY, userSize,
                Set.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE), Lifetime.UNTIL_LAST_CLOSE,
                null, Set.of(), false);
    }

    /** The name shown in messages: the object name, the file path, or "unnamed" for an unnamed mapping. */
    public String displayName() {
        return name != null ? name : file != null ? file.toString() : "unnamed";
    }

    /** True for an unnamed mapping, which processes reach only through handles they are given. */
    public boolean unnamed() {
        return name == null && file == null;
    }

    /** The name of an unnamed mapping with object id {@code objectId}: not a valid object name, so never one. */
    public static String unnamedName(long objectId) {
        return "unnamed:" + String.format("%016x", objectId);
    }

    /** True for a file-backed mapping. */
    public boolean fileBacked() {
        return file != null;
    }
}
