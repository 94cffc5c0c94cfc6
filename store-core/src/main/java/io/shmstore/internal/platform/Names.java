package io.shmstore.internal.platform;

import java.util.regex.Pattern;

/** The rule for object names, checked before anything touches the file system. */
public final class Names {
    /** Longest accepted name. */
    public static final int MAX_LENGTH = 128;

    private static final Pattern VALID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0," + (MAX_LENGTH - 1) + "}");

    /** File-name prefix of every memory-only object in the shm directory. */
    public static final String FILE_PREFIX = "shmstore.";

    private Names() {
    }

    /**
     * Returns {@code name} if it is 1 to 128 characters of {@code [A-Za-z0-9._-]} starting with a
     * letter or digit.
     *
     * @throws IllegalArgumentException naming the value otherwise (a NUL or other control character
     *                                  is shown escaped)
     */
    public static String check(String name) {
        if (name == null) {
            throw new NullPointerException("name");
        }
        if (!VALID.matcher(name).matches()) {
            throw new IllegalArgumentException("invalid object name " + quote(name) + " (length " + name.length()
                    + "): use 1 to " + MAX_LENGTH + " characters of [A-Za-z0-9._-], starting with a letter or digit");
        }
        return name;
    }

    /** The name quoted for a message, with control and non-ASCII characters escaped and long names cut. */
    public static String quote(String s) {
        StringBuilder sb = new StringBuilder("\"");
        int shown = Math.min(s.length(), 64);
        for (int i = 0; i < shown; i++) {
            char c = s.charAt(i);
            if (c < 0x20 || c > 0x7e) {
                sb.append(String.format("\\u%04x", (int) c));
            } else {
                sb.append(c);
            }
        }
        if (shown < s.length()) {
            sb.append("...");
        }
        return sb.append('"').toString();
    }
}
