package io.shmstore;

import io.shmstore.testing.ShmDirExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class JvmFlagsTest {
    @Test
    void theJarCarriesTheSameFlagsAsTheBuildGaveThisJvm() {
        assertThat(JvmFlags.all()).contains("--add-opens=java.base/java.lang.reflect=ALL-UNNAMED",
                "--add-exports=java.base/sun.nio.ch=ALL-UNNAMED", "-Dchronicle.analytics.disable=true");
        assertThat(JvmFlags.all()).allMatch(f -> !f.contains("${"), "no unfiltered property");
        assertThat(ManagementFactory.getRuntimeMXBean().getInputArguments()).containsAll(JvmFlags.all());
    }

    @Test
    void analyticsAreOffInThisJvm() {
        assertThat(System.getProperty("chronicle.analytics.disable")).isEqualTo("true");
    }

    @Test
    @ExtendWith(ShmDirExtension.class)
    void aChildCommandCarriesTheFlagsThisJvmsShmDirectoryAndThenTheCallersOptions() {
        List<String> cmd = JvmFlags.childCommand(JvmFlagsTest.class, List.of("-Xmx64m", "-Dshmstore.dir=/else"), "a", "b");
        assertThat(cmd.get(0)).isEqualTo(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        assertThat(cmd).containsSubsequence(JvmFlags.all());
        assertThat(cmd).as("the caller's options come after this JVM's settings, so they win")
                .containsSubsequence("-Dshmstore.dir=" + ShmDirExtension.dir(), "-Xmx64m", "-Dshmstore.dir=/else", "-cp");
        assertThat(cmd.subList(cmd.indexOf("-cp"), cmd.size())).containsExactly("-cp",
                System.getProperty("java.class.path"), JvmFlagsTest.class.getName(), "a", "b");
    }
}
