package io.shmstore.codec;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;

/**
 * Values as JSON text, through Jackson. Records, POJOs, {@code java.time} types and generic types
 * (through a {@link TypeReference}) work with the default mapper.
 *
 * <pre>{@code
 * SharedStore<String, Quote> quotes = SharedStore.of(String.class, Quote.class).name("quotes")
 *         .valueCodec(JsonCodec.of(Quote.class)).createOrOpen();
 * SharedStore<String, Map<String, List<Long>>> series = SharedStore.of(String.class, Object.class).name("series")
 *         .valueCodec(JsonCodec.of(new TypeReference<Map<String, List<Long>>>() {})).createOrOpen();
 * }</pre>
 *
 * <p>The {@linkplain #id() id} is {@code json:} and the canonical type, so a store opened with
 * another type or with {@link SmileCodec} is refused. The id does not cover the mapper's settings: a
 * custom {@link ObjectMapper} must write bytes that every process's mapper can read. Start one from
 * {@link #configure(ObjectMapper)} to keep the settings below.
 *
 * <h2>Settings of the default mapper</h2>
 * <ul>
 *   <li>Map entries are written sorted by key, so that equal values give equal bytes (which matters for
 *       keys).</li>
 *   <li>{@code java.time} values are written as ISO-8601 text.</li>
 *   <li>Unknown properties are ignored when reading ({@code FAIL_ON_UNKNOWN_PROPERTIES} off): see the
 *       evolution policy.</li>
 * </ul>
 *
 * <h2>Evolution: processes of different versions on one store</h2>
 * During a rolling upgrade old and new versions of a class read each other's values. With the default
 * settings:
 * <ul>
 *   <li><b>Adding a property</b> is safe both ways: an old reader ignores the property it does not know;
 *       a new reader of an old value gets the property's default (null, 0, false; a record component
 *       likewise).</li>
 *   <li><b>Removing a property</b> is safe both ways, for the same reasons.</li>
 *   <li><b>Renaming a property</b> loses its value across versions unless the new version also accepts
 *       the old name ({@code @JsonAlias}) and the old one the new.</li>
 *   <li><b>Changing a property's type</b> fails to read ({@link io.shmstore.CodecException} naming the
 *       key, the codec and Jackson's reason; the stored value is left as it is and {@code put} replaces
 *       it).</li>
 *   <li><b>Renaming or moving the class</b> changes the codec's id, so the new version cannot open the
 *       store ({@link io.shmstore.IncompatibleStoreException}); keep the class's name, or migrate into a new
 *       store.</li>
 * </ul>
 *
 * @param <T> the type of the values
 */
public final class JsonCodec<T> extends JacksonCodec<T> {
    private static final ObjectMapper DEFAULT = configure(new ObjectMapper());

    private JsonCodec(JavaType type, ObjectMapper mapper) {
        super("json", type, mapper);
    }

    /**
     * A codec for values of {@code type}, with the default mapper.
     *
     * @param <T>  the type of the values
     * @param type the values' class
     * @return the codec
     */
    public static <T> JsonCodec<T> of(Class<T> type) {
        return of(type, DEFAULT);
    }

    /**
     * A codec for values of {@code type}, with {@code mapper}. Every process must read what the others'
     * mappers write: start from {@link #configure(ObjectMapper)}.
     *
     * @param <T>    the type of the values
     * @param type   the values' class
     * @param mapper the mapper, used as it is and not changed
     * @return the codec
     */
    public static <T> JsonCodec<T> of(Class<T> type, ObjectMapper mapper) {
        return new JsonCodec<>(mapper.constructType(type), mapper);
    }

    /**
     * A codec for values of a generic type, with the default mapper:
     * {@code JsonCodec.of(new TypeReference<Map<String, List<Long>>>() {})}.
     *
     * @param <T>  the type of the values
     * @param type the values' type
     * @return the codec
     */
    public static <T> JsonCodec<T> of(TypeReference<T> type) {
        return of(type, DEFAULT);
    }

    /**
     * A codec for values of a generic type, with {@code mapper}.
     *
     * @param <T>    the type of the values
     * @param type   the values' type
     * @param mapper the mapper, used as it is and not changed
     * @return the codec
     */
    public static <T> JsonCodec<T> of(TypeReference<T> type, ObjectMapper mapper) {
        return new JsonCodec<>(mapper.constructType(type), mapper);
    }

    /**
     * Applies the settings of the default mappers (JSON and Smile) to {@code mapper}, for an application
     * that needs its own modules or settings on top of them:
     * {@code JsonCodec.configure(new ObjectMapper()).registerModule(myModule)}. The settings are listed in
     * the class comment.
     *
     * @param <M>    the mapper's class ({@code ObjectMapper}, or {@code SmileMapper} for {@link SmileCodec})
     * @param mapper the mapper to change
     * @return {@code mapper}
     */
    public static <M extends ObjectMapper> M configure(M mapper) {
        mapper.registerModule(new JavaTimeModule());
        mapper.enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS);
        mapper.disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);
        mapper.disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
        return mapper;
    }
}
