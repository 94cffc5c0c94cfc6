package io.shmstore.codec;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;

/**
 * Values as JSON text, through Jackson. Records, POJOs, {@code java.time} types and generic types
 * (through a {@link TypeReference}) work with the default mapper.
 *
 * <pre>{@code
 * SharedStore.of(String.class, Quote.class).name("quotes").valueCodec(JsonCodec.of(Quote.class))...
 * SharedStore.of(String.class, Object.class)...valueCodec(JsonCodec.of(new TypeReference<Map<String, List<Long>>>() {}))
 * }</pre>
 *
 * <p>The {@linkplain #id() id} is {@code json:} and the canonical type, so a store opened with
 * another type or with {@link SmileCodec} is refused. A custom {@link ObjectMapper} must write bytes
 * that every process's mapper can read: the id does not cover its settings. The default mapper sorts
 * map entries by key, so that equal values give equal bytes (which matters for keys), and writes
 * {@code java.time} values as ISO-8601 text.
 */
public final class JsonCodec<T> extends JacksonCodec<T> {
    private static final ObjectMapper DEFAULT = configure(new ObjectMapper());

    private JsonCodec(JavaType type, ObjectMapper mapper) {
        super("json", type, mapper);
    }

    public static <T> JsonCodec<T> of(Class<T> type) {
        return of(type, DEFAULT);
    }

    public static <T> JsonCodec<T> of(Class<T> type, ObjectMapper mapper) {
        return new JsonCodec<>(mapper.constructType(type), mapper);
    }

    public static <T> JsonCodec<T> of(TypeReference<T> type) {
        return of(type, DEFAULT);
    }

    public static <T> JsonCodec<T> of(TypeReference<T> type, ObjectMapper mapper) {
        return new JsonCodec<>(mapper.constructType(type), mapper);
    }

    /** The settings of the default mappers (JSON and Smile). */
    static <M extends ObjectMapper> M configure(M mapper) {
        mapper.registerModule(new JavaTimeModule());
        mapper.enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS);
        mapper.disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);
        return mapper;
    }
}
