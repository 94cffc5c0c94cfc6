package io.shmstore;

import net.openhft.chronicle.bytes.Bytes;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.NotSerializableException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.ObjectStreamClass;
import java.io.Serializable;
import java.util.Objects;

/**
 * {@link Codecs#serializable}: a tag byte, then the value. Strings and boxed primitives, the usual keys,
 * have tags of their own and a compact form; anything else is a Java serialization stream behind a
 * stop-bit length. Equal values write equal bytes as long as their serialized form is deterministic
 * (true of the JDK's value types, records and plain classes; a key whose {@code writeObject} depends on
 * more than its state, such as a hash set's iteration order, makes a poor key here as anywhere keys
 * are compared as bytes).
 *
 * <p>Reading resolves classes through the given class loader first, so a value a process reads is of
 * its application's classes. Stream bytes come from the store's mapping, which only processes of a
 * trusted owner can write (see SECURITY.md): the codec deserializes what they wrote.
 */
final class SerializationCodec<T> implements Codec<T> {
    private static final byte STRING = 1;
    private static final byte LONG = 2;
    private static final byte INTEGER = 3;
    private static final byte SHORT = 4;
    private static final byte BYTE = 5;
    private static final byte CHARACTER = 6;
    private static final byte BOOLEAN = 7;
    private static final byte DOUBLE = 8;
    private static final byte FLOAT = 9;
    private static final byte STREAM = 127;

    private final Class<T> type;
    private final ClassLoader loader;

    SerializationCodec(Class<T> type, ClassLoader loader) {
        this.type = Objects.requireNonNull(type, "type");
        this.loader = loader;
        if (type.isPrimitive() || !type.isInterface() && type != Object.class && !Serializable.class.isAssignableFrom(type)) {
            throw new IllegalArgumentException(type.getName() + " is not Serializable: Codecs.serializable stores"
                    + " values as their Java serialization stream. Make it Serializable, declare an interface or"
                    + " Object that its serializable subclasses implement, or give a codec of its own");
        }
    }

    @Override
    public void write(Bytes<?> out, T value) {
        Class<?> c = value.getClass();
        if (c == String.class) {
            out.writeByte(STRING);
            Codecs.string().write(out, (String) value);
        } else if (c == Long.class) {
            out.writeByte(LONG);
            out.writeLong((Long) value);
        } else if (c == Integer.class) {
            out.writeByte(INTEGER);
            out.writeInt((Integer) value);
        } else if (c == Short.class) {
            out.writeByte(SHORT);
            out.writeShort((Short) value);
        } else if (c == Byte.class) {
            out.writeByte(BYTE);
            out.writeByte((Byte) value);
        } else if (c == Character.class) {
            out.writeByte(CHARACTER);
            out.writeUnsignedShort((Character) value);
        } else if (c == Boolean.class) {
            out.writeByte(BOOLEAN);
            out.writeBoolean((Boolean) value);
        } else if (c == Double.class) {
            // the bits equals() compares: every NaN the same, 0.0 and -0.0 apart
            out.writeByte(DOUBLE);
            out.writeLong(Double.doubleToLongBits((Double) value));
        } else if (c == Float.class) {
            out.writeByte(FLOAT);
            out.writeInt(Float.floatToIntBits((Float) value));
        } else {
            out.writeByte(STREAM);
            byte[] stream = serialize(value);
            out.writeStopBit(stream.length);
            out.write(stream);
        }
    }

    private static byte[] serialize(Object value) {
        ByteArrayOutputStream buffer = new ByteArrayOutputStream(128);
        try (ObjectOutputStream out = new ObjectOutputStream(buffer)) {
            out.writeObject(value);
        } catch (NotSerializableException e) {
            throw new IllegalArgumentException("a value of " + value.getClass().getName() + " cannot be stored: "
                    + e.getMessage() + " is not Serializable", e);
        } catch (IOException e) {
            throw new IllegalArgumentException("a value of " + value.getClass().getName()
                    + " failed to serialize: " + e, e);
        }
        return buffer.toByteArray();
    }

    @Override
    public T read(Bytes<?> in, T reuse) {
        byte tag = in.readByte();
        Object value;
        switch (tag) {
            case STRING -> value = Codecs.string().read(in, null);
            case LONG -> value = in.readLong();
            case INTEGER -> value = in.readInt();
            case SHORT -> value = in.readShort();
            case BYTE -> value = in.readByte();
            case CHARACTER -> value = (char) in.readUnsignedShort();
            case BOOLEAN -> value = in.readBoolean();
            case DOUBLE -> value = Double.longBitsToDouble(in.readLong());
            case FLOAT -> value = Float.intBitsToFloat(in.readInt());
            case STREAM -> value = deserialize(in);
            default -> throw new StoreCorruptedException("serialized value with unknown tag " + tag);
        }
        if (!type.isInstance(value)) {
            throw new ClassCastException("stored value of " + value.getClass().getName() + " is not a " + type.getName());
        }
        return type.cast(value);
    }

    private Object deserialize(Bytes<?> in) {
        long n = in.readStopBit();
        if (n < 0 || n > in.readRemaining()) {
            throw new StoreCorruptedException("serialized value of " + n + " bytes exceeds the " + in.readRemaining()
                    + " bytes stored");
        }
        byte[] stream = new byte[(int) n];
        in.read(stream);
        try (ObjectInputStream objects = new LoaderObjectInputStream(new ByteArrayInputStream(stream), loader)) {
            return objects.readObject();
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException("a stored value's class is not found"
                    + (loader != null ? " by class loader " + loader : "") + ": " + e.getMessage(), e);
        } catch (IOException e) {
            throw new IllegalStateException("a stored value does not deserialize: " + e, e);
        }
    }

    @Override
    public String id() {
        return "java-serialization";
    }

    @Override
    public String toString() {
        return "Codecs.serializable(" + type.getName() + ")";
    }

    /** Resolves classes through the codec's loader first, then as {@link ObjectInputStream} does. */
    private static final class LoaderObjectInputStream extends ObjectInputStream {
        private final ClassLoader loader;

        LoaderObjectInputStream(InputStream in, ClassLoader loader) throws IOException {
            super(in);
            this.loader = loader;
        }

        @Override
        protected Class<?> resolveClass(ObjectStreamClass desc) throws IOException, ClassNotFoundException {
            if (loader != null) {
                try {
                    return Class.forName(desc.getName(), false, loader);
                } catch (ClassNotFoundException notThere) {
                    // primitives and the JDK's own classes, as the default resolution finds them
                }
            }
            return super.resolveClass(desc);
        }
    }
}
