package io.shmstore;

import net.openhft.chronicle.bytes.Bytes;
import net.openhft.chronicle.bytes.BytesMarshallable;
import net.openhft.chronicle.core.Memory;
import net.openhft.chronicle.core.OS;

import java.lang.reflect.Constructor;
import java.util.Objects;

/**
 * The built-in codecs. Each writes a compact binary form through Chronicle Bytes.
 */
public final class Codecs {
    private static final Memory MEMORY = OS.memory();

    private Codecs() {
    }

    /**
     * Strings as UTF-8 with a stop-bit length prefix; the default for {@code String}.
     *
     * @return the codec, id {@code string-utf8}
     */
    public static Codec<String> string() {
        return StringCodec.INSTANCE;
    }

    /**
     * Longs as 8 little-endian bytes; the default for {@code Long}.
     *
     * @return the codec, id {@code long-le64}
     */
    public static Codec<Long> longs() {
        return LongCodec.INSTANCE;
    }

    /**
     * Integers as 4 little-endian bytes; the default for {@code Integer}.
     *
     * @return the codec, id {@code int-le32}
     */
    public static Codec<Integer> ints() {
        return IntCodec.INSTANCE;
    }

    /**
     * Byte arrays as they are, with a stop-bit length prefix; {@code read} reuses an array of the right
     * length. The default for {@code byte[]}.
     *
     * @return the codec, id {@code bytes-stopbit}
     */
    public static Codec<byte[]> bytes() {
        return ByteArrayCodec.INSTANCE;
    }

    /**
     * Objects that write and read themselves ({@link BytesMarshallable}). {@code read} fills the object
     * passed to it, or a new one made with the public no-argument constructor. The default for such a
     * class.
     *
     * @param <T>  the class
     * @param type the class
     * @return the codec, id {@code marshallable:} and the class's name
     * @throws IllegalArgumentException naming the class when it has no public no-argument constructor
     */
    public static <T extends BytesMarshallable> Codec<T> marshallable(Class<T> type) {
        return new MarshallableCodec<>(type);
    }

    /**
     * Values of {@code type} through Java serialization (what JCache users hand in), with a compact form
     * for strings and boxed primitives; reads resolve classes through the thread's context class loader
     * where there is one. See {@link #serializable(Class, ClassLoader)}.
     *
     * @param <T>  the values' type
     * @param type the values' class; {@code Object.class} for any Serializable value
     * @return the codec, id {@code java-serialization}
     * @throws IllegalArgumentException naming {@code type} when no instance of it is Serializable by its
     *                                  declaration: a primitive, or a class other than {@code Object} that
     *                                  does not implement {@link java.io.Serializable}
     */
    public static <T> Codec<T> serializable(Class<T> type) {
        return new SerializationCodec<>(type, Thread.currentThread().getContextClassLoader());
    }

    /**
     * As {@link #serializable(Class)}, resolving the classes of values it reads through {@code loader}
     * first (null: as {@link java.io.ObjectInputStream} does). Its {@code id()} is
     * {@code java-serialization}; a value whose class turns out not to be Serializable is refused with
     * {@link IllegalArgumentException} naming the class.
     *
     * @param <T>    the values' type
     * @param type   the values' class, as for {@link #serializable(Class)}
     * @param loader the class loader tried first for the classes of values read, or null for none
     * @return the codec
     */
    public static <T> Codec<T> serializable(Class<T> type, ClassLoader loader) {
        return new SerializationCodec<>(type, loader);
    }

    /**
     * The codec a store uses for {@code type} when none is given ({@code String}, {@code Long},
     * {@code Integer}, {@code byte[]}, {@code BytesMarshallable} types), or null when there is none and
     * one must be given.
     *
     * @param <T>  the type
     * @param type the keys' or values' class
     * @return the built-in codec, or null when {@code type} has none
     */
    @SuppressWarnings("unchecked")
    public static <T> Codec<T> defaultFor(Class<T> type) {
        if (type == String.class) {
            return (Codec<T>) string();
        }
        if (type == Long.class) {
            return (Codec<T>) longs();
        }
        if (type == Integer.class) {
            return (Codec<T>) ints();
        }
        if (type == byte[].class) {
            return (Codec<T>) bytes();
        }
        if (BytesMarshallable.class.isAssignableFrom(type)) {
            return (Codec<T>) marshallable(type.asSubclass(BytesMarshallable.class));
        }
        return null;
    }

    private enum StringCodec implements Codec<String> {
        INSTANCE;

