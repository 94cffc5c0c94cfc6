package io.shmstore.internal.store;

import net.openhft.chronicle.core.Memory;
import net.openhft.chronicle.core.OS;

/**
 * The 64-bit hash for keys and entry checksums: 8 bytes at a time with a multiply-rotate mix and a
 * murmur3 finaliser. Part of the store format (FORMAT.md §2, "Hash"); any change is a format version
 * change.
 */
final class Hashing {
    private static final Memory MEMORY = OS.memory();
    private static final long P1 = 0x9E3779B185EBCA87L;
    private static final long P2 = 0xC2B2AE3D27D4EB4FL;

    private Hashing() {
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
