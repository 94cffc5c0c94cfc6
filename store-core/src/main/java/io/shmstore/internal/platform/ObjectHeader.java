package io.shmstore.internal.platform;

import java.nio.charset.StandardCharsets;

/**
 * Layout of the header at offset 0 of every named object (mapping, mutex or event). The caller's
 * bytes (the user area) start at {@link #HEADER_LENGTH}, which is a multiple of every supported page
 * size so that views of the user area map at page-aligned file offsets. All fields are little-endian.
 *
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *  |                 magic "SHMNAMED" (8 bytes)                    |  0
 *  +---------------------------------------------------------------+
 *  |                        format version                         |  8
 *  +---------------------------------------------------------------+
 *  |                  object type (1 mem, 2 mutex, 3 event)        | 12
 *  +---------------------------------------------------------------+
 *  |                   user size (8 bytes, bytes)                  | 16
 *  +---------------------------------------------------------------+
 *  |                   header length (bytes)                       | 24
 *  +---------------------------------------------------------------+
 *  |                   lifetime (0 persistent, 1 last close)       | 28
 *  +---------------------------------------------------------------+
 *  |                   state (ready word)                          | 32
 *  +---------------------------------------------------------------+
 *  |                   attach table capacity (entries)             | 36
 *  +---------------------------------------------------------------+
 *  |                   creator (8 bytes: start tag | pid)          | 40
 *  +---------------------------------------------------------------+
 *  |                   created at (8 bytes, epoch millis)          | 48
 *  +---------------------------------------------------------------+
 *  |                   reserved to 64                              | 56
 *  +---------------------------------------------------------------+
 *  |                   header lock (LockWord, 16 bytes)            | 64
 *  +---------------------------------------------------------------+
 *  |                   reserved to 128                             | 80
 *  +---------------------------------------------------------------+
 *  |         attach table: capacity entries of 8 bytes             | 128
 *  |         (start tag | pid, 0 = free slot)                      |
 *  +---------------------------------------------------------------+
 *  |                   user area                                   | HEADER_LENGTH
 * </pre>
 *
 * <p><b>Visibility.</b> A creator writes the whole header, including its own attach entry and
 * {@code state = READY}, in a file under a temporary name and only then links it to the object's name,
 * so no opener can see a partial header. {@code state} moves once more, {@code READY -> REMOVED},
 * under the header lock and just before the name is unlinked; an opener that finds {@code REMOVED}
 * retries from the name. The attach table and {@code state} are read and written only under the
 * header lock (volatile accesses); every other field is immutable after creation.
 */
public final class ObjectHeader {
    /** "SHMNAMED" as a little-endian long. */
    public static final long MAGIC = magic("SHMNAMED");
    public static final int VERSION = 1;

    public static final int MAGIC_OFFSET = 0;
    public static final int VERSION_OFFSET = MAGIC_OFFSET + Long.BYTES;
    public static final int TYPE_OFFSET = VERSION_OFFSET + Integer.BYTES;
    public static final int USER_SIZE_OFFSET = TYPE_OFFSET + Integer.BYTES;
    public static final int HEADER_LENGTH_OFFSET = USER_SIZE_OFFSET + Long.BYTES;
    public static final int LIFETIME_OFFSET = HEADER_LENGTH_OFFSET + Integer.BYTES;
    public static final int STATE_OFFSET = LIFETIME_OFFSET + Integer.BYTES;
    public static final int ATTACH_CAPACITY_OFFSET = STATE_OFFSET + Integer.BYTES;
    public static final int CREATOR_OFFSET = ATTACH_CAPACITY_OFFSET + Integer.BYTES;
    public static final int CREATED_AT_OFFSET = CREATOR_OFFSET + Long.BYTES;
    public static final int LOCK_OFFSET = 64;
    public static final int ATTACH_TABLE_OFFSET = 128;

    /** Bytes before the user area: 16 KiB, a multiple of 4 KiB and 16 KiB pages. */
    public static final int HEADER_LENGTH = 16 * 1024;
    /** Attach entries: one per open handle, across all processes. */
    public static final int ATTACH_CAPACITY = (HEADER_LENGTH - ATTACH_TABLE_OFFSET) / Long.BYTES;

    public static final int STATE_READY = 1;
    public static final int STATE_REMOVED = 2;

    public static final int LIFETIME_PERSISTENT = 0;
    public static final int LIFETIME_UNTIL_LAST_CLOSE = 1;

    /** Largest user size accepted: far beyond any machine, small enough that offsets never overflow. */
    public static final long MAX_USER_SIZE = 1L << 46;

    private ObjectHeader() {
    }

    public static int attachEntryOffset(int index) {
        return ATTACH_TABLE_OFFSET + index * Long.BYTES;
    }

    static long magic(String eight) {
        byte[] b = eight.getBytes(StandardCharsets.US_ASCII);
        long v = 0;
        for (int i = 7; i >= 0; i--) {
            v = (v << 8) | (b[i] & 0xFF);
        }
        return v;
    }

    /** The magic as text, for a message about a file that is not ours. */
    public static String describeMagic(long value) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 8; i++) {
            int c = (int) (value >>> (8 * i)) & 0xFF;
            sb.append(c >= 0x20 && c < 0x7f ? (char) c : '.');
        }
        return sb.toString();
    }
}
