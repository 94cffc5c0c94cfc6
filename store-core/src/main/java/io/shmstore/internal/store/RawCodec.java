package io.shmstore.internal.store;

import io.shmstore.Codec;
import net.openhft.chronicle.bytes.Bytes;

/** Bytes as they are, no length prefix: what an entry's key or value window holds, for inspection. */
enum RawCodec implements Codec<byte[]> {
    INSTANCE;

    @Override
    public void write(Bytes<?> out, byte[] value) {
        out.write(value);
    }

    @Override
    public byte[] read(Bytes<?> in, byte[] reuse) {
        byte[] b = new byte[(int) in.readRemaining()];
        in.read(b);
        return b;
    }

    @Override
    public String id() {
        return "raw";
    }
}
