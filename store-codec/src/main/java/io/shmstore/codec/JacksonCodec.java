package io.shmstore.codec;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.ObjectWriter;
import io.shmstore.Codec;
import io.shmstore.CodecException;
import net.openhft.chronicle.bytes.Bytes;

import java.io.IOException;
import java.util.Objects;

/**
 * A codec on a Jackson {@link ObjectMapper}, JSON or Smile. Values are written straight into the
 * Chronicle {@code Bytes} through its {@code OutputStream} view and read straight from its
 * {@code InputStream} view: Jackson encodes into its own recycled buffers, and no {@code byte[]} or
 * {@code String} is made per call.
 *
 * <p>The reader and writer are built once (thread-safe, as Jackson's are) with auto-close off, so
 * Jackson never closes the store's buffers. {@code read} with a reusable object updates it in place
 * ({@code readerForUpdating}) when the type is a plain bean (see {@link #isBean}).
 */
abstract class JacksonCodec<T> implements Codec<T> {
    private final JavaType type;
    private final ObjectWriter writer;
    private final ObjectReader reader;
    private final boolean updatable;
    private final String id;

    JacksonCodec(String format, JavaType type, ObjectMapper mapper) {
        this.type = Objects.requireNonNull(type, "type");
        this.writer = mapper.writerFor(type).without(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
        this.reader = mapper.readerFor(type).without(JsonParser.Feature.AUTO_CLOSE_SOURCE);
        this.updatable = isBean(type);
        this.id = format + ":" + type.toCanonical();
    }

    /**
     * Only plain beans are updated in place: records and JDK types are immutable, and Jackson would
     * append to a reused collection rather than replace its contents.
     */
    private static boolean isBean(JavaType t) {
        Class<?> c = t.getRawClass();
        return !t.isContainerType() && !t.isPrimitive() && !c.isRecord() && !c.isEnum() && !c.isInterface()
                && !c.getName().startsWith("java.") && !c.getName().startsWith("javax.");
    }

    @Override
    public void write(Bytes<?> out, T value) {
        try {
            writer.writeValue(out.outputStream(), value);
        } catch (IOException e) {
            throw new CodecException("codec " + id + " cannot write a " + value.getClass().getName() + ": "
                    + e.getMessage(), e);
        }
    }

    @Override
    public T read(Bytes<?> in, T reuse) {
        try {
            if (reuse != null && updatable) {
                return reader.withValueToUpdate(reuse).readValue(in.inputStream());
            }
            return reader.readValue(in.inputStream());
        } catch (IOException e) {
            throw new CodecException("codec " + id + " cannot read a " + type.toCanonical() + ": "
                    + e.getMessage(), e);
        }
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public String toString() {
        return id;
    }
}
