package io.shmstore.internal.platform;

import io.shmstore.IncompatibleStoreException;
import io.shmstore.StoreCorruptedException;
import io.shmstore.memory.Lifetime;
import net.openhft.chronicle.core.Memory;
import net.openhft.chronicle.core.OS;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.ThreadLocalRandom;

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
 *  |                  object type (1 mem, 2 mutex, 3 event, 4 sem) | 12
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
 *  |                   object id (8 bytes, random, never 0)        | 56
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
 * header lock (volatile accesses); every other field is immutable after creation. Where a platform
 * cannot publish a finished file under its name (Windows), the magic is written last with an ordered
 * store and openers wait for it.
 *
 * <p>The <b>object id</b> tells two objects that had the same name apart (inode numbers are reused):
 * it keys this process's record of which thread holds a lock word of the object, and it is checked
 * before a name is unlinked.
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
    public static final int OBJECT_ID_OFFSET = CREATED_AT_OFFSET + Long.BYTES;
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

    private static final Memory MEMORY = OS.memory();

    private ObjectHeader() {
    }

    /**
     * Writes the header of a new object at {@code a} (fresh, zero-filled memory), the magic last with an
     * ordered store.
     *
     * @param attachCreator whether the creator takes attach entry 0 (POSIX; Windows counts handles itself)
     * @param beforeMagic   runs with the new object id after every other field is written and before
     *                      the magic: where a platform publishes by the magic, the user area's
     *                      initializer runs here
     */
    public static void write(long a, ObjectSpec spec, long creatorWord, boolean attachCreator,
                             java.util.function.LongConsumer beforeMagic) {
        write(a, spec, creatorWord, attachCreator, newObjectId(), beforeMagic);
    }

    /** A new object id: random, never 0. */
    public static long newObjectId() {
        long id;
        do {
            id = ThreadLocalRandom.current().nextLong();
        } while (id == 0);
        return id;
    }

    /** As the other {@code write}, with an object id the caller chose ({@link #newObjectId()}). */
    public static void write(long a, ObjectSpec spec, long creatorWord, boolean attachCreator, long id,
                             java.util.function.LongConsumer beforeMagic) {
        MEMORY.writeInt(a + VERSION_OFFSET, VERSION);
        MEMORY.writeInt(a + TYPE_OFFSET, spec.type().tag());
        MEMORY.writeLong(a + USER_SIZE_OFFSET, spec.userSize());
        MEMORY.writeInt(a + HEADER_LENGTH_OFFSET, HEADER_LENGTH);
        MEMORY.writeInt(a + LIFETIME_OFFSET, spec.lifetime() == Lifetime.PERSISTENT
                ? LIFETIME_PERSISTENT : LIFETIME_UNTIL_LAST_CLOSE);
        MEMORY.writeInt(a + ATTACH_CAPACITY_OFFSET, ATTACH_CAPACITY);
        MEMORY.writeLong(a + CREATOR_OFFSET, creatorWord);
        MEMORY.writeLong(a + CREATED_AT_OFFSET, System.currentTimeMillis());
        MEMORY.writeLong(a + OBJECT_ID_OFFSET, id);
        if (attachCreator) {
            MEMORY.writeLong(a + attachEntryOffset(0), creatorWord);
        }
        MEMORY.writeInt(a + STATE_OFFSET, STATE_READY);
        beforeMagic.accept(id);
        MEMORY.writeOrderedLong(a + MAGIC_OFFSET, MAGIC);
    }

    /**
     * Checks a finished header against what the caller asked for. Every value is read once and
     * bounds-checked before use.
     *
     * @param who       the object as messages name it
     * @param available bytes the object really has (file size), or -1 where the platform cannot say
     * @throws IncompatibleStoreException when it is not a ShmStore object of the asked type and version
     * @throws StoreCorruptedException    when its sizes contradict each other
     */
    public static void check(long a, ObjectSpec spec, String who, long available) {
        long magic = MEMORY.readVolatileLong(a + MAGIC_OFFSET);
        if (magic != MAGIC) {
            throw new IncompatibleStoreException(who + " is not a ShmStore object: its first bytes are \""
                    + describeMagic(magic) + "\", expected \"SHMNAMED\"");
        }
        int version = MEMORY.readInt(a + VERSION_OFFSET);
        if (version != VERSION) {
            throw new IncompatibleStoreException(who + " has object format version " + version
                    + "; this ShmStore reads version " + VERSION);
        }
        int tag = MEMORY.readInt(a + TYPE_OFFSET);
        ObjectType found = ObjectType.ofTag(tag);
        if (found != spec.type()) {
            throw new IncompatibleStoreException(Names.quote(spec.displayName()) + " is "
                    + (found == null ? "an object of unknown type " + tag : found.withArticle())
                    + ", not " + spec.type().withArticle());
        }
        int headerLength = MEMORY.readInt(a + HEADER_LENGTH_OFFSET);
        long userSize = MEMORY.readLong(a + USER_SIZE_OFFSET);
        if (headerLength != HEADER_LENGTH || userSize < 0 || userSize > MAX_USER_SIZE
                || available >= 0 && HEADER_LENGTH + userSize > available) {
            throw new StoreCorruptedException(who + " has an inconsistent header: header length " + headerLength
                    + " (expected " + HEADER_LENGTH + "), user size " + userSize
                    + (available >= 0 ? ", but it is " + available + " bytes" : ""));
        }
    }

    /** The user size recorded in a checked header. */
    public static long userSize(long a) {
        return MEMORY.readLong(a + USER_SIZE_OFFSET);
    }

    /** The lifetime recorded in a checked header. */
    public static Lifetime lifetime(long a) {
        return MEMORY.readInt(a + LIFETIME_OFFSET) == LIFETIME_PERSISTENT ? Lifetime.PERSISTENT : Lifetime.UNTIL_LAST_CLOSE;
    }

    /** The object id recorded in a checked header. */
    public static long objectId(long a) {
        return MEMORY.readLong(a + OBJECT_ID_OFFSET);
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
