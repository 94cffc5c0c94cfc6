package io.shmstore.internal.store;

import net.openhft.chronicle.core.Memory;
import net.openhft.chronicle.core.OS;

/**
 * The 64-bit hash for keys (8 bytes at a time with a multiply-rotate mix and a murmur3 finaliser) and
 * the entry checksum (xxHash64). Part of the store format (FORMAT.md §2, "Hash"); any change is a
 * format version change.
 */
final class Hashing {
    private static final Memory MEMORY = OS.memory();
    private static final long P1 = 0x9E3779B185EBCA87L;
    private static final long P2 = 0xC2B2AE3D27D4EB4FL;
    /** xxHash64's primes; the first two are the key hash's. */
    private static final long X1 = P1;
    private static final long X2 = P2;
    private static final long X3 = 0x165667B19E3779F9L;
    private static final long X4 = 0x85EBCA77C2B2AE63L;
    private static final long X5 = 0x27D4EB2F165667C5L;

    private Hashing() {
    }

    /** The seed of key hashes. */
    static final long KEY_SEED = 0x6B65_795F_6861_7368L;

    /** The hash of a key's encoded bytes: its top half picks the segment and is the slot's tag. */
    static long keyHash(long address, long length) {
        return hash(KEY_SEED, address, length);
    }

    /** Hash of {@code length} bytes at native {@code address}, continuing from {@code seed}. */
    static long hash(long seed, long address, long length) {
        long h = seed ^ (length * P1);
        long i = 0;
        for (; i + 8 <= length; i += 8) {
            h = mix(h, MEMORY.readLong(address + i));
        }
        if (i < length) {
            long tail = 0;
            for (int s = 0; i < length; i++, s += 8) {
                tail |= (MEMORY.readByte(address + i) & 0xFFL) << s;
            }
            h = mix(h, tail);
        }
        return fmix(h);
    }

    /**
     * The entry checksum (FORMAT.md): xxHash64 of {@code length} bytes at {@code address} with seed 0,
     * low 32 bits. Four independent lanes over 32-byte blocks keep the multiplier busy: a 130-byte entry
     * takes about a third of the time of the one-lane {@link #hash}.
     */
    static int checksum(long address, long length) {
        long h;
        long i = 0;
        if (length >= 32) {
            long v1 = X1 + X2;
            long v2 = X2;
            long v3 = 0;
            long v4 = -X1;
            for (; i + 32 <= length; i += 32) {
                v1 = round(v1, MEMORY.readLong(address + i));
                v2 = round(v2, MEMORY.readLong(address + i + 8));
                v3 = round(v3, MEMORY.readLong(address + i + 16));
                v4 = round(v4, MEMORY.readLong(address + i + 24));
            }
            h = Long.rotateLeft(v1, 1) + Long.rotateLeft(v2, 7) + Long.rotateLeft(v3, 12) + Long.rotateLeft(v4, 18);
            h = merge(merge(merge(merge(h, v1), v2), v3), v4);
        } else {
            h = X5;
        }
        h += length;
        for (; i + 8 <= length; i += 8) {
            h ^= round(0, MEMORY.readLong(address + i));
            h = Long.rotateLeft(h, 27) * X1 + X4;
        }
        if (i + 4 <= length) {
            h ^= (MEMORY.readInt(address + i) & 0xFFFF_FFFFL) * X1;
            h = Long.rotateLeft(h, 23) * X2 + X3;
            i += 4;
        }
        for (; i < length; i++) {
            h ^= (MEMORY.readByte(address + i) & 0xFFL) * X5;
            h = Long.rotateLeft(h, 11) * X1;
        }
        h ^= h >>> 33;
        h *= X2;
        h ^= h >>> 29;
        h *= X3;
        h ^= h >>> 32;
        return (int) h;
    }

    private static long round(long acc, long input) {
        return Long.rotateLeft(acc + input * X2, 31) * X1;
    }

    private static long merge(long h, long v) {
        return (h ^ round(0, v)) * X1 + X4;
    }

    /** Hash of one long, continuing from {@code seed}. */
    static long hashLong(long seed, long value) {
        return fmix(mix(seed, value));
    }

    private static long mix(long h, long k) {
        k *= P2;
        k = Long.rotateLeft(k, 31);
        k *= P1;
        h ^= k;
        return Long.rotateLeft(h, 27) * 5 + 0x52DCE729L;
    }

    private static long fmix(long h) {
        h ^= h >>> 33;
        h *= 0xFF51AFD7ED558CCDL;
        h ^= h >>> 33;
        h *= 0xC4CEB9FE1A85EC53L;
        h ^= h >>> 33;
        return h;
    }
}
