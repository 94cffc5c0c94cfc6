package io.shmstore.codec;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.ser.std.ToStringSerializer;
import com.fasterxml.jackson.dataformat.smile.databind.SmileMapper;
import io.shmstore.Codec;
import io.shmstore.CodecException;
import net.openhft.chronicle.bytes.Bytes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** JSON and Smile codecs on their own: round trips of awkward values, ids, reuse. */
class JacksonCodecTest {

    private static <T> Function<Class<T>, Codec<T>> factory(String format) {
        return format.equals("json") ? JsonCodec::of : SmileCodec::of;
    }

    private static <T> T roundTrip(Codec<T> codec, T value, T reuse) {
        Bytes<?> b = Bytes.allocateElasticDirect(64);
        try {
            codec.write(b, value);
            return codec.read(b, reuse);
        } finally {
            b.releaseLast();
        }
    }

    static Quote awkwardQuote() {
        Map<String, Double> extra = new LinkedHashMap<>();
        extra.put("z-last", 1.5);
        extra.put("a-first", -0.0);
        return new Quote("EUR/USD \u00e9\u00fc\u2713 \ud834\udd1e \u65e5\u672c", 1.0842, Instant.parse("2026-11-24T13:45:01.123456789Z"),
                LocalDate.of(2026, 2, 28), Duration.ofMillis(1500), List.of("", "fx", "\u0000nul"), extra, null);
    }

    @ParameterizedTest
    @ValueSource(strings = {"json", "smile"})
    void recordsWithUnicodeTimeCollectionsAndNullsRoundTrip(String format) {
        Codec<Quote> codec = JacksonCodecTest.<Quote>factory(format).apply(Quote.class);
        Quote q = awkwardQuote();
        assertThat(roundTrip(codec, q, null)).isEqualTo(q);
        Quote empty = new Quote("", 0, Instant.EPOCH, LocalDate.MIN, Duration.ZERO, List.of(), Map.of(), "");
        assertThat(roundTrip(codec, empty, null)).isEqualTo(empty);
    }

    @ParameterizedTest
    @ValueSource(strings = {"json", "smile"})
    void largeValuesRoundTrip(String format) {
        Codec<String> codec = JacksonCodecTest.<String>factory(format).apply(String.class);
        char[] big = new char[1 << 20];
        Arrays.fill(big, '\u00e4');
        String s = new String(big);
        assertThat(roundTrip(codec, s, null)).isEqualTo(s);
    }

    @ParameterizedTest
    @ValueSource(strings = {"json", "smile"})
    void beansAreUpdatedInPlace(String format) {
        Codec<Order> codec = JacksonCodecTest.<Order>factory(format).apply(Order.class);
        Order o = new Order(7, "ACME", List.of(new Order.Line("sku-1", 2), new Order.Line("sku-2", 5)));
        Order reuse = new Order(1, "old", List.of());
        Order read = roundTrip(codec, o, reuse);
        assertThat(read).isSameAs(reuse).isEqualTo(o);
        Order nulls = new Order(8, null, List.of());
        assertThat(roundTrip(codec, nulls, null)).isEqualTo(nulls);
    }

    @Test
    void genericTypesThroughATypeReference() {
        TypeReference<Map<String, List<Long>>> type = new TypeReference<>() {
        };
        Map<String, List<Long>> value = new TreeMap<>(Map.of("a", List.of(1L, 2L), "b", List.of()));
        assertThat(roundTrip(JsonCodec.of(type), value, null)).isEqualTo(value);
        assertThat(roundTrip(SmileCodec.of(type), value, null)).isEqualTo(value);
        assertThat(JsonCodec.of(type).id()).isEqualTo("json:java.util.Map<java.lang.String,java.util.List<java.lang.Long>>");
    }

    @Test
    void idsNameFormatAndTypeAndAreStable() {
        assertThat(JsonCodec.of(Quote.class).id()).isEqualTo("json:io.shmstore.codec.Quote");
        assertThat(SmileCodec.of(Quote.class).id()).isEqualTo("smile:io.shmstore.codec.Quote");
        assertThat(JsonCodec.of(Quote.class).id()).isEqualTo(JsonCodec.of(Quote.class).id());
    }

