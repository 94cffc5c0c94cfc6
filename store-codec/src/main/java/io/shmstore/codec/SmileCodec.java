package io.shmstore.codec;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.smile.databind.SmileMapper;

/**
 * Values as Smile, Jackson's binary JSON: the same data model and type support as {@link JsonCodec},
 * smaller and faster to parse. The id is {@code smile:} and the canonical type.
 */
public final class SmileCodec<T> extends JacksonCodec<T> {
    private static final ObjectMapper DEFAULT = JsonCodec.configure(new SmileMapper());

    private SmileCodec(JavaType type, ObjectMapper mapper) {
        super("smile", type, mapper);
    }

    public static <T> SmileCodec<T> of(Class<T> type) {
        return of(type, DEFAULT);
    }

    /** @param mapper a mapper on a {@code SmileFactory} (for example a {@link SmileMapper}) */
    public static <T> SmileCodec<T> of(Class<T> type, ObjectMapper mapper) {
        return new SmileCodec<>(mapper.constructType(type), checkSmile(mapper));
    }

    public static <T> SmileCodec<T> of(TypeReference<T> type) {
        return of(type, DEFAULT);
    }

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
