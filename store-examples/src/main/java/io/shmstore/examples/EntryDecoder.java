package io.shmstore.examples;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.smile.databind.SmileMapper;
import io.shmstore.Codec;
import io.shmstore.Codecs;
import net.openhft.chronicle.bytes.Bytes;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;

/**
 * Turns a store's raw key or value bytes into a JSON tree, chosen by the codec id recorded in the
 * store's header (the part after the first {@code /} of {@code type/codec-id}), with no class of the
 * stored type on the class path:
 * <ul>
 *   <li>the built-in codecs are decoded by those codecs themselves, so this tool cannot disagree with
 *       the store about their bytes; {@code bytes-stopbit} values become hex;</li>
 *   <li>{@code json:} bytes are JSON text already; {@code smile:} bytes are read with Jackson's Smile
 *       mapper;</li>
 *   <li>anything else, and bytes that do not decode (a damaged entry, a foreign codec), become hex,
 *       {@code "0x..."}: an operator tool shows what is there rather than failing.</li>
 * </ul>
 */
final class EntryDecoder {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final SmileMapper SMILE = new SmileMapper();
    private static final List<Codec<?>> BUILT_IN = List.of(Codecs.string(), Codecs.longs(), Codecs.ints());
    private static final HexFormat HEX = HexFormat.of();

    private final String codecId;

    private EntryDecoder(String codecId) {
        this.codecId = codecId;
    }

    /** For a header description such as {@code java.lang.String/string-utf8}. */
    static EntryDecoder forDescription(String description) {
        return new EntryDecoder(description.substring(description.indexOf('/') + 1));
    }

    JsonNode decode(byte[] raw) {
        try {
            JsonNode node = decodeKnown(raw);
            if (node != null) {
                return node;
            }
        } catch (IOException | RuntimeException undecodable) {
            // a damaged entry, or bytes its codec id does not describe: shown as they are, below
        }
        return JsonNodeFactory.instance.textNode(hex(raw));
    }

    /** For plain output: JSON bytes as they are stored, text as it is, anything else as compact JSON. */
    String text(byte[] raw) {
        if (codecId.startsWith("json:")) {
            return new String(raw, StandardCharsets.UTF_8);
        }
        JsonNode node = decode(raw);
        return node.isTextual() ? node.textValue() : node.toString();
    }

    private JsonNode decodeKnown(byte[] raw) throws IOException {
        if (codecId.startsWith("json:")) {
            return JSON.readTree(raw);
        }
        if (codecId.startsWith("smile:")) {
            return SMILE.readTree(raw);
        }
        if (codecId.equals(Codecs.bytes().id())) {
            return JsonNodeFactory.instance.textNode(hex(read(Codecs.bytes(), raw)));
        }
        for (Codec<?> codec : BUILT_IN) {
            if (codecId.equals(codec.id())) {
                return JSON.valueToTree(read(codec, raw));
            }
        }
        return null;
    }

    /** One {@code {"key":...,"value":...}} line. */
    static String jsonLine(JsonNode key, JsonNode value) {
        ObjectNode line = JSON.createObjectNode();
        line.set("key", key);
        line.set("value", value);
        try {
            return JSON.writeValueAsString(line);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException("cannot write a tree Jackson just built: " + e.getMessage(), e);
        }
    }

    private static <T> T read(Codec<T> codec, byte[] raw) {
        Bytes<byte[]> in = Bytes.wrapForRead(raw);
        try {
            T value = codec.read(in, null);
            if (in.readRemaining() != 0) {
                throw new IllegalArgumentException(in.readRemaining() + " bytes left after " + codec.id());
            }
            return value;
        } finally {
            in.releaseLast();
        }
    }

    private static String hex(byte[] raw) {
        return "0x" + HEX.formatHex(raw);
    }
}
