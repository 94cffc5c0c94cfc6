package io.shmstore.internal.platform.posix;

import com.sun.jna.Library;
import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.NativeLong;
import com.sun.jna.Platform;
import com.sun.jna.Pointer;
import com.sun.jna.ptr.PointerByReference;

import io.shmstore.UntrustedOwnerException;
import io.shmstore.internal.platform.Names;

import java.lang.ref.Reference;
import java.util.Set;

/**
 * The users of a POSIX host, by uid and name, for the owner check of {@link PosixBackend}: who this
 * process is ({@code geteuid}), and a user's uid from its name and back ({@code getpwnam_r},
 * {@code getpwuid_r}, which read {@code /etc/passwd} or whatever the name service is, and, unlike
 * their non-reentrant forms, are safe from any thread). Bound on first use, through JNA's interface
 * mapping: these are POSIX calls, with the same signatures on Linux, macOS and the BSDs, and
 * {@code struct passwd} starts with the same three fields everywhere ({@code pw_name},
 * {@code pw_passwd}, {@code pw_uid}).
 *
 * <p>A uid is an unsigned 32-bit number, held here in a {@code long}.
 */
final class PosixUsers {
    /** root: it can write into any file anyway, so an object it owns is trusted. */
    static final long ROOT = 0;

    /** Bytes for {@code struct passwd}: 48 on 64-bit Linux, 72 on macOS. */
    private static final int PASSWD_BYTES = 256;
    private static final int FIRST_BUFFER_BYTES = 16 * 1024;
    private static final int MAX_BUFFER_BYTES = 1 << 20;
    /** {@code ERANGE}: the buffer is too small for the entry. 34 on Linux, macOS and the BSDs. */
    private static final int ERANGE = 34;
    private static final long UID_OFFSET = 2L * Native.POINTER_SIZE;

    interface Libc extends Library {
        int geteuid();

        int getpwnam_r(String name, Pointer pwd, Pointer buf, NativeLong size, PointerByReference result);

        int getpwuid_r(int uid, Pointer pwd, Pointer buf, NativeLong size, PointerByReference result);
    }

    private static final class Holder {
        static final Libc LIBC = Native.load(Platform.C_LIBRARY_NAME, Libc.class);
        static final long SELF = Integer.toUnsignedLong(LIBC.geteuid());
    }

    private PosixUsers() {
    }

    /** The effective uid of this process. */
    static long self() {
        return Holder.SELF;
    }

    /**
     * The uid of {@code user}, a user name or a decimal uid (as {@code chown} accepts either; a name
     * made of digits is looked up as a name first); -1 when this host has no such user.
     */
    static long uidOf(String user) {
        Entry e = lookup(user, -1);
        if (e != null) {
            return e.uid();
        }
        if (!user.isEmpty() && user.length() <= 10 && user.chars().allMatch(c -> c >= '0' && c <= '9')) {
            long uid = Long.parseLong(user);
            return uid < 0xFFFF_FFFFL ? uid : -1;
        }
        return -1;
    }

    /** The name of user {@code uid}, or {@code null} when it has none. */
    static String nameOf(long uid) {
        Entry e = lookup(null, uid);
        return e == null ? null : e.name();
    }

    /** The user as messages show it: {@code nobody (uid 65534)}, or {@code uid 1234} without a name. */
    static String describe(long uid) {
        String name = nameOf(uid);
        return name == null ? "uid " + uid : name + " (uid " + uid + ")";
    }

    /** The user as {@code trustOwner} takes it: the name, or the uid in decimal without one. */
    static String trustName(long uid) {
        String name = nameOf(uid);
        return name == null ? Long.toString(uid) : name;
    }

    private record Entry(String name, long uid) {
    }

    /** The entry of {@code name}, or of {@code uid} when name is null; null when there is none. */
    private static Entry lookup(String name, long uid) {
        Libc libc = Holder.LIBC;
        Memory pwd = new Memory(PASSWD_BYTES);
        for (int size = FIRST_BUFFER_BYTES; size <= MAX_BUFFER_BYTES; size *= 2) {
            Memory buf = new Memory(size);
            PointerByReference result = new PointerByReference();
            int rc = name != null
                    ? libc.getpwnam_r(name, pwd, buf, new NativeLong(size), result)
                    : libc.getpwuid_r((int) uid, pwd, buf, new NativeLong(size), result);
            if (rc == ERANGE) {
                continue;
            }
            try {
                if (rc != 0 || result.getValue() == null) {
                    return null;
                }
                return new Entry(pwd.getPointer(0).getString(0), Integer.toUnsignedLong(pwd.getInt(UID_OFFSET)));
            } finally {
                // pw_name points into buf
                Reference.reachabilityFence(buf);
            }
        }
        return null;
    }

    /**
     * Refuses an object whose owner this process does not trust ({@link UntrustedOwnerException} says
     * why that matters): trusted are this process's effective user, root, which can write into any file
     * anyway, and the {@code trusted} owners. The owner is the open file's (from {@code fstat} of the
     * descriptor on Linux), not whatever the name refers to by now. Names are looked up only for an
     * owner other than this process's user and root, so the usual open costs no lookup.
     *
     * @param what the object and where it is, for the message
     */
    static void checkOwner(String what, Set<String> trusted, long owner) {
        long self = self();
        if (owner == self || owner == ROOT) {
            return;
        }
        for (String user : trusted) {
            if (uidOf(user) == owner) {
                return;
            }
        }
        String name = trustName(owner);
        throw new UntrustedOwnerException(what + " belongs to " + describe(owner) + ", not to " + describe(self)
                + ", the user of this process" + (self == ROOT ? "" : ", nor to root") + ": another user may have created"
                + " it first, to read what this process writes or to feed it forged data; if you trust " + name
                + ", allow it with trustOwner(" + Names.quote(name) + ")");
    }
}
