package io.shmstore.tier;

import io.shmstore.Codec;
import net.openhft.chronicle.bytes.Bytes;

import java.util.Objects;

/**
 * A {@link Held} in the host's store: the epoch (8 bytes), the expiry (8 bytes, little-endian), a
 * presence byte (1: a value follows, 0: Redis has no such key), then the value in the user's codec.
 */
final class HeldCodec<V> implements Codec<Held<V>> {
    private final Codec<V> values;

    HeldCodec(Codec<V> values) {
        this.values = Objects.requireNonNull(values, "valueCodec");
    }

    @Override
    public void write(Bytes<?> out, Held<V> held) {
        out.writeLong(held.epoch());
        out.writeLong(held.expiresAt());
        if (held.value() == null) {
            out.writeByte((byte) 0);
        } else {
            out.writeByte((byte) 1);
            values.write(out, held.value());
        }
    }

    @Override
    public Held<V> read(Bytes<?> in, Held<V> reuse) {
        long epoch = in.readLong();
        long expiresAt = in.readLong();
        V value = in.readByte() == 0 ? null : values.read(in, reuse == null ? null : reuse.value());
        return new Held<>(epoch, expiresAt, value);
    }

    @Override
    public String id() {
        return "redis-tier-v1:" + values.id();
    }
}
