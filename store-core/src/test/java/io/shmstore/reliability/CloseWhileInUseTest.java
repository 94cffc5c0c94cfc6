package io.shmstore.reliability;

import io.shmstore.testing.ChildJvm;
import io.shmstore.testing.ShmDirExtension;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Closing a store, a change cursor, a view, a mutex, an event or a semaphore while other threads use
 * it: they finish or get {@link IllegalStateException}, and nothing touches unmapped memory. Each case
 * runs in a child JVM ({@link CloseRaceChild}) round after round, so that a use of unmapped memory would
 * kill it; the test checks its exit code, its output and that it wrote no hs_err file. Both POSIX
 * backends; memory-only and file-backed stores. {@code -Dshmstore.soak=true} runs 25 times as many rounds.
 */
@ExtendWith(ShmDirExtension.class)
class CloseWhileInUseTest {
    private static final int ROUNDS = Soak.pick(20, 500);

    static Stream<Arguments> cases() {
        List<Arguments> cases = new ArrayList<>();
        for (String backend : new String[]{"linux", "posix-nio"}) {
            for (String scenario : new String[]{"get", "put", "iterate", "cursor", "cursor-after-close", "consumer-loop"}) {
                cases.add(Arguments.of(scenario, backend, "memory"));
                cases.add(Arguments.of(scenario, backend, "file"));
            }
            for (String scenario : new String[]{"view", "mutex", "event", "semaphore"}) {
                cases.add(Arguments.of(scenario, backend, "memory"));
            }
        }
        return cases.stream();
    }

    @ParameterizedTest(name = "{0}, {1} backend, {2} store")
    @MethodSource("cases")
    void closingWhileOtherThreadsUseItNeverCrashesTheJvm(String scenario, String backend, String storage,
                                                          @TempDir Path tmp) throws IOException {
        Path errors = Files.createDirectory(tmp.resolve("hs_err"));
        Path files = Files.createDirectory(tmp.resolve("stores"));
        List<String> command = ChildJvm.command(CloseRaceChild.class,
                List.of("-Dshmstore.backend=" + backend, "-XX:ErrorFile=" + errors + "/hs_err_pid%p.log"),
                scenario, String.valueOf(ROUNDS), storage.equals("memory") ? "memory" : files.toString());
        try (ChildJvm child = ChildJvm.start(command, "close race " + scenario + " " + backend + " " + storage)) {
            String result = child.expect("OK " + scenario, Duration.ofMinutes(5));
            assertThat(child.waitFor(Duration.ofSeconds(30))).as("exit code").isZero();
            assertThat(result).startsWith("rounds=" + ROUNDS);
        } finally {
            try (Stream<Path> crashes = Files.list(errors)) {
                assertThat(crashes).as("hs_err files: the child crashed").isEmpty();
            }
        }
    }
}