    @Test
    void equalMapsGiveEqualBytes() {
        Map<String, Integer> a = new LinkedHashMap<>();
        a.put("x", 1);
        a.put("y", 2);
        Map<String, Integer> b = new LinkedHashMap<>();
        b.put("y", 2);
        b.put("x", 1);
        Codec<Map<String, Integer>> codec = JsonCodec.of(new TypeReference<>() {
        });
        Bytes<?> ba = Bytes.allocateElasticOnHeap();
        Bytes<?> bb = Bytes.allocateElasticOnHeap();
        codec.write(ba, a);
        codec.write(bb, b);
        assertThat(ba.toString()).isEqualTo(bb.toString());
    }

    @Test
    void aSmileCodecNeedsASmileMapper() {
        assertThatThrownBy(() -> SmileCodec.of(Quote.class, new com.fasterxml.jackson.databind.ObjectMapper()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("JSON");
    }

    /** Version 1 and version 2 of a value, as processes of two releases see it. */
    record PriceV1(String symbol, double bid) {
    }

    record PriceV2(String symbol, double bid, String venue) {
    }

    @ParameterizedTest
    @ValueSource(strings = {"json", "smile"})
    void aReaderIgnoresPropertiesItDoesNotKnowAndDefaultsThoseItMisses(String format) {
        Codec<PriceV2> newer = JacksonCodecTest.<PriceV2>factory(format).apply(PriceV2.class);
        Codec<PriceV1> older = JacksonCodecTest.<PriceV1>factory(format).apply(PriceV1.class);
        Bytes<?> b = Bytes.allocateElasticOnHeap();
        newer.write(b, new PriceV2("EURUSD", 1.5, "XLON"));
        assertThat(older.read(b, null)).isEqualTo(new PriceV1("EURUSD", 1.5));
        b.clear();
        older.write(b, new PriceV1("GBPUSD", 1.25));
        assertThat(newer.read(b, null)).isEqualTo(new PriceV2("GBPUSD", 1.25, null));
    }

    @Test
    void aChangedPropertyTypeIsACodecExceptionNamingTheCodec() {
        Bytes<?> b = Bytes.allocateElasticOnHeap();
        b.append("{\"symbol\":\"EURUSD\",\"bid\":\"high\"}");
        assertThatThrownBy(() -> JsonCodec.of(PriceV1.class).read(b, null))
                .isInstanceOf(CodecException.class)
                .hasMessageContaining("json:io.shmstore.codec.JacksonCodecTest$PriceV1").hasMessageContaining("high");
    }

    @Test
    void aMapperStartedFromConfigureKeepsTheDefaultSettingsUnderTheUsersOwn() {
        ObjectMapper mine = JsonCodec.configure(new ObjectMapper())
                .registerModule(new SimpleModule().addSerializer(Venue.class, new ToStringSerializer()));
        Codec<Map<String, Object>> custom = JsonCodec.of(new TypeReference<>() {
        }, mine);
        Map<String, Object> value = new LinkedHashMap<>();
        value.put("z", Instant.parse("2026-01-02T03:04:05Z"));
        value.put("a", new Venue("XLON"));
        Bytes<?> b = Bytes.allocateElasticOnHeap();
        custom.write(b, value);
        assertThat(b.toString()).as("keys sorted, java.time as ISO text, and the user's serializer")
                .isEqualTo("{\"a\":\"venue XLON\",\"z\":\"2026-01-02T03:04:05Z\"}");
        Bytes<?> newer = Bytes.allocateElasticOnHeap();
        newer.append("{\"symbol\":\"EURUSD\",\"bid\":1.5,\"venue\":\"XLON\"}");
        assertThat(JsonCodec.of(PriceV1.class, mine).read(newer, null)).isEqualTo(new PriceV1("EURUSD", 1.5));
        SmileMapper smile = JsonCodec.configure(new SmileMapper());
        assertThat(smile.isEnabled(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)).isTrue();
        assertThat(smile.isEnabled(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)).isFalse();
    }

    /** A type with a serializer of the user's. */
    record Venue(String mic) {
        @Override
        public String toString() {
            return "venue " + mic;
        }
    }
}
