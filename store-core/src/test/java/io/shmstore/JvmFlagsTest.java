package io.shmstore;

import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;
import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;

class JvmFlagsTest {
    @Test
    void theJarCarriesTheSameFlagsAsTheBuildGaveThisJvm() {
        assertThat(JvmFlags.all()).contains("--add-opens=java.base/java.lang.reflect=ALL-UNNAMED",
                "--add-exports=java.base/sun.nio.ch=ALL-UNNAMED", "-Dchronicle.analytics.disable=true");
        assertThat(JvmFlags.all()).allMatch(f -> !f.contains("${"), "no unfiltered property");
        assertThat(ManagementFactory.getRuntimeMXBean().getInputArguments()).containsAll(JvmFlags.all());
        assertThat(Arrays.asList(System.getProperty("shmstore.test.jvmArgs").trim().split("\\s+")))
                .containsExactlyElementsOf(JvmFlags.all());
    }

    @Test
    void analyticsAreOffInThisJvm() {
        assertThat(System.getProperty("chronicle.analytics.disable")).isEqualTo("true");
    }
}
