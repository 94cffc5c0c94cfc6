package io.shmstore;

import io.shmstore.testing.ShmDirExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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

    private static final Set<String> FULL_JDK = Set.of("java.base", "jdk.unsupported", "jdk.compiler");
    private static final Set<String> JLINKED_WITHOUT_COMPILER = Set.of("java.base", "jdk.unsupported");

    @Test
    void aRuntimeWithoutAModuleGetsNoFlagForIt() {
        assertThat(JvmFlags.forJava(17, FULL_JDK)).contains("--add-opens=jdk.compiler/com.sun.tools.javac=ALL-UNNAMED");
        assertThat(JvmFlags.forJava(17, JLINKED_WITHOUT_COMPILER)).as("a jlinked runtime without jdk.compiler")
                .noneMatch(f -> f.contains("jdk.compiler"))
                .contains("--add-opens=java.base/java.lang=ALL-UNNAMED", "--add-exports=jdk.unsupported/sun.misc=ALL-UNNAMED");
        assertThat(JvmFlags.all()).as("this JVM's modules decide").allMatch(f -> !f.contains("=jdk.") && !f.startsWith("--add")
                || ModuleLayer.boot().findModule(f.substring(f.indexOf('=') + 1, f.indexOf('/'))).isPresent());
    }

    @Test
    void eachLauncherOptionIsGivenOnlyToAJavaThatKnowsIt() {
        String reflect = "--add-opens=java.base/java.lang.reflect=ALL-UNNAMED";
        String analytics = "-Dchronicle.analytics.disable=true";
        assertThat(JvmFlags.requiredFor(17)).startsWith(reflect, analytics).noneMatch(f -> f.startsWith("--enable")
                || f.startsWith("--sun"));
        assertThat(JvmFlags.requiredFor(21)).isEqualTo(JvmFlags.requiredFor(17));
        assertThat(JvmFlags.requiredFor(22)).startsWith(reflect, "--enable-native-access=ALL-UNNAMED", analytics)
                .noneMatch(f -> f.startsWith("--sun"));
        assertThat(JvmFlags.requiredFor(23)).startsWith(reflect, "--enable-native-access=ALL-UNNAMED",
                "--sun-misc-unsafe-memory-access=allow", analytics);
        assertThat(JvmFlags.forJava(17, FULL_JDK)).as("what an application needs is among the whole list")
                .containsAll(JvmFlags.requiredFor(17));
        assertThat(JvmFlags.requiredFor(25)).isEqualTo(JvmFlags.requiredFor(23));
        assertThat(JvmFlags.forJava(21, FULL_JDK)).noneMatch(f -> f.startsWith("--enable") || f.startsWith("--sun"));
        assertThat(JvmFlags.forJava(25, FULL_JDK)).containsAll(JvmFlags.requiredFor(25))
                .contains("-Dchronicle.analytics.disable=true");
        assertThat(JvmFlags.all()).containsAll(JvmFlags.required()).doesNotHaveDuplicates();
        assertThatThrownBy(() -> JvmFlags.forJava(11, FULL_JDK)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("Java 11");
    }

    @Test
    void theArgumentFileHoldsWhatThisJavaNeedsOneFlagALine() {
        String file = JvmFlags.argFile();
        List<String> lines = file.lines().toList();
        assertThat(lines.get(0)).startsWith("# JVM flags for ShmStore on Java " + Runtime.version().feature());
        assertThat(lines.subList(1, lines.size())).isEqualTo(JvmFlags.required());
        assertThat(file).endsWith("\n");
    }
}
