package io.shmstore.examples.spring;

import org.springframework.cache.annotation.Cacheable;

import java.util.concurrent.atomic.AtomicInteger;

/** A service whose answers are slow to compute and cached through Spring's {@code @Cacheable}. */
public class SlowSquares {
    private final long computeMillis;
    private final AtomicInteger computed = new AtomicInteger();

    public SlowSquares(long computeMillis) {
        this.computeMillis = computeMillis;
    }

    /** {@code n * n}, after a pause that stands for real work; cached under {@code n}. */
    @Cacheable(SquaresConfig.CACHE)
    public long square(long n) {
        computed.incrementAndGet();
        try {
            Thread.sleep(computeMillis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return n * n;
    }

    /** How many calls this JVM computed rather than found in the cache. */
    public int computed() {
        return computed.get();
    }
}
