package io.shmstore.internal.platform.posix;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

import static org.assertj.core.api.Assertions.assertThat;

@EnabledOnOs(OS.LINUX)
class ProcProcessesTest {
    private final ProcProcesses probe = new ProcProcesses();

    @Test
    void thisProcessIsAliveWithItsOwnStartTagOnly() {
        assertThat(probe.selfPid()).isEqualTo(ProcessHandle.current().pid());
        assertThat(probe.selfStartTag()).isNotZero();
        assertThat(probe.isAlive(probe.selfPid(), probe.selfStartTag())).isTrue();
        assertThat(probe.isAlive(probe.selfPid(), probe.selfStartTag() + 1)).as("a recycled pid").isFalse();
    }

    @Test
    void absentPidsAreDead() {
        assertThat(probe.isAlive(0, 1)).isFalse();
        assertThat(probe.isAlive(-5, 1)).isFalse();
        assertThat(probe.isAlive(Integer.MAX_VALUE, 1)).isFalse();
    }

    @Test
    void aProcessNameWithParenthesesAndSpacesParses() {
        // comm is arbitrary text; the parser must split after the last ')'
        assertThat(ProcProcesses.stat(probe.selfPid())).isNotNull();
    }
}
