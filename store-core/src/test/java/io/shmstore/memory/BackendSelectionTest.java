package io.shmstore.memory;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Shows which backend the contract tests of this run exercised. */
class BackendSelectionTest {
    @Test
    void theRequestedBackendIsTheOneInUse() {
        String requested = System.getProperty("shmstore.backend");
        String os = System.getProperty("os.name").toLowerCase(java.util.Locale.ROOT);
        String expected = requested != null ? requested
                : os.startsWith("windows") ? "windows" : os.startsWith("linux") ? "linux" : "posix-nio";
        assertThat(SharedMemory.backendName()).isEqualTo(expected);
        System.out.println("contract tests ran on the " + SharedMemory.backendName() + " backend");
    }

    /** The per-platform promises of {@link Capabilities}, as its table states them. */
    @Test
    void eachBackendStatesWhatItCanDo() {
        Capabilities expected = switch (SharedMemory.backendName()) {
            case "linux" -> new Capabilities(true, true, true, true, true, true, true, true);
            case "posix-nio" -> new Capabilities(true, true, true, true, true, false, true, true);
            case "windows" -> new Capabilities(false, false, false, false, false, false, false, false);
            default -> throw new AssertionError("unknown backend " + SharedMemory.backendName());
        };
        assertThat(SharedMemory.capabilities()).isEqualTo(expected);
    }
}
