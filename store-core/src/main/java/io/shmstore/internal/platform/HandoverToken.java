package io.shmstore.internal.platform;

import io.shmstore.memory.Access;

import java.util.Locale;

/**
 * The text by which an unnamed mapping is handed to another process: what the receiver opens, and what
 * it checks before it trusts the bytes.
 *
 * <pre>
 *   shmstore-unnamed:1:&lt;sender pid&gt;:&lt;sender start tag&gt;:&lt;descriptor&gt;:&lt;object id, 16 hex&gt;:&lt;user size&gt;:&lt;ro|rw&gt;:&lt;receiver pid, 0 any&gt;
 * </pre>
 *
 * <p>The descriptor is the sender's file descriptor on POSIX (the receiver opens
 * {@code /proc/<sender pid>/fd/<descriptor>}), and the receiver's own handle value on Windows (which
 * the sender duplicated into it). The object id and the size are checked against the header found
 * there, so a descriptor closed and reused for another file in between is refused, not mapped.
 *
 * @param targetPid the one process that may open it, or 0 for a child not started yet (inheritance)
 */
public record HandoverToken(int senderPid, int senderTag, long descriptor, long objectId, long userSize, Access access,
                            long targetPid) {
    private static final String PREFIX = "shmstore-unnamed:1:";
    private static final int FIELDS = 7;

    public String format() {
        return PREFIX + senderPid + ":" + senderTag + ":" + descriptor + ":" + String.format("%016x", objectId) + ":"
                + userSize + ":" + (access == Access.READ_ONLY ? "ro" : "rw") + ":" + targetPid;
    }

    /**
     * Reads a token.
     *
     * @throws IllegalArgumentException quoting it when it is not one
     */
    public static HandoverToken parse(String token) {
        if (token == null) {
            throw new NullPointerException("token");
        }
        String[] f = token.startsWith(PREFIX) ? token.substring(PREFIX.length()).split(":", -1) : new String[0];
        if (f.length != FIELDS || !f[5].equals("ro") && !f[5].equals("rw")) {
            throw notAToken(token);
        }
        try {
            HandoverToken t = new HandoverToken(Integer.parseInt(f[0]), Integer.parseInt(f[1]), Long.parseLong(f[2]),
                    Long.parseUnsignedLong(f[3].toLowerCase(Locale.ROOT), 16), Long.parseLong(f[4]),
                    f[5].equals("ro") ? Access.READ_ONLY : Access.READ_WRITE, Long.parseLong(f[6]));
            if (t.senderPid <= 0 || t.descriptor < 0 || t.objectId == 0 || t.userSize <= 0
                    || t.userSize > ObjectHeader.MAX_USER_SIZE || t.targetPid < 0 || f[3].length() != 16) {
                throw notAToken(token);
            }
            return t;
        } catch (NumberFormatException e) {
            throw notAToken(token);
        }
    }

    private static IllegalArgumentException notAToken(String token) {
        return new IllegalArgumentException("not a handover token: " + Names.quote(token) + "; a token looks like "
                + PREFIX + "<pid>:<tag>:<descriptor>:<16 hex digits>:<size>:<ro|rw>:<pid>, as handOver gives it");
    }
}
