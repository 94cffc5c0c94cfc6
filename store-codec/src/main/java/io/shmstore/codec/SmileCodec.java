package io.shmstore.codec;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.smile.databind.SmileMapper;

/**
 * Values as Smile, Jackson's binary JSON: the same data model, type support, default settings and
 * evolution policy as {@link JsonCodec}, smaller and faster to parse. The id is {@code smile:} and the
 * canonical type. A custom mapper must be on a {@code SmileFactory}: start from
 * {@code JsonCodec.configure(new SmileMapper())}.
 *
 * @param <T> the type of the values
 */
public final class SmileCodec<T> extends JacksonCodec<T> {
    private static final ObjectMapper DEFAULT = JsonCodec.configure(new SmileMapper());

    private SmileCodec(JavaType type, ObjectMapper mapper) {
        super("smile", type, mapper);
    }

    /**
     * A codec for values of {@code type}, with the default mapper.
     *
     * @param <T>  the type of the values
     * @param type the values' class
     * @return the codec
     */
    public static <T> SmileCodec<T> of(Class<T> type) {
        return of(type, DEFAULT);
    }

    /**
     * A codec for values of {@code type}, with {@code mapper}.
     *
     * @param <T>    the type of the values
     * @param type   the values' class
     * @param mapper a mapper on a {@code SmileFactory} (for example a {@link SmileMapper})
     * @return the codec
     * @throws IllegalArgumentException naming the format when the mapper does not write Smile
     */
    public static <T> SmileCodec<T> of(Class<T> type, ObjectMapper mapper) {
        return new SmileCodec<>(mapper.constructType(type), checkSmile(mapper));
    }

    /**
     * A codec for values of a generic type, with the default mapper.
     *
     * @param <T>  the type of the values
     * @param type the values' type
     * @return the codec
     */
    public static <T> SmileCodec<T> of(TypeReference<T> type) {
        return of(type, DEFAULT);
    }

    /**
     * A codec for values of a generic type, with {@code mapper}.
     *
     * @param <T>    the type of the values
     * @param type   the values' type
     * @param mapper a mapper on a {@code SmileFactory}
     * @return the codec
     * @throws IllegalArgumentException naming the format when the mapper does not write Smile
     */
    public static <T> SmileCodec<T> of(TypeReference<T> type, ObjectMapper mapper) {
        return new SmileCodec<>(mapper.constructType(type), checkSmile(mapper));
    }

    private static ObjectMapper checkSmile(ObjectMapper mapper) {
        String format = mapper.getFactory().getFormatName();
        if (!"Smile".equals(format)) {
            throw new IllegalArgumentException("SmileCodec needs a mapper on a SmileFactory; this one writes " + format);
        }
        return mapper;
    }
}
