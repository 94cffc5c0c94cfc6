package io.shmstore.codec;

import io.shmstore.Codec;
import io.shmstore.CodecException;
import io.shmstore.IncompatibleStoreException;
import io.shmstore.SharedStore;
import io.shmstore.SharedStoreBuilder;
import io.shmstore.testing.ChildJvm;
import io.shmstore.testing.ShmDirExtension;
import net.openhft.chronicle.bytes.Bytes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The codecs inside stores: across JVMs, against the header's fingerprints, and on bad bytes. */
@ExtendWith(ShmDirExtension.class)
@SuppressWarnings("try")
class CodecStoreTest {
    private static final Duration CHILD = Duration.ofSeconds(60);

    static SharedStoreBuilder<String, Quote> quotes(String name, String format) {
        return SharedStore.of(String.class, Quote.class).name(name).entries(1000).averageValueSize(256)
                .valueCodec(format.equals("json") ? JsonCodec.of(Quote.class) : SmileCodec.of(Quote.class));
    }

    static Quote quote(int i) {
        return new Quote("SYM" + i + " \u2713", i * 1.25, Instant.ofEpochSecond(1_700_000_000L + i, i),
                LocalDate.of(2026, 1, 1).plusDays(i), Duration.ofSeconds(i), List.of("t" + i), Map.of("k", (double) i),
                i % 2 == 0 ? null : "odd");
    }

    @ParameterizedTest
    @ValueSource(strings = {"json", "smile"})
    void anotherJvmReadsWhatThisOneWroteAndTheReverse(String format) {
        try (SharedStore<String, Quote> store = quotes("xjvm", format).create()) {
            for (int i = 0; i < 100; i++) {
                store.put("q" + i, quote(i));
            }
            try (ChildJvm child = ChildJvm.start(CodecChild.class, "read", format, "xjvm", "100")) {
                assertThat(child.expect("MATCHED", CHILD)).isEqualTo("100");
                assertThat(child.waitFor(CHILD)).isZero();
            }
            store.clear();
            try (ChildJvm child = ChildJvm.start(CodecChild.class, "write", format, "xjvm", "50")) {
                child.expect("WROTE", CHILD);
                assertThat(child.waitFor(CHILD)).isZero();
            }
            for (int i = 0; i < 50; i++) {
                assertThat(store.get("q" + i)).isEqualTo(quote(i));
            }
        }
    }

    @Test
    void anotherCodecOrTypeIsRefusedNamingBoth() {
        try (SharedStore<String, Quote> store = quotes("fp", "json").create()) {
            assertThatThrownBy(() -> quotes("fp", "smile").open())
                    .isInstanceOf(IncompatibleStoreException.class)
                    .hasMessageContaining("io.shmstore.codec.Quote/json:io.shmstore.codec.Quote")
                    .hasMessageContaining("io.shmstore.codec.Quote/smile:io.shmstore.codec.Quote");
            assertThatThrownBy(() -> SharedStore.of(String.class, Order.class).name("fp")
                    .valueCodec(JsonCodec.of(Order.class)).open())
                    .isInstanceOf(IncompatibleStoreException.class).hasMessageContaining("Order");
            try (SharedStore<String, Quote> same = quotes("fp", "json").open()) {
                store.put("a", quote(1));
                assertThat(same.get("a")).isEqualTo(quote(1));
            }
        }
    }

    @Test
    void aValueThatNoLongerDecodesNamesKeyAndCodecAndStaysStored() {
        JsonCodec<Quote> json = JsonCodec.of(Quote.class);
        // what an older version of the class wrote under the same codec id
        Codec<Quote> older = new Codec<>() {
            @Override
            public void write(Bytes<?> out, Quote value) {
                out.write("{\"symbol\":\"X\",\"price\":\"not a number\"}".getBytes(StandardCharsets.UTF_8));
            }

            @Override
            public Quote read(Bytes<?> in, Quote reuse) {
                throw new UnsupportedOperationException("write-only");
            }

            @Override
            public String id() {
                return json.id();
            }
        };
        try (SharedStore<String, Quote> writer = SharedStore.of(String.class, Quote.class).name("old")
                .valueCodec(older).create();
             SharedStore<String, Quote> reader = SharedStore.of(String.class, Quote.class).name("old")
                     .valueCodec(json).open()) {
            writer.put("legacy", quote(0));
            assertThatThrownBy(() -> reader.get("legacy"))
                    .isInstanceOf(CodecException.class)
                    .hasMessageContaining("legacy").hasMessageContaining(json.id())
                    .hasMessageContaining("left as they are");
            assertThat(reader.containsKey("legacy")).isTrue();
            assertThat(reader.verify()).isEmpty();
            assertThatThrownBy(() -> reader.replace("legacy", quote(3)))
                    .as("an update that needs the old value does not write").isInstanceOf(CodecException.class);
            assertThat(reader.containsKey("legacy")).isTrue();
            assertThatThrownBy(() -> reader.put("legacy", quote(2)))
                    .as("put replaces it, then says it could not return the old value")
                    .isInstanceOf(CodecException.class).hasMessageContaining("was done");
            assertThat(reader.get("legacy")).isEqualTo(quote(2));
        }
    }

    @Test
    void getUsingUpdatesABeanInPlace() {
        try (SharedStore<Long, Order> store = SharedStore.of(Long.class, Order.class).name("orders")
                .valueCodec(SmileCodec.of(Order.class)).create()) {
            Order o = new Order(1, "ACME", List.of(new Order.Line("a", 1)));
            store.put(1L, o);
            Order reuse = new Order();
            assertThat(store.getUsing(1L, reuse)).isSameAs(reuse).isEqualTo(o);
        }
    }
}
