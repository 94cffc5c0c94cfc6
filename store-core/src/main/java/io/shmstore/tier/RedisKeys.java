package io.shmstore.tier;

import io.shmstore.Codec;
import io.shmstore.Codecs;
import net.openhft.chronicle.bytes.Bytes;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * How keys and values become Redis's bytes and back, through ShmStore's codecs. A Redis key is the
 * prefix's UTF-8 bytes followed by the key's bytes; a Redis value is the value's bytes. Those are
 * the codec's, except for the built-in {@link Codecs#string()} and {@link Codecs#bytes()}, whose length
 * prefix Redis does not need: a string is its UTF-8 and a byte array itself, so that
 * {@code redis-cli GET prefix:key} and every other client see plain keys and values. (JSON through
 * {@code JsonCodec} is plain JSON text.)
 */
final class RedisKeys<K, V> {
    private final byte[] prefix;
    private final Codec<K> keys;
    private final Codec<V> values;

    RedisKeys(String prefix, Codec<K> keys, Codec<V> values) {
        this.prefix = prefix.getBytes(StandardCharsets.UTF_8);
        this.keys = keys;
        this.values = values;
    }

    byte[] key(K key) {
        byte[] body = encode(keys, key);
        byte[] out = Arrays.copyOf(prefix, prefix.length + body.length);
        System.arraycopy(body, 0, out, prefix.length, body.length);
        return out;
    }

    /** The key a Redis key names, or null when it is not under this prefix or not one the key codec wrote. */
    K fromRedis(byte[] redisKey) {
        if (redisKey.length < prefix.length || !Arrays.equals(redisKey, 0, prefix.length, prefix, 0, prefix.length)) {
            return null;
        }
        try {
            return decode(keys, Arrays.copyOfRange(redisKey, prefix.length, redisKey.length));
        } catch (RuntimeException notOurs) {
            // a key under the prefix that the codec did not write: no host copy can be under it
            return null;
        }
    }

    byte[] value(V value) {
        return encode(values, value);
    }

    /**
     * @throws RuntimeException whatever the codec throws for bytes it did not write, or when it leaves
     *                          bytes unread (a codec reads exactly what it wrote)
     */
    V fromRedisValue(byte[] value) {
        return decode(values, value);
    }

    String valueCodecId() {
        return values.id();
    }

    String prefix() {
        return new String(prefix, StandardCharsets.UTF_8);
    }

    private static <T> byte[] encode(Codec<T> codec, T value) {
        if (codec == Codecs.string()) {
            return ((String) value).getBytes(StandardCharsets.UTF_8);
        }
        if (codec == Codecs.bytes()) {
            return ((byte[]) value).clone();
        }
        Bytes<byte[]> out = Bytes.allocateElasticOnHeap(64);
        try {
            codec.write(out, value);
            return out.toByteArray();
        } finally {
            out.releaseLast();
        }
    }

    @SuppressWarnings("unchecked")
    private static <T> T decode(Codec<T> codec, byte[] bytes) {
        if (codec == Codecs.string()) {
            return (T) new String(bytes, StandardCharsets.UTF_8);
        }
        if (codec == Codecs.bytes()) {
            return (T) bytes;
        }
        Bytes<byte[]> in = Bytes.wrapForRead(bytes);
        try {
            T value = codec.read(in, null);
            if (in.readRemaining() != 0) {
                throw new IllegalArgumentException(in.readRemaining() + " bytes left over");
            }
            return value;
        } finally {
            in.releaseLast();
        }
    }
}
