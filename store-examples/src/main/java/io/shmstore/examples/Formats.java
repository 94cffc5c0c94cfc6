package io.shmstore.examples;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.time.Duration;
import java.util.Locale;

/** Sizes, ages and JSON as the operator commands print them, the same in every command. */
final class Formats {
    private static final ObjectMapper JSON = new ObjectMapper();

    private Formats() {
    }

    /** {@code value} (maps, lists, strings, numbers) as one line of JSON. */
    static String json(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write " + value + " as JSON", e);
        }
    }

    /** 1023 B, 1.0 KiB, 80.3 MiB. */
    static String bytes(long n) {
        if (n < 1024) {
            return n + " B";
        }
        int exponent = (63 - Long.numberOfLeadingZeros(n)) / 10;
        return String.format(Locale.ROOT, "%.1f %ciB", n / (double) (1L << (10 * exponent)), "KMGTPE".charAt(exponent - 1));
    }

    /** 42s, 3m05s, 2h07m, 3d04h. */
    static String age(Duration d) {
        long s = Math.max(0, d.getSeconds());
        if (s < 60) {
            return s + "s";
        }
        if (s < 3600) {
            return String.format(Locale.ROOT, "%dm%02ds", s / 60, s % 60);
        }
        if (s < 86400) {
            return String.format(Locale.ROOT, "%dh%02dm", s / 3600, s % 3600 / 60);
        }
        return String.format(Locale.ROOT, "%dd%02dh", s / 86400, s % 86400 / 3600);
    }
}
