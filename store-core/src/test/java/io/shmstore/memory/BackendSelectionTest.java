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
}
