package io.shmstore.examples;

import io.shmstore.SharedStore;
import io.shmstore.testing.ShmDirExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The command line itself: help for every command, and user errors as one line with the right exit code. */
@ExtendWith(ShmDirExtension.class)
class ShmStoreToolTest {
    private static final List<String> COMMANDS = List.of("demo", "produce", "consume", "cache-demo", "list", "stats",
            "dump", "verify", "watch", "destroy");

    @Test
    void everyCommandHasHelpThatExitsZero() {
        for (String command : COMMANDS) {
            Tool.Result r = Tool.run(command, "--help");
            assertThat(r.code()).as(command + ": " + r).isZero();
            assertThat(r.out()).as(command).startsWith("Usage: shmstore " + command).contains("--dir=DIR");
        }
        Tool.Result top = Tool.run("--help");
        assertThat(top.out()).contains(COMMANDS).doesNotContain("cache-worker");
    }

    @Test
    void usageErrorsPrintOneLineAndExitTwo() {
        String[][] bad = {
                {},
                {"nope"},
                {"stats"},
                {"produce"},
                {"produce", "--store", "o", "--count", "zero"},
                {"produce", "--store", "o", "--rate", "-1"},
                {"dump", "x", "--limit", "0"},
                {"list", "--bogus"},
        };
        for (String[] args : bad) {
            Tool.Result r = Tool.run(args);
            assertThat(r.code()).as(String.join(" ", args) + ": " + r).isEqualTo(2);
            assertOneLineNoTrace(r);
            assertThat(r.err()).startsWith("shmstore");
        }
    }

    @Test
    void unknownStoresAndBadNamesPrintOneLineAndExitOne() {
        for (String command : List.of("stats", "dump", "verify", "watch", "destroy")) {
            Tool.Result missing = Tool.run(command, "missing");
            assertThat(missing.code()).as(command + ": " + missing).isEqualTo(1);
            assertOneLineNoTrace(missing);
            assertThat(missing.err()).contains("\"missing\"");

            Tool.Result badName = Tool.run(command, "../x");
            assertThat(badName.code()).as(command + ": " + badName).isEqualTo(1);
            assertOneLineNoTrace(badName);
            assertThat(badName.err()).contains("\"../x\"");
        }
    }

    @Test
    void aStoreOfOtherTypesIsRefusedInOneLine() {
        try (SharedStore<String, String> other = SharedStore.of(String.class, String.class).name("other").create()) {
            other.put("k", "v");
            Tool.Result r = Tool.run("consume", "--store", "other", "--count", "1");
            assertThat(r.code()).as(r.toString()).isEqualTo(1);
            assertOneLineNoTrace(r);
            assertThat(r.err()).startsWith("shmstore consume: ").contains("\"other\" holds keys as java.lang.String")
                    .contains("java.lang.Long");
        }
    }

    static void assertOneLineNoTrace(Tool.Result r) {
        assertThat(r.err().lines()).as(r.toString()).hasSize(1);
        assertThat(r.err()).doesNotContain("Exception").doesNotContain("\tat ");
    }
}
