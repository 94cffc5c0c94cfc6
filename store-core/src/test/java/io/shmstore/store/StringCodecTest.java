package io.shmstore.store;

import io.shmstore.Codec;
import io.shmstore.Codecs;
import net.openhft.chronicle.bytes.Bytes;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link Codecs#string()} writes exactly what Chronicle's {@code writeUtf8} writes (the store format's
 * key bytes), through its one-pass ASCII path into native memory, its ASCII path on the heap and the
 * {@code writeUtf8} fallback, and after bytes already written to the same output.
 */
class StringCodecTest {
    private static final Codec<String> CODEC = Codecs.string();

    @ParameterizedTest
    @ValueSource(strings = {"", "k", "key-0001234", "\u007F edge", "caf\u00E9", "\u0141\u00F3d\u017A", "key-\uD83D\uDE00",
            "a\u0080", "\u00FF", "0123456789012345678901234567890123456789012345678901234567890123456789"
            + "012345678901234567890123456789012345678901234567890123456789"})
    void writesTheBytesOfWriteUtf8OnTheHeapAndInNativeMemoryAfterEarlierBytes(String text) {
        byte[] expected = utf8(Bytes.allocateElasticOnHeap(8), text);
        assertThat(utf8Codec(Bytes.allocateElasticOnHeap(8), text)).as("heap").isEqualTo(expected);
        Bytes<Void> direct = Bytes.allocateElasticDirect(8);
        try {
            assertThat(utf8Codec(direct, text)).as("native").isEqualTo(expected);
            direct.clear();
            direct.writeInt(0x5A5A5A5A);
            CODEC.write(direct, text);
            assertThat(direct.readInt()).as("the earlier bytes").isEqualTo(0x5A5A5A5A);
            byte[] after = new byte[(int) direct.readRemaining()];
            direct.read(after);
            assertThat(after).as("native, after earlier bytes").isEqualTo(expected);
            assertThat(CODEC.read(Bytes.wrapForRead(expected), null)).isEqualTo(text);
        } finally {
            direct.releaseLast();
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {126, 127, 128, 129})
    void asciiAroundTheOneByteLengthIsWrittenAsWriteUtf8Does(int length) {
        String text = "x".repeat(length);
        Bytes<Void> direct = Bytes.allocateElasticDirect(4);
        try {
            assertThat(utf8Codec(direct, text)).isEqualTo(utf8(Bytes.allocateElasticOnHeap(8), text));
        } finally {
            direct.releaseLast();
        }
    }

    private static byte[] utf8(Bytes<?> out, String text) {
        out.writeUtf8(text);
        return copy(out);
    }

    private static byte[] utf8Codec(Bytes<?> out, String text) {
        CODEC.write(out, text);
        return copy(out);
    }

    private static byte[] copy(Bytes<?> out) {
        byte[] b = new byte[(int) out.readRemaining()];
        out.read(b);
        return b;
    }
}
