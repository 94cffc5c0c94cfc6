package io.shmstore.examples;

import io.shmstore.memory.SharedMemory;
import io.shmstore.testing.ShmDirExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * spring-demo: two real JVMs run the Spring application (spring-context, {@code @Cacheable} through
 * Spring's JCacheCacheManager over ShmStore); the second finds every value the first computed.
 */
@ExtendWith(ShmDirExtension.class)
class SpringDemoTest {

    @Test
    void theSecondJvmFindsEverySquareTheFirstComputed() {
        Tool.Result r = Tool.run("spring-demo", "--numbers", "6", "--compute-ms", "100");
        assertThat(r.code()).as(r.toString()).isZero();
        assertThat(r.out()).containsPattern("first JVM \\(pid \\d+\\): computed 6, cached 0")
                .containsPattern("second JVM \\(pid \\d+\\): computed 0, cached 6")
                .contains("ok: the second JVM found all 6 squares the first computed");
        assertThat(SharedMemory.list()).as("the cache went with the last JVM that had it open").isEmpty();
    }

    @Test
    void oneJvmComputesOnceAndThenFindsItsOwnAnswers() {
        Tool.Result first = Tool.run("spring-cache", "--numbers", "3", "--compute-ms", "0", "--uri", "shmstore:one");
        assertThat(first.code()).as(first.toString()).isZero();
        List<String> calls = first.lines().stream().filter(l -> l.startsWith("square(")).toList();
        assertThat(calls).hasSize(3).allMatch(l -> l.contains("computed"));
        assertThat(calls.get(2)).startsWith("square(3) = 9,");
        assertThat(first.out()).contains("summary computed=3 cached=0");
    }

    @Test
    void aBadUriIsOneLineNamingIt() {
        Tool.Result r = Tool.run("spring-cache", "--numbers", "1", "--uri", "http://example.com/");
        assertThat(r.code()).as(r.toString()).isEqualTo(ShmStoreTool.USAGE_ERROR);
        assertThat(r.err().lines()).as(r.toString()).anyMatch(l -> l.contains("\"http://example.com/\"")
                && l.contains("names no ShmStore location"));
    }
}
