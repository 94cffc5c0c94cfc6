package io.shmstore.store;

import io.shmstore.Codec;
import io.shmstore.CodecException;
import io.shmstore.Codecs;
import io.shmstore.SharedStore;
import io.shmstore.testing.ShmDirExtension;
import net.openhft.chronicle.bytes.Bytes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.Serializable;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** {@link Codecs#serializable}: what JCache users hand in, stored by value. */
@ExtendWith(ShmDirExtension.class)
class SerializationCodecTest {

    record Point(int x, int y) implements Serializable {
    }

    static class Plain {
    }

    interface Shape {
    }

    /** A Shape that is Serializable, and one holding a field that is not. */
    record Circle(double r) implements Shape, Serializable {
    }

    record Broken(Object inside) implements Shape, Serializable {
    }

    private static <T> byte[] bytesOf(Codec<T> codec, T value) {
        Bytes<?> out = Bytes.allocateElasticOnHeap(64);
        codec.write(out, value);
        byte[] b = new byte[(int) out.writePosition()];
        out.read(b);
        return b;
    }

    private static <T> T roundTrip(Codec<T> codec, T value) {
        Bytes<?> out = Bytes.allocateElasticOnHeap(64);
        codec.write(out, value);
        return codec.read(out, null);
    }

    @Test
    void shouldRoundTripValueTypesRecordsAndCollections() {
        Codec<Object> c = Codecs.serializable(Object.class);
        for (Object v : List.<Object>of("text", "ünïcödé", 42L, 7, (short) 3, (byte) -1, 'x', true, 2.5d, 1.5f,
                new BigDecimal("12.340"), LocalDate.of(2024, 2, 29), new Point(1, 2), List.of(1, 2, 3))) {
            assertThat(roundTrip(c, v)).as("%s of %s", v, v.getClass()).isEqualTo(v).hasSameClassAs(v);
        }
        assertThat(bytesOf(Codecs.serializable(Long.class), 42L)).as("a long: a tag and 8 bytes").hasSize(9);
    }

    @Test
    void shouldWriteEqualKeysAsEqualBytes() {
        Codec<Object> c = Codecs.serializable(Object.class);
        assertThat(bytesOf(c, new Point(3, 4))).isEqualTo(bytesOf(c, new Point(3, 4)));
        assertThat(bytesOf(c, Double.NaN)).isEqualTo(bytesOf(c, Double.longBitsToDouble(0x7ff8000000000001L)));
        assertThat(bytesOf(c, 0.0d)).as("0.0 and -0.0 are not equal()").isNotEqualTo(bytesOf(c, -0.0d));
        assertThat(bytesOf(c, 1L)).as("a Long and an Integer are different keys").isNotEqualTo(bytesOf(c, 1));
    }

    @Test
    void shouldRefuseATypeNoInstanceOfWhichIsSerializableNamingIt() {
        assertThatThrownBy(() -> Codecs.serializable(Plain.class)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(Plain.class.getName()).hasMessageContaining("not Serializable");
        assertThatThrownBy(() -> Codecs.serializable(int.class)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("int");
        assertThat(Codecs.serializable(Shape.class).id()).as("an interface may have serializable implementations")
                .isEqualTo("java-serialization");
    }

    @Test
    void shouldRefuseAValueThatDoesNotSerializeNamingItsClass() {
        try (SharedStore<String, Shape> s = SharedStore.of(String.class, Shape.class).name("shapes")
                .valueCodec(Codecs.serializable(Shape.class)).create()) {
            s.put("c", new Circle(2));
            assertThat(s.get("c")).isEqualTo(new Circle(2));
            assertThatThrownBy(() -> s.put("b", new Broken(new Plain())))
                    .isInstanceOf(CodecException.class).hasMessageContaining(Plain.class.getName())
                    .hasMessageContaining("not Serializable");
            assertThat(s.containsKey("b")).isFalse();
        }
    }

    @Test
    void shouldResolveClassesThroughTheGivenLoaderFirst() {
        ClassLoader[] asked = new ClassLoader[1];
        ClassLoader loader = new ClassLoader(getClass().getClassLoader()) {
            @Override
            protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
                if (name.equals(Point.class.getName())) {
                    asked[0] = this;
                }
                return super.loadClass(name, resolve);
            }
        };
        Codec<Point> c = Codecs.serializable(Point.class, loader);
        assertThat(roundTrip(c, new Point(5, 6))).isEqualTo(new Point(5, 6));
        assertThat(asked[0]).isSameAs(loader);
    }
}
