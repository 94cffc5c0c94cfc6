package io.shmstore.testing;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class BackgroundTest {
    @Test
    void aThreadThatThrowsFailsTheJoinNamingItAndKeepingTheCause() {
        Background background = new Background();
        background.start("quiet", () -> {
        });
        background.start("broken", () -> {
            throw new IllegalStateException("a bug");
        });
        assertThatThrownBy(() -> background.join(Duration.ofSeconds(10)))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("\"broken\"")
                .hasRootCauseInstanceOf(IllegalStateException.class)
                .hasRootCauseMessage("a bug");
    }

    @Test
    void laterFailuresAreSuppressedUnderTheFirst() throws InterruptedException {
        Background background = new Background();
        background.start("first", () -> {
            throw new IllegalStateException("first");
        }).join();
        background.start("second", () -> {
            throw new IllegalArgumentException("second");
        });
        assertThatThrownBy(() -> background.join(Duration.ofSeconds(10)))
                .hasMessageContaining("\"first\"")
                .satisfies(e -> assertThat(e.getSuppressed()).singleElement()
                        .isInstanceOf(IllegalArgumentException.class));
    }

    @Test
    void checkFailsAsSoonAsAThreadHasFailed() throws InterruptedException {
        Background background = new Background();
        Thread t = background.start("broken", () -> {
            throw new IllegalStateException("a bug");
        });
        t.join();
        assertThatThrownBy(background::check).hasMessageContaining("\"broken\"");
    }

    @Test
    void closeEndsTheLoopsOnRunningAndWaitsForThem() {
        AtomicInteger ended = new AtomicInteger();
        try (Background background = new Background()) {
            for (int i = 0; i < 3; i++) {
                background.start("loop-" + i, () -> {
                    while (background.running()) {
                        Thread.onSpinWait();
                    }
                    ended.incrementAndGet();
                });
            }
        }
        assertThat(ended).hasValue(3);
    }

    @Test
    void aThreadStillRunningAfterTheTimeoutFailsTheJoinNamingIt() throws InterruptedException {
        Background background = new Background();
        CountDownLatch release = new CountDownLatch(1);
        background.start("stuck", release::await);
        try {
            assertThatThrownBy(() -> background.join(Duration.ofMillis(50)))
                    .hasMessageContaining("still running")
                    .hasMessageContaining("stuck")
                    .satisfies(e -> assertThat(e.getSuppressed()).singleElement()
                            .satisfies(where -> assertThat(where.getStackTrace()).isNotEmpty()));
        } finally {
            release.countDown();
        }
        background.join(Duration.ofSeconds(10));
    }

    @Test
    void aTestFailingWithTheThreadsFailureIsNotMaskedByTheClose() {
        assertThatThrownBy(() -> {
            try (Background background = new Background()) {
                background.start("broken", () -> {
                    throw new IllegalStateException("a bug");
                }).join();
                background.check();
            }
        }).isInstanceOf(AssertionError.class)
                .hasMessageContaining("\"broken\"")
                .hasRootCauseMessage("a bug");
    }
}