        /**
         * ASCII text, the common case for keys, is written in one pass without Chronicle's separate
         * UTF-8 length scan, straight into native memory when the output is native (a store's scratch);
         * the bytes are the same as {@code writeUtf8} writes, which any other text goes through.
         */
        @Override
        public void write(Bytes<?> out, String value) {
            int n = value.length();
            if (n < 128 && (out.isDirectMemory() ? writeAsciiDirect(out, value, n) : writeAscii(out, value, n))) {
                return;
            }
            out.writeUtf8(value);
        }

        /** Writes ASCII text with its length byte; false, having written nothing, for other text. */
        private static boolean writeAscii(Bytes<?> out, String value, int n) {
            for (int i = 0; i < n; i++) {
                if (value.charAt(i) >= 0x80) {
                    return false;
                }
            }
            out.writeByte((byte) n);
            for (int i = 0; i < n; i++) {
                out.writeByte((byte) value.charAt(i));
            }
            return true;
        }

        /**
         * As {@link #writeAscii}, into native memory at the write position: one capacity check, then
         * plain stores, the position moved once the text proved ASCII (on other text the bytes stored
         * past the position are left for {@code writeUtf8} to overwrite). Output whose bytes are not
         * one run of memory there (a file mapped in chunks) goes through {@link #writeAscii}.
         */
        private static boolean writeAsciiDirect(Bytes<?> out, String value, int n) {
            long position = out.writePosition();
            out.ensureCapacity(position + n + 1);
            long at = out.addressForWrite(position);
            if (out.addressForWrite(position + n) != at + n) {
                return writeAscii(out, value, n);
            }
            int seen = 0;
            MEMORY.writeByte(at, (byte) n);
            for (int i = 0; i < n; i++) {
                char c = value.charAt(i);
                seen |= c;
                MEMORY.writeByte(at + 1 + i, (byte) c);
            }
            if (seen >= 0x80) {
                return false;
            }
            out.writeSkip(n + 1);
            return true;
        }

        @Override
        public String read(Bytes<?> in, String reuse) {
            return in.readUtf8();
        }

        @Override
        public String id() {
            return "string-utf8";
        }
    }

    private enum LongCodec implements Codec<Long> {
        INSTANCE;

        @Override
        public void write(Bytes<?> out, Long value) {
            out.writeLong(value);
        }

        @Override
        public Long read(Bytes<?> in, Long reuse) {
            return in.readLong();
        }

        @Override
        public String id() {
            return "long-le64";
        }
    }

    private enum IntCodec implements Codec<Integer> {
        INSTANCE;

        @Override
        public void write(Bytes<?> out, Integer value) {
            out.writeInt(value);
        }

        @Override
        public Integer read(Bytes<?> in, Integer reuse) {
            return in.readInt();
        }

        @Override
        public String id() {
            return "int-le32";
        }
    }

    private enum ByteArrayCodec implements Codec<byte[]> {
        INSTANCE;

        @Override
        public void write(Bytes<?> out, byte[] value) {
            out.writeStopBit(value.length);
            out.write(value);
        }

        @Override
        public byte[] read(Bytes<?> in, byte[] reuse) {
            long n = in.readStopBit();
            if (n < 0 || n > in.readRemaining()) {
                throw new StoreCorruptedException("byte array length " + n + " exceeds the " + in.readRemaining()
                        + " bytes stored");
            }
            byte[] out = reuse != null && reuse.length == n ? reuse : new byte[(int) n];
            in.read(out);
            return out;
        }

        @Override
        public String id() {
            return "bytes-stopbit";
        }
    }

    private static final class MarshallableCodec<T extends BytesMarshallable> implements Codec<T> {
        private final Class<T> type;
        private final Constructor<T> constructor;

        MarshallableCodec(Class<T> type) {
            this.type = Objects.requireNonNull(type, "type");
            try {
                this.constructor = type.getConstructor();
            } catch (NoSuchMethodException e) {
                throw new IllegalArgumentException(type.getName() + " needs a public no-argument constructor"
                        + " to be read by Codecs.marshallable", e);
            }
        }

        @Override
        public void write(Bytes<?> out, T value) {
            value.writeMarshallable(out);
        }

        @Override
        public T read(Bytes<?> in, T reuse) {
            T target = reuse;
            if (target == null) {
                try {
                    target = constructor.newInstance();
                } catch (ReflectiveOperationException e) {
                    throw new StoreException("cannot construct " + type.getName() + ": " + e, e);
                }
            }
            target.readMarshallable(in);
            return target;
        }

        @Override
        public String id() {
            return "marshallable:" + type.getName();
        }
    }
}
